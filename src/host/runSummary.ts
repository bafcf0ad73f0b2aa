import type { RunResult, TranscriptEntry } from "../scenario/interpreter";
import type { TraceEvent } from "../sim/trace";

/** What two runs of a scenario are compared by: every transcript line with its time, and the trace's hash. */
export interface RunSummary {
  readonly transcript: readonly string[];
  readonly traceHash: string;
}

/** The trace as the runner's `--trace` writes it: one JSON document per line. */
export function traceText(trace: readonly TraceEvent[]): string {
  return trace
    .map((e) => JSON.stringify(e, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)))
    .join("\n");
}

/** SHA-256 of the trace text, in hex (Web Crypto: the same in the page and under Node). */
export async function traceHash(trace: readonly TraceEvent[]): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(traceText(trace)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The transcript lines (`t_us text`, the failure last) and the trace hash of one run. */
export async function summarizeRun(
  transcript: readonly TranscriptEntry[],
  result: RunResult,
  trace: readonly TraceEvent[],
): Promise<RunSummary> {
  const lines = transcript.map((e) => `${e.t} ${e.text}`);
  if (!result.ok) lines.push(result.message);
  return { transcript: lines, traceHash: await traceHash(trace) };
}
