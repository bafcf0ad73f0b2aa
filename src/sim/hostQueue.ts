import { EventQueue } from "./eventQueue";
import type { HostEvent } from "./hostState";
import type { Segment } from "./segments";

export function isSegment(ev: HostEvent): ev is Segment {
  return ev.kind === "deliver" || ev.kind === "syn" || ev.kind === "synAck" || ev.kind === "fin";
}

/**
 * A host's events in canonical order, counting the segments it holds by
 * sender: those are bytes in flight, which the settle condition asks about.
 */
export class HostQueue {
  private readonly heap: EventQueue<HostEvent>;
  private readonly segmentsFrom = new Map<string, number>();

  /** `heap`: what `items()` returned, to carry a queue to a new worker. */
  constructor(heap: readonly HostEvent[] = []) {
    this.heap = EventQueue.fromHeap(heap);
    for (const ev of heap) this.count(ev, 1);
  }

  peek(): HostEvent | undefined {
    return this.heap.peek();
  }

  push(ev: HostEvent): void {
    this.heap.push(ev);
    this.count(ev, 1);
  }

  pop(): HostEvent | undefined {
    const ev = this.heap.pop();
    if (ev) this.count(ev, -1);
    return ev;
  }

  /** Drops the segments of one connection (a reset). */
  dropConnection(conn: string): void {
    for (const ev of this.heap.removeWhere((e) => isSegment(e) && e.conn === conn))
      this.count(ev, -1);
  }

  /** Queued segments by sender (only senders with some). */
  segmentCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [from, n] of this.segmentsFrom) if (n > 0) counts[from] = n;
    return counts;
  }

  items(): readonly HostEvent[] {
    return this.heap.items();
  }

  private count(ev: HostEvent, delta: number): void {
    if (isSegment(ev))
      this.segmentsFrom.set(ev.from, (this.segmentsFrom.get(ev.from) ?? 0) + delta);
  }
}
