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

/**
 * A priority queue of keyed items: a binary min-heap, plus a FIFO lane for
 * items pushed in increasing key order (a burst of client commands, a peer's
 * segments), which then cost O(1) instead of a sift through the heap. The
 * next item is the smaller of the two heads; keys are unique, so the order
 * is the same as one heap's.
 */
export class EventQueue<T extends QueueKey> {
  private heap: T[] = [];
  private run: T[] = [];
  private head = 0;

  /** A queue holding `items` (in any order, e.g. as `items()` returned them). */
  static fromHeap<T extends QueueKey>(items: readonly T[]): EventQueue<T> {
    const queue = new EventQueue<T>();
    for (const item of items) queue.push(item);
    return queue;
  }

  get size(): number {
    return this.heap.length + this.run.length - this.head;
  }

  /** The queued items in no particular order, for export. */
  items(): readonly T[] {
    return [...this.heap, ...this.run.slice(this.head)];
  }

  push(item: T): void {
    const run = this.run;
    const tail = run[run.length - 1];
    if (this.head === run.length || (tail !== undefined && compareKeys(tail, item) < 0)) {
      run.push(item);
      return;
    }
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
    const r = this.run[this.head];
    const h = this.heap[0];
    if (r === undefined) return h;
    return h !== undefined && compareKeys(h, r) < 0 ? h : r;
  }

  pop(): T | undefined {
    const r = this.run[this.head];
    const h = this.heap[0];
    if (r !== undefined && (h === undefined || compareKeys(r, h) < 0)) {
      this.head++;
      if (this.head === this.run.length) {
        this.run = [];
        this.head = 0;
      } else if (this.head >= 1024 && this.head * 2 >= this.run.length) {
        this.run = this.run.slice(this.head);
        this.head = 0;
      }
      return r;
    }
    return this.popHeap();
  }

  private popHeap(): T | undefined {
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
    return this.heap.some(pred) || this.run.slice(this.head).some(pred);
  }

  /** Removes every item the predicate selects. */
  removeWhere(pred: (item: T) => boolean): T[] {
    const all = this.items();
    const removed = all.filter(pred);
    if (removed.length === 0) return removed;
    this.heap = [];
    this.run = [];
    this.head = 0;
    const kept = all.filter((x) => !pred(x)).sort(compareKeys);
    for (const x of kept) this.push(x);
    return removed;
  }
}
