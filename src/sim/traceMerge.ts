import type { HostReport, TraceRecord } from "./hostStep";
import { compareSortKeys } from "./order";
import type { TraceEvent } from "./trace";

/**
 * The trace events of one step, in canonical order: every host's record
 * groups sorted by their place in the run. Keys are unique across hosts, so
 * the order cannot depend on which host answered first; ties only occur
 * within one host and keep its own order, and between hosts go to the lower
 * rank (as a stable sort of the hosts' records in rank order would).
 *
 * A host records its groups in order already (it fires events in key order),
 * so this is one merge pass over the hosts' lists, not a sort of them all.
 */
export function mergeRecords(
  reports: readonly Pick<HostReport, "name" | "records">[],
  rankOf: (name: string) => number,
): TraceEvent[] {
  const lists = [...reports]
    .sort((x, y) => rankOf(x.name) - rankOf(y.name))
    .map((r) => inOrder(r.records))
    .filter((l) => l.length > 0);
  const out: TraceEvent[] = [];
  if (lists.length === 1) {
    for (const r of lists[0] ?? []) for (const e of r.events) out.push(e);
    return out;
  }
  const at = lists.map(() => 0);
  for (;;) {
    let best = -1;
    let bestRecord: TraceRecord | undefined;
    for (let i = 0; i < lists.length; i++) {
      const r = lists[i]?.[at[i] ?? 0];
      if (r && (!bestRecord || compareSortKeys(r.sort, bestRecord.sort) < 0)) {
        best = i;
        bestRecord = r;
      }
    }
    if (!bestRecord) return out;
    at[best] = (at[best] ?? 0) + 1;
    for (const e of bestRecord.events) out.push(e);
  }
}

/** A host's records in sort order (a stable sort, only when they are not in order already). */
function inOrder(records: readonly TraceRecord[]): readonly TraceRecord[] {
  for (let i = 1; i < records.length; i++) {
    const prev = records[i - 1];
    const cur = records[i];
    if (prev && cur && compareSortKeys(prev.sort, cur.sort) > 0)
      return [...records].sort((x, y) => compareSortKeys(x.sort, y.sort));
  }
  return records;
}
