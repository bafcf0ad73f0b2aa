import { EventQueue, compareKeys } from "./eventQueue";
import type { HostEvent } from "./hostState";
import type { Segment } from "./segments";

export function isSegment(ev: HostEvent): ev is Segment {
  return ev.kind === "deliver" || ev.kind === "syn" || ev.kind === "synAck" || ev.kind === "fin";
}

/**
 * A host's events in canonical order, counting the segments it holds by
 * sender: those are bytes in flight, which the settle condition asks about.
 *
 * Most events arrive already in key order (a burst of client commands, a
 * peer's segments), so there are two lanes: a FIFO for every event that comes
 * after the last one it holds, and a heap for the rest. The next event is the
 * smaller of the two heads; keys are unique, so the order is the same as one
 * heap's.
 */
export class HostQueue {
  private readonly heap: EventQueue<HostEvent>;
  private fifo: HostEvent[] = [];
  private head = 0;
  private readonly segmentsFrom = new Map<string, number>();

  /** `items`: what `items()` returned, to carry a queue to a new worker. */
  constructor(items: readonly HostEvent[] = []) {
    this.heap = new EventQueue();
    for (const ev of items) this.push(ev);
  }

  peek(): HostEvent | undefined {
    const f = this.fifo[this.head];
    const h = this.heap.peek();
    if (f === undefined) return h;
    return h !== undefined && compareKeys(h, f) < 0 ? h : f;
  }

  push(ev: HostEvent): void {
    const tail = this.fifo[this.fifo.length - 1];
    if (this.head === this.fifo.length || (tail !== undefined && compareKeys(tail, ev) < 0))
      this.fifo.push(ev);
    else this.heap.push(ev);
    this.count(ev, 1);
  }

  pop(): HostEvent | undefined {
    const f = this.fifo[this.head];
    const h = this.heap.peek();
    let ev: HostEvent | undefined;
    if (f !== undefined && (h === undefined || compareKeys(f, h) < 0)) {
      ev = f;
      this.head++;
      if (this.head === this.fifo.length) {
        this.fifo = [];
        this.head = 0;
      } else if (this.head >= 1024 && this.head * 2 >= this.fifo.length) {
        this.fifo = this.fifo.slice(this.head);
        this.head = 0;
      }
    } else {
      ev = this.heap.pop();
    }
    if (ev) this.count(ev, -1);
    return ev;
  }

  /** Drops the segments of one connection (a reset). */
  dropConnection(conn: string): void {
    const drop = (e: HostEvent) => isSegment(e) && e.conn === conn;
    for (const ev of this.heap.removeWhere(drop)) this.count(ev, -1);
    const live = this.fifo.slice(this.head);
    for (const ev of live) if (drop(ev)) this.count(ev, -1);
    this.fifo = live.filter((ev) => !drop(ev));
    this.head = 0;
  }

  /** Queued segments by sender (only senders with some). */
  segmentCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [from, n] of this.segmentsFrom) if (n > 0) counts[from] = n;
    return counts;
  }

  /** Every queued event (in no particular order), for export. */
  items(): readonly HostEvent[] {
    return [...this.heap.items(), ...this.fifo.slice(this.head)];
  }

  private count(ev: HostEvent, delta: number): void {
    if (isSegment(ev))
      this.segmentsFrom.set(ev.from, (this.segmentsFrom.get(ev.from) ?? 0) + delta);
  }
}
