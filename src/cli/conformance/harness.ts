/**
 * One scenario, run twice: in the simulator (`InProcessCluster`) and against
 * real redis-server processes (`RealRedisCluster`), then compared.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InProcessCluster } from "../../sim/inProcessCluster";
import type { Script } from "../../scenario/ast";
import { formatError, parseScenario } from "../../scenario/parse";
import { compareRuns } from "./compare";
import type { Comparison } from "./compare";
import { observedRun } from "./observedRun";
import type { RunRecord } from "./observedRun";
import { RealRedisCluster } from "./realRedisCluster";

export interface HarnessOptions {
  /** The redis-server binary and its version (`7.0.15`). */
  readonly binary: string;
  readonly binaryVersion: string;
  /** Upper bound on one real `settle`, in ms. */
  readonly settleCapMs: number;
  readonly pollMs: number;
  /** Keep the nodes' directories (logs) after the run. */
  readonly keep: boolean;
}

/** Directories of runs in progress, removed by `removeRunDirectories` on an early exit. */
const liveDirs = new Set<string>();

/** Removes the directories of runs still in progress (after Ctrl+C, say). */
export function removeRunDirectories(): void {
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  liveDirs.clear();
}

export type ScenarioOutcome =
  | {
      readonly kind: "compared";
      readonly file: string;
      readonly comparison: Comparison;
      readonly seconds: number;
      readonly dir: string;
    }
  | { readonly kind: "skipped"; readonly file: string; readonly reason: string }
  | { readonly kind: "invalid"; readonly file: string; readonly errors: readonly string[] };

/** Parses, runs both ways and compares one scenario file's text. */
export async function conformScenario(
  text: string,
  file: string,
  options: HarnessOptions,
): Promise<ScenarioOutcome> {
  const parsed = parseScenario(text, file);
  if (!parsed.ok) return { kind: "invalid", file, errors: parsed.errors.map(formatError) };
  const script = parsed.script;
  if (!options.binaryVersion.startsWith(`${script.redisVersion}.`)) {
    return {
      kind: "skipped",
      file,
      reason: `models Redis ${script.redisVersion}; ${options.binary} is ${options.binaryVersion} (set REDIS_SERVER to a ${script.redisVersion} binary)`,
    };
  }
  const unsupported = script.lines.find((l) => l.kind === "sentinel" || l.kind === "client");
  if (unsupported) {
    return {
      kind: "skipped",
      file,
      reason: `line ${unsupported.line} starts a ${unsupported.kind === "sentinel" ? "Sentinel" : "simulated application client (and its ledger)"}; the harness runs redis-server processes only`,
    };
  }
  const started = performance.now();
  const sim = await runInSimulator(script);
  const dir = mkdtempSync(join(tmpdir(), "rrp-conformance-"));
  if (!options.keep) liveDirs.add(dir);
  const redis = await runOnRealRedis(script, dir, options);
  liveDirs.delete(dir);
  return {
    kind: "compared",
    file,
    comparison: compareRuns(sim, redis),
    seconds: (performance.now() - started) / 1000,
    dir,
  };
}

function runInSimulator(script: Script): Promise<RunRecord> {
  const cluster = new InProcessCluster({
    seed: script.seed,
    epochMs: script.epochMs,
    version: script.redisVersion,
  });
  return observedRun(script, {
    cluster,
    asleep: (node) => (cluster.slot(node)?.stalledUntil ?? 0) > cluster.now(),
    clockMs: () => script.epochMs + Math.floor(cluster.now() / 1000),
    endSettleUs: 60_000_000,
  });
}

async function runOnRealRedis(
  script: Script,
  dir: string,
  options: HarnessOptions,
): Promise<RunRecord> {
  const cluster = new RealRedisCluster({
    binary: options.binary,
    baseDir: dir,
    settleCapMs: options.settleCapMs,
    pollMs: options.pollMs,
  });
  try {
    return await observedRun(script, {
      cluster,
      asleep: (node) => cluster.asleep(node),
      clockMs: () => Date.now(),
      endSettleUs: 10_000_000,
      unsettledReason: () => cluster.unsettledReason,
    });
  } finally {
    await cluster.close(options.keep);
  }
}
