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
  /** The current group's events; null until it records one. */
  private events: TraceEvent[] | null = null;

  /** Starts the step over. */
  clear(): void {
    this.records = [];
    this.beginGroup([]);
  }

  /** Events recorded from now on belong at `sort`. */
  beginGroup(sort: SortKey): void {
    this.sort = sort;
    this.key = null;
    this.events = null;
  }

  /**
   * Events recorded from now on belong at the queue key `key`. Most fired
   * events record nothing, so the sort key is made only for a first event.
   */
  beginKeyGroup(key: QueueKey): void {
    this.sort = null;
    this.key = key;
    this.events = null;
  }

  record(event: TraceEvent): void {
    if (this.events !== null) {
      this.events.push(event);
      return;
    }
    // A literal: the first push onto an empty array would reserve 17 slots.
    const events = (this.events = [event]);
    const key = this.key;
    const sort = this.sort ?? (key ? keyTuple(key) : []);
    this.records.push({ sort, events });
  }

  /** The step's records (a group without events is left out). */
  take(): readonly TraceRecord[] {
    return this.records;
  }
}
