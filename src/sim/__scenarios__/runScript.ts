import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Interpreter } from "../../scenario/interpreter";
import { formatError, parseScenario } from "../../scenario/parse";
import type { Script } from "../../scenario/ast";
import type { Cluster } from "../cluster";

/** Every built-in scenario and every runtime fixture, as paths from the repository root. */
export function scenarioFiles(): string[] {
  return ["scenarios", "src/sim/__scenarios__"].flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith(".scenario"))
      .sort()
      .map((f) => join(dir, f)),
  );
}

/** Whether a scenario file starts a Sentinel (the frozen reference cluster cannot run it). */
export function usesSentinel(file: string): boolean {
  const parsed = parseScenario(readFileSync(file, "utf8"), file);
  return parsed.ok && parsed.script.lines.some((l) => l.kind === "sentinel");
}

export interface ScriptRun {
  /** Every transcript line with its virtual time; the failure last. */
  readonly transcript: readonly string[];
  readonly traceLines: readonly string[];
  readonly traceHash: string;
}

/** Runs a scenario file on the cluster `make` builds for its seed, epoch and version. */
export async function runScript(
  file: string,
  make: (script: Script) => Cluster,
): Promise<ScriptRun> {
  const parsed = parseScenario(readFileSync(file, "utf8"), file);
  if (!parsed.ok) throw new Error(parsed.errors.map(formatError).join("\n"));
  const cluster = make(parsed.script);
  const interpreter = new Interpreter(parsed.script, cluster);
  const result = await interpreter.run();
  const transcript = interpreter.transcript.map((e) => `${e.t} ${e.text}`);
  if (!result.ok) transcript.push(result.message);
  const traceLines = cluster.trace().map((e) => JSON.stringify(e));
  const traceHash = createHash("sha256").update(traceLines.join("\n")).digest("hex");
  return { transcript, traceLines, traceHash };
}

/** The first line where two traces differ, to show instead of two hashes. */
export function firstDifference(a: readonly string[], b: readonly string[]): string | null {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `event ${i}:\n  ${a[i] ?? "(end)"}\n  ${b[i] ?? "(end)"}`;
  }
  return null;
}
