import type { VirtualTime } from "../engine/io";

/**
 * Events are ordered by time, then by who caused them, then by that source's
 * own sequence number: an order that does not depend on how the simulation is
 * scheduled, so workers and the in-process run agree.
 */
export interface QueueKey {
  readonly at: VirtualTime;
  /** Rank of the process (or harness, -1) that caused the event. */
  readonly source: number;
  /** That source's own event counter. */
  readonly seq: number;
}

export function compareKeys(a: QueueKey, b: QueueKey): number {
  return a.at - b.at || a.source - b.source || a.seq - b.seq;
}

/** A binary min-heap of keyed items. */
export class EventQueue<T extends QueueKey> {
  private heap: T[] = [];

  /** A queue holding `items`, which must be an array `items()` returned (a valid heap). */
  static fromHeap<T extends QueueKey>(items: readonly T[]): EventQueue<T> {
    const queue = new EventQueue<T>();
    queue.heap = [...items];
    return queue;
  }

  get size(): number {
    return this.heap.length;
  }

  /** The queued items in heap order (not sorted), for export. */
  items(): readonly T[] {
    return this.heap;
  }

  push(item: T): void {
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent];
      if (!p || compareKeys(p, item) <= 0) break;
      h[i] = p;
      i = parent;
    }
    h[i] = item;
  }

  peek(): T | undefined {
    return this.heap[0];
  }

  pop(): T | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      let best: T = last;
      const lv = h[l];
      const rv = h[r];
      if (lv && compareKeys(lv, best) < 0) {
        m = l;
        best = lv;
      }
      if (rv && compareKeys(rv, best) < 0) {
        m = r;
        best = rv;
      }
      if (m === i) break;
      h[i] = best;
      i = m;
    }
    h[i] = last;
    return top;
  }

  /** Whether any queued item satisfies the predicate. */
  some(pred: (item: T) => boolean): boolean {
    return this.heap.some(pred);
  }

  /** Removes every item the predicate selects. */
  removeWhere(pred: (item: T) => boolean): T[] {
    const removed = this.heap.filter(pred);
    if (removed.length === 0) return removed;
    const kept = this.heap.filter((x) => !pred(x));
    this.heap = [];
    for (const x of kept) this.push(x);
    return removed;
  }
}
