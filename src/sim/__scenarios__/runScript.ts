import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Interpreter } from "../../scenario/interpreter";
import { formatError, parseScenario } from "../../scenario/parse";
import type { Script } from "../../scenario/ast";
import type { Cluster } from "../cluster";
import type { TraceEvent } from "../trace";

/** Every built-in scenario and every runtime fixture, as paths from the repository root. */
export function scenarioFiles(): string[] {
  return ["scenarios", "src/sim/__scenarios__"].flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith(".scenario"))
      .sort()
      .map((f) => join(dir, f)),
  );
}

/** Whether a scenario file starts a Sentinel or a client (the frozen reference cluster runs neither). */
export function usesSentinel(file: string): boolean {
  const parsed = parseScenario(readFileSync(file, "utf8"), file);
  return parsed.ok && parsed.script.lines.some((l) => l.kind === "sentinel" || l.kind === "client");
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

/**
 * A trace with the writes of one instant on one connection taken as one: each
 * run of `send`s (and of `deliver`s) on the same connection, direction and
 * time becomes one event at the place of the first, bytes or sizes added up.
 * The hosts append a burst of replication-stream writes to one segment, as
 * Redis writes a replica's output buffer once per event-loop turn; the frozen
 * single-queue oracle sent one segment per write. Compared this way, the two
 * must still agree on everything else, event for event.
 */
export function coalesceWrites(lines: readonly string[]): string[] {
  const out: (TraceEvent | null)[] = [];
  const open = new Map<string, number>();
  for (const line of lines) {
    const e = JSON.parse(line) as TraceEvent;
    if (e.type !== "send" && e.type !== "deliver") {
      out.push(e);
      continue;
    }
    const key = `${e.type} ${e.conn} ${e.from} ${e.t}`;
    const at = open.get(key);
    const first = at === undefined ? null : out[at];
    if (first?.type === "send" && e.type === "send" && first.deliverAt === e.deliverAt) {
      out[at ?? 0] = { ...first, bytes: first.bytes + e.bytes };
    } else if (first?.type === "deliver" && e.type === "deliver") {
      out[at ?? 0] = { ...first, size: first.size + e.size };
    } else {
      open.set(key, out.length);
      out.push(e);
    }
  }
  return out.map((e) => JSON.stringify(e));
}
