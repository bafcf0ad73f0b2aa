import type { TraceEvent } from "../../sim/trace";

/**
 * A trace as JSON lines, one event per line: the same file `npm run sim --
 * FILE --trace OUT.jsonl` writes, so the same tools read both.
 */
export function traceLines(events: readonly TraceEvent[]): string {
  return events.map((e) => JSON.stringify(e)).join("\n") + "\n";
}
