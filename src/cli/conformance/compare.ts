/**
 * Compares the record of a scenario run in the simulator with the record of
 * the same scenario run against real Redis (`observedRun.ts`). Pure.
 */
import type { RunResult } from "../../scenario/interpreter";
import { compareDigests } from "./digest";
import type { InfoOutput, RunRecord, Sample } from "./observedRun";
import { SAMPLED_FIELDS } from "./sample";
import type { NodeState } from "./sample";

/** One thing that differs: where, what, and the two values. */
export interface Difference {
  /** Script line (0: the end of the run). */
  readonly line: number;
  /** Where in the run, for people: `after line 12 (settle)`, `reply`, `at the end`. */
  readonly where: string;
  /** `r1 master_repl_offset`, `reply to m> WAIT 1 0`, `m key 0 "k" expiry`, ... */
  readonly field: string;
  readonly sim: string;
  readonly redis: string;
}

export interface Comparison {
  /** Top-level lines both runs finished. */
  readonly lines: number;
  readonly replies: number;
  /** `expect` lines that held in both runs. */
  readonly expects: number;
  /** Sampled INFO fields, `info` fields and dataset keys compared. */
  readonly fields: number;
  readonly differences: readonly Difference[];
}

/** Time-to-live values may differ by this much: real and virtual time never run alike. */
export const TTL_TOLERANCE_MS = 1000;

/**
 * INFO fields whose values `info` lines compare; every other field is
 * compared only for presence (timings, memory, ids of processes differ by nature).
 */
const STABLE_INFO_FIELDS = new Set([
  "role",
  "master_host",
  "master_port",
  "master_link_status",
  "master_sync_in_progress",
  "slave_read_repl_offset",
  "slave_repl_offset",
  "slave_priority",
  "slave_read_only",
  "replica_announced",
  "connected_slaves",
  "min_slaves_good_slaves",
  "master_failover_state",
  "master_replid",
  "master_replid2",
  "master_repl_offset",
  "second_repl_offset",
  "repl_backlog_active",
  "repl_backlog_size",
  "repl_backlog_first_byte_offset",
  "repl_backlog_histlen",
]);

/** Parts of composite INFO values that depend on timing. */
const VOLATILE_PARTS = new Set(["lag", "avg_ttl"]);

export function compareRuns(sim: RunRecord, redis: RunRecord): Comparison {
  const differences: Difference[] = [];
  compareResults(sim, redis, differences);
  if (sim.endSettled !== redis.endSettled) {
    differences.push({
      line: 0,
      where: "at the end",
      field: "settle after the last line",
      sim: sim.endSettled ? "settled" : withReason("did not settle", sim, 0),
      redis: redis.endSettled ? "settled" : withReason("did not settle", redis, 0),
    });
  }
  const replies = compareReplies(sim, redis, differences);
  let fields = compareInfos(sim.infos, redis.infos, differences);
  fields += compareSamples(sim, redis, differences);
  return {
    lines: Math.min(sim.linesRun, redis.linesRun),
    replies,
    expects: Math.min(sim.expectsPassed, redis.expectsPassed),
    fields,
    differences,
  };
}

function resultText(run: RunRecord): string {
  const result = run.result;
  return result.ok
    ? "every line ran, every expect held"
    : withReason(result.message, run, result.line);
}

/** A failed settle's message with what the cluster was still waiting for. */
function withReason(text: string, run: RunRecord, line: number): string {
  const reason = run.unsettled.find((u) => u.line === line)?.reason;
  return reason ? `${text} (still waiting: ${reason})` : text;
}

function compareResults(sim: RunRecord, redis: RunRecord, out: Difference[]): void {
  const a = sim.result;
  const b = redis.result;
  if (a.ok && b.ok) return;
  const line = Math.min(a.ok ? Infinity : a.line, b.ok ? Infinity : b.line);
  out.push({ line, where: "run", field: "result", sim: resultText(sim), redis: resultText(redis) });
}

