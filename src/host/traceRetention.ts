import type { TraceEvent } from "../sim/trace";
import type { TraceSummary } from "./traceSummary";
import { cloneSummary, emptySummary, summarise } from "./traceSummary";

/** What the retention watches: a cluster with a `traceLimit` (the coordinator). */
export interface TraceSource {
  onTrace(listener: (events: readonly TraceEvent[]) => void): () => void;
  /** How many of the oldest events the cluster has let go so far. */
  traceDropped(): number;
}

/**
 * Keeps, in counts, the trace history a cluster let go: the cluster keeps its
 * newest events (`traceLimit`) and drops the older ones in halves; this folds
 * exactly the dropped ones into a `TraceSummary`. It holds the batches the
 * cluster still holds by reference (no copy), so it adds a few pointers per
 * batch to the cluster's own bound.
 */
export class TraceRetention {
  /** Batches the cluster may still hold, oldest first from `head`; `skip` of that one are summarised. */
  private held: (readonly TraceEvent[])[] = [];
  private head = 0;
  private skip = 0;
  /** Events summarised: the index, in the whole trace, of the first held and unsummarised one. */
  private summarised = 0;
  private readonly earlier: TraceSummary = emptySummary();
  private readonly unsubscribe: () => void;

  constructor(private readonly source: TraceSource) {
    this.unsubscribe = source.onTrace((events) => this.take(events));
  }

  /** The events the cluster no longer holds, summarised (a copy). */
  summary(): TraceSummary {
    return cloneSummary(this.earlier);
  }

  dispose(): void {
    this.unsubscribe();
  }

  private take(events: readonly TraceEvent[]): void {
    if (events.length > 0) this.held.push(events);
    const dropped = this.source.traceDropped();
    while (this.summarised < dropped) {
      const first = this.held[this.head];
      if (!first) break;
      const end = Math.min(first.length, this.skip + (dropped - this.summarised));
      const part = this.skip === 0 && end === first.length ? first : first.slice(this.skip, end);
      summarise(this.earlier, part);
      this.summarised += end - this.skip;
      if (end === first.length) {
        this.head++;
        this.skip = 0;
      } else this.skip = end;
    }
    // Forget the batches let go, now and then, so each is moved at most once on average.
    if (this.head > 0 && this.head * 2 >= this.held.length) {
      this.held = this.held.slice(this.head);
      this.head = 0;
    }
  }
}
