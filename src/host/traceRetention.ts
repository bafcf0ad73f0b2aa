import type { TraceEvent } from "../sim/trace";
import type { TraceSummary } from "./traceSummary";
import { addSummary, cloneSummary, emptySummary, summarise } from "./traceSummary";

/** What the retention watches: a cluster streaming its trace. */
export interface TraceSource {
  onTrace(listener: (events: readonly TraceEvent[]) => void): () => void;
}

/**
 * Events per chunk: the newest chunk is held as objects while it fills; a
 * full one is sealed into one string (`JSON.stringify` of a chunk this size
 * takes a millisecond or two, well inside a frame).
 */
export const CHUNK_EVENTS = 2048;

/**
 * A sealed chunk: its events as JSON text, or as they are when JSON would
 * not give them back exactly, and their summary, made while they were at
 * hand, so letting the chunk go never decodes it.
 */
type Chunk = { readonly count: number; readonly summary: TraceSummary } & (
  { readonly text: string } | { readonly events: readonly TraceEvent[] }
);

/**
 * Chunks sealed per task, at most: a few milliseconds each (eight made one
 * task of 57 ms in an hour-long run).
 */
const SEALS_PER_TASK = 2;

/**
 * Keeps a cluster's newest trace events, at least `limit` of them and at
 * most `limit` and two chunks' worth, and the older ones in counts: what it lets go
 * is folded, exactly, into a `TraceSummary`.
 *
 * The events are kept compact: every full chunk of them is one JSON string
 * (the trace's own line format, which gives them back exactly; a chunk that
 * JSON would change, with a bigint or an undefined field, stays as objects),
 * decoded only when someone reads the trace (the export, a step back); a
 * chunk let go gives up its summary, made when it was sealed. Keeping tens of thousands of event objects alive for a
 * while, each with its arrays and strings, made them survive into V8's old
 * generation and the page's main thread paid for them in long major GCs;
 * a few dozen strings cost the collector nothing to walk.
 */
export class TraceRetention {
  private chunks: Chunk[] = [];
  private head = 0;
  /** Events in the chunks from `head`, and in `open`. */
  private keptEvents = 0;
  /** The newest events, not sealed yet. */
  private open: TraceEvent[] = [];
  private dropped = 0;
  /** The task that seals the full chunks of `open`, when one is due. */
  private sealing: ReturnType<typeof setTimeout> | null = null;
  private readonly earlier: TraceSummary = emptySummary();
  private readonly unsubscribe: () => void;

  constructor(
    source: TraceSource,
    /** How many of the newest events to keep, at least (`Infinity`: all of them). */
    private readonly limit: number,
    private readonly chunkEvents = CHUNK_EVENTS,
  ) {
    this.unsubscribe = source.onTrace((events) => this.take(events));
  }

  /** The kept events, oldest first (a new array, decoded from the chunks). */
  events(): TraceEvent[] {
    this.sealFull();
    const out: TraceEvent[] = [];
    for (let i = this.head; i < this.chunks.length; i++) {
      const chunk = this.chunks[i];
      if (chunk) for (const e of decode(chunk)) out.push(e);
    }
    for (const e of this.open) out.push(e);
    return out;
  }

  /** How many events it keeps (without decoding them). */
  kept(): number {
    this.sealFull();
    return this.keptEvents;
  }

  /** How many of the oldest events it has let go. */
  droppedEvents(): number {
    this.sealFull();
    return this.dropped;
  }

  /** The events let go, summarised (a copy). */
  summary(): TraceSummary {
    this.sealFull();
    return cloneSummary(this.earlier);
  }

  dispose(): void {
    this.unsubscribe();
    if (this.sealing !== null) clearTimeout(this.sealing);
    this.sealing = null;
  }

  /**
   * Sealing waits for a task of its own: a window of a burst hands over
   * a hundred thousand events at once, and sealing them where they arrive
   * held the main thread for 110 ms between the master's window and the
   * replicas' (scripts/worker-profile.ts), with the replicas' step not yet
   * posted. Every reader seals first, so what it sees is the same.
   */
  private take(events: readonly TraceEvent[]): void {
    for (const e of events) this.open.push(e);
    this.keptEvents += events.length;
    if (this.open.length >= this.chunkEvents && this.sealing === null)
      this.sealing = setTimeout(() => this.sealSome(SEALS_PER_TASK), 0);
  }

  /** Seals every full chunk of the open events, oldest first. */
  private sealFull(): void {
    this.sealSome(Infinity);
  }

  /**
   * Seals up to `most` full chunks of the open events, oldest first; a
   * burst's remainder waits for the next task. Full chunks that would be
   * let go as soon as sealed (a burst longer than the limit) are summarised
   * and let go without being encoded.
   */
  private sealSome(most: number): void {
    if (this.sealing !== null) clearTimeout(this.sealing);
    this.sealing = null;
    const open = this.open;
    const size = this.chunkEvents;
    let from = 0;
    this.letGo();
    for (; open.length - from >= size && this.head >= this.chunks.length; from += size) {
      if (this.keptEvents - size < this.limit) break;
      summarise(this.earlier, open.slice(from, from + size));
      this.keptEvents -= size;
      this.dropped += size;
    }
    for (let n = 0; n < most && open.length - from >= size; n++, from += size) {
      const events = open.slice(from, from + size);
      const summary = emptySummary();
      summarise(summary, events);
      this.chunks.push(
        plainJson(events)
          ? { count: size, summary, text: JSON.stringify(events) }
          : { count: size, summary, events },
      );
      this.letGo();
    }
    if (from > 0) this.open = open.slice(from);
    if (this.open.length >= size) this.sealing = setTimeout(() => this.sealSome(SEALS_PER_TASK), 0);
  }

  /** Lets go of the oldest chunks while the rest still hold `limit` events. */
  private letGo(): void {
    for (;;) {
      const first = this.chunks[this.head];
      if (!first || this.keptEvents - first.count < this.limit) break;
      addSummary(this.earlier, first.summary);
      this.keptEvents -= first.count;
      this.dropped += first.count;
      this.head++;
    }
    // Forget the chunks let go, now and then, so each is moved at most once on average.
    if (this.head > 0 && this.head * 2 >= this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }
}

function decode(chunk: Chunk): readonly TraceEvent[] {
  return "text" in chunk ? (JSON.parse(chunk.text) as TraceEvent[]) : chunk.events;
}

/**
 * Whether JSON gives `value` back exactly: plain objects and arrays of
 * strings, booleans, null and finite numbers (not -0), and no undefined
 * field. One pass with a stack.
 */
export function plainJson(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    switch (typeof v) {
      case "string":
      case "boolean":
        break;
      case "number":
        if (!Number.isFinite(v) || (v === 0 && 1 / v < 0)) return false;
        break;
      case "object":
        if (v === null) break;
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) {
            if (!(i in v)) return false;
            stack.push((v as unknown[])[i]);
          }
        } else {
          if (Object.getPrototypeOf(v) !== Object.prototype) return false;
          for (const k in v) stack.push((v as Record<string, unknown>)[k]);
        }
        break;
      default:
        return false;
    }
  }
  return true;
}
