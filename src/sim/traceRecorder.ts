import type { TraceRecord } from "./hostStep";
import type { SortKey } from "./order";
import type { TraceEvent } from "./trace";

/**
 * What a host records in one step, grouped by the place of each group in the
 * canonical order (the fired event's effective key, or a boundary action's
 * own key), so the coordinator can merge the hosts' groups.
 */
export class TraceRecorder {
  private records: TraceRecord[] = [];
  private group: { sort: SortKey; events: TraceEvent[] | null } = { sort: [], events: null };

  /** Starts the step over. */
  clear(): void {
    this.records = [];
    this.group = { sort: [], events: null };
  }

  /** Events recorded from now on belong at `sort`. */
  beginGroup(sort: SortKey): void {
    this.group = { sort, events: null };
  }

  record(event: TraceEvent): void {
    if (!this.group.events) {
      this.group.events = [];
      this.records.push({ sort: this.group.sort, events: this.group.events });
    }
    this.group.events.push(event);
  }

  /** The step's records (a group without events is left out). */
  take(): readonly TraceRecord[] {
    return this.records;
  }
}
