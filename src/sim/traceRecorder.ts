import type { TraceRecord } from "./hostStep";
import type { QueueKey } from "./eventQueue";
import type { SortKey } from "./order";
import { keyTuple } from "./order";
import type { TraceEvent } from "./trace";

/**
 * What a host records in one step, grouped by the place of each group in the
 * canonical order (the fired event's effective key, or a boundary action's
 * own key), so the coordinator can merge the hosts' groups.
 */
export class TraceRecorder {
  private records: TraceRecord[] = [];
  /** Where the current group belongs: a sort key, or a queue key not turned into one yet. */
  private sort: SortKey | null = [];
  private key: QueueKey | null = null;
  /** The current group's record; null until it records an event. */
  private current: { readonly sort: SortKey; events: readonly TraceEvent[] } | null = null;
  /** The events of the step's last record while they may be shared (see `record`). */
  private last: readonly TraceEvent[] | null = null;

  /** Starts the step over. */
  clear(): void {
    this.records = [];
    this.last = null;
    this.beginGroup([]);
  }

  /** Events recorded from now on belong at `sort`. */
  beginGroup(sort: SortKey): void {
    this.sort = sort;
    this.key = null;
    this.current = null;
  }

  /**
   * Events recorded from now on belong at the queue key `key`. Most fired
   * events record nothing, so the sort key is made only for a first event.
   */
  beginKeyGroup(key: QueueKey): void {
    this.sort = null;
    this.key = key;
    this.current = null;
  }

  record(event: TraceEvent): void {
    const current = this.current;
    if (current !== null) {
      // A shared array is copied before it grows; the copy is the group's own.
      if (current.events === this.last) current.events = [...current.events];
      (current.events as TraceEvent[]).push(event);
      return;
    }
    // A group whose only event so far is the previous group's only event
    // (a pipelined burst's shared +OK, one group per command) shares its
    // array: records are read-only, and a burst then allocates a record per
    // command but no array.
    const last = this.last;
    const events = last !== null && last.length === 1 && last[0] === event ? last : [event];
    const key = this.key;
    const sort = this.sort ?? (key ? keyTuple(key) : []);
    const record = { sort, events };
    this.current = record;
    this.last = events;
    this.records.push(record);
  }

  /** The step's records (a group without events is left out). */
  take(): readonly TraceRecord[] {
    return this.records;
  }
}
