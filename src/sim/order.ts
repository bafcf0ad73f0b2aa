import type { QueueKey } from "./eventQueue";

/**
 * The canonical order of a run. Every event has a key (time, source rank,
 * source sequence number), and a run is the sequence a single global queue
 * would fire: always the smallest pending key. A host fires its own events in
 * that order, and what it fires is tagged with its *effective* key (the
 * largest key fired so far in the step) so that the hosts' logs merge into the
 * one global sequence whatever order they ran in.
 */

/** Whether `a` comes strictly before `b`. Bounds may use ±Infinity. */
export function keyBefore(a: QueueKey, b: QueueKey): boolean {
  if (a.at !== b.at) return a.at < b.at;
  if (a.source !== b.source) return a.source < b.source;
  return a.seq < b.seq;
}

/** The later of two keys. */
export function laterKey(a: QueueKey, b: QueueKey): QueueKey {
  return keyBefore(a, b) ? b : a;
}

/** The earlier of two keys. */
export function earlierKey(a: QueueKey, b: QueueKey): QueueKey {
  return keyBefore(b, a) ? b : a;
}

/** Just before every event at `at`. */
export function startOf(at: number): QueueKey {
  return { at, source: -Infinity, seq: -Infinity };
}

/** Just after every event at `at`, including those it causes at the same instant. */
export function endOf(at: number): QueueKey {
  return { at, source: Infinity, seq: Infinity };
}

/** A key as a sort key. */
export function keyTuple(k: QueueKey): number[] {
  return [k.at, k.source, k.seq];
}

/**
 * A position in the trace: trace records are sorted by it within a step
 * (lexicographically; a prefix sorts first).
 */
export type SortKey = readonly number[];

export function compareSortKeys(a: SortKey, b: SortKey): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
