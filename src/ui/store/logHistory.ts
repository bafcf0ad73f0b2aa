import type { TraceSummary } from "../../host/traceSummary";
import {
  cloneSummary,
  emptySummary,
  mergeSummaries,
  summariseEvent,
  totalTally,
} from "../../host/traceSummary";
import type { TraceEvent } from "../../sim/trace";
import { formatBytes } from "../format/bytes";
import { formatClock } from "../format/time";
import type { LogEntry } from "./state";

/**
 * What the Log view no longer lists, in counts (issue 10, part 3). The log
 * keeps its newest `MAX_LOG_ENTRIES` entries; the trace events up to the
 * entries it let go are folded into `earlier`, so a long run still says what
 * happened before the oldest line shown. Bounded: one small summary per kept
 * entry at most, whatever the length of the run.
 */
export interface LogHistory {
  /** The trace events up to and including the newest entry let go (null when none was). */
  readonly earlier: TraceSummary | null;
  /** The entries let go, by kind. */
  readonly droppedEntries: Readonly<Record<LogEntry["kind"], number>>;
  /** The events since the previous segment up to each kept entry that a trace event wrote, oldest first. */
  readonly segments: readonly LogSegment[];
  /** The events since the newest segment. */
  readonly open: TraceSummary;
}

export interface LogSegment {
  /** The id of the log entry that closed it. */
  readonly entryId: number;
  readonly summary: TraceSummary;
}

export function emptyLogHistory(): LogHistory {
  return {
    earlier: null,
    droppedEntries: { log: 0, fault: 0, process: 0, sync: 0 },
    segments: [],
    open: emptySummary(),
  };
}

/** A working copy for one `reduceTrace`: the open summary is copied once, then changed in place. */
export interface HistoryDraft {
  readonly from: LogHistory;
  open: TraceSummary;
  segments: LogSegment[] | null;
}

export function draftHistory(h: LogHistory): HistoryDraft {
  return { from: h, open: cloneSummary(h.open), segments: null };
}

/** Counts `e`; when it wrote log entries, the newest of them (`entryId`) closes the open segment. */
export function noteEvent(d: HistoryDraft, e: TraceEvent, entryId: number | null): void {
  summariseEvent(d.open, e);
  if (entryId === null) return;
  d.segments ??= [...d.from.segments];
  d.segments.push({ entryId, summary: d.open });
  d.open = emptySummary();
}

/**
 * The history once `log` is cut to `kept`: the segments that end before the
 * oldest kept entry are folded into `earlier`, with the entries let go.
 */
export function finishHistory(
  d: HistoryDraft,
  log: readonly LogEntry[],
  kept: readonly LogEntry[],
): LogHistory {
  const segments = d.segments ?? d.from.segments;
  let earlier = d.from.earlier;
  let droppedEntries = d.from.droppedEntries;
  let rest = segments;
  const firstKept = kept[0]?.id;
  if (kept.length < log.length && firstKept !== undefined) {
    const dropped = { ...droppedEntries };
    for (const entry of log.slice(0, log.length - kept.length)) dropped[entry.kind]++;
    droppedEntries = dropped;
    let i = 0;
    for (; i < segments.length; i++) {
      const s = segments[i];
      if (!s || s.entryId >= firstKept) break;
      earlier = earlier ? mergeSummaries(earlier, s.summary) : cloneSummary(s.summary);
    }
    rest = i > 0 ? segments.slice(i) : segments;
  }
  return { earlier, droppedEntries, segments: rest, open: d.open };
}

/**
 * The line the Log view shows above its oldest entry once entries were let
 * go: `Earlier: 1,234,567 events from 0.000 s to 512.300 s summarised (…)`.
 */
export function describeEarlier(
  earlier: TraceSummary | null,
  droppedEntries: LogHistory["droppedEntries"],
): string | null {
  if (!earlier || earlier.events === 0) return null;
  const t = totalTally(earlier);
  const count = (n: number, one: string, many: string) =>
    `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
  const parts = [
    count(t.commands, "command", "commands"),
    `${formatBytes(t.bytesSent)} sent`,
    count(t.fullSyncs, "full sync", "full syncs"),
    count(t.partialSyncs, "partial sync", "partial syncs"),
    count(earlier.faults, "fault", "faults"),
    count(t.crashes, "crash", "crashes"),
    count(t.starts, "start", "starts"),
    count(
      droppedEntries.log + droppedEntries.fault + droppedEntries.process + droppedEntries.sync,
      "log entry",
      "log entries",
    ),
  ];
  return (
    `Earlier: ${count(earlier.events, "event", "events")} from ${formatClock(earlier.fromUs)} ` +
    `to ${formatClock(earlier.toUs)} summarised (${parts.join(", ")})`
  );
}