function compareReplies(sim: RunRecord, redis: RunRecord, out: Difference[]): number {
  const n = Math.min(sim.replies.length, redis.replies.length);
  let compared = 0;
  for (let i = 0; i < n; i++) {
    const a = sim.replies[i];
    const b = redis.replies[i];
    if (!a || !b) break;
    if (a.line !== b.line || a.command !== b.command) break; // the runs went different ways
    compared++;
    if (a.reply !== b.reply) {
      out.push({
        line: a.line,
        where: "reply",
        field: `${a.node}> ${a.command}`,
        sim: a.reply,
        redis: b.reply,
      });
    }
  }
  return compared;
}

/** An INFO value with its timing-dependent parts removed. */
export function stableValue(key: string, value: string): string | null {
  const composite = /^(slave\d+|db\d+)$/.test(key);
  if (!composite && !STABLE_INFO_FIELDS.has(key)) return null;
  if (!composite) return value;
  return value
    .split(",")
    .filter((part) => !VOLATILE_PARTS.has(part.split("=", 1)[0] ?? ""))
    .join(",");
}

function compareInfos(
  sim: readonly InfoOutput[],
  redis: readonly InfoOutput[],
  out: Difference[],
): number {
  let compared = 0;
  const n = Math.min(sim.length, redis.length);
  for (let i = 0; i < n; i++) {
    const a = sim[i];
    const b = redis[i];
    if (!a || !b || a.line !== b.line) break;
    const am = new Map(a.fields);
    const bm = new Map(b.fields);
    for (const key of new Set([...am.keys(), ...bm.keys()])) {
      compared++;
      const av = am.get(key);
      const bv = bm.get(key);
      const differs =
        av === undefined || bv === undefined
          ? av !== bv
          : stableValue(key, av) !== stableValue(key, bv);
      if (differs) {
        out.push({
          line: a.line,
          where: `info ${a.node}`,
          field: `${a.node} ${key}`,
          sim: av ?? "(absent)",
          redis: bv ?? "(absent)",
        });
      }
    }
  }
  return compared;
}

function compareSamples(sim: RunRecord, redis: RunRecord, out: Difference[]): number {
  let compared = 0;
  const n = Math.min(sim.samples.length, redis.samples.length);
  for (let i = 0; i < n; i++) {
    const a = sim.samples[i];
    const b = redis.samples[i];
    if (!a || !b || a.line !== b.line) break;
    // The end is comparable only when both runs got equally far.
    if (a.line === 0 && !sameEnd(sim.result, redis.result)) break;
    compared += compareSample(a, b, out);
  }
  return compared;
}

function sameEnd(a: RunResult, b: RunResult): boolean {
  return a.ok === b.ok && (a.ok || b.ok || a.line === b.line);
}

function compareSample(a: Sample, b: Sample, out: Difference[]): number {
  let compared = 0;
  const push = (field: string, sim: string, redis: string) =>
    out.push({ line: a.line, where: a.label, field, sim, redis });
  for (const node of new Set([...a.nodes.keys(), ...b.nodes.keys()])) {
    const x = a.nodes.get(node);
    const y = b.nodes.get(node);
    if (x === "asleep" || y === "asleep") continue;
    if (typeof x !== "object" || typeof y !== "object") {
      compared++;
      if (x !== y) push(`${node} process`, stateText(x), stateText(y));
      continue;
    }
    for (const field of SAMPLED_FIELDS) {
      compared++;
      if (x[field] !== y[field]) push(`${node} ${field}`, x[field], y[field]);
    }
  }
  for (const [node, simData] of a.datasets) {
    const redisData = b.datasets.get(node);
    if (!redisData) continue;
    const r = compareDigests(simData, redisData, TTL_TOLERANCE_MS);
    compared += r.compared;
    for (const d of r.differences) push(`${node} key ${d.key} ${d.what}`, d.sim, d.redis);
  }
  return compared;
}

function stateText(state: NodeState | undefined): string {
  if (state === undefined) return "(no such node)";
  return typeof state === "object" ? "running" : state;
}
