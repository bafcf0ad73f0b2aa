import type { HostReport } from "./hostStep";
import { compareSortKeys } from "./order";
import type { TraceEvent } from "./trace";

/**
 * The trace events of one step, in canonical order: every host's record
 * groups sorted by their place in the run. Keys are unique across hosts, so
 * the order cannot depend on which host answered first; ties only occur
 * within one host and keep its own order (the sort is stable).
 */
export function mergeRecords(
  reports: readonly HostReport[],
  rankOf: (name: string) => number,
): TraceEvent[] {
  const ordered = [...reports].sort((x, y) => rankOf(x.name) - rankOf(y.name));
  const records = ordered.flatMap((r) => r.records);
  records.sort((x, y) => compareSortKeys(x.sort, y.sort));
  return records.flatMap((r) => r.events);
}
