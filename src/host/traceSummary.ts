import type { VirtualTime } from "../engine/io";
import type { TraceEvent } from "../sim/trace";

/**
 * A stretch of trace history told in counts: what a long run keeps of the
 * events it no longer holds one by one (issue 10, part 3). Its size depends
 * on the number of processes, never on the number of events, so a page can
 * keep it for an hour-long run.
 */

/** One process's share of the stretch. */
export interface NodeTally {
  /** Trace events about it (sent by it, for sends and connection events). */
  events: number;
  /** Commands clients sent it (the console, a script, a load generator). */
  commands: number;
  /** Chunks it wrote on its connections, and their bytes. */
  sends: number;
  bytesSent: number;
  /** Replicas it served with +FULLRESYNC, and with +CONTINUE. */
  fullSyncs: number;
  partialSyncs: number;
  /** Times it started, and died (a crash fault or an engine error). */
  starts: number;
  crashes: number;
  /** Redis log lines it wrote. */
  logLines: number;
}

export interface TraceSummary {
  events: number;
  /** Virtual time of the first and the last event summarised (0 when none). */
  fromUs: VirtualTime;
  toUs: VirtualTime;
  /** Faults applied (cut, heal, crash, …), and ledger changes recorded. */
  faults: number;
  ledgerChanges: number;
  byNode: Record<string, NodeTally>;
}

export function emptySummary(): TraceSummary {
  return { events: 0, fromUs: 0, toUs: 0, faults: 0, ledgerChanges: 0, byNode: {} };
}

function emptyTally(): NodeTally {
  return {
    events: 0,
    commands: 0,
    sends: 0,
    bytesSent: 0,
    fullSyncs: 0,
    partialSyncs: 0,
    starts: 0,
    crashes: 0,
    logLines: 0,
  };
}

/** The process an event is about: the sender for what travels on a connection. */
function nodeOf(e: TraceEvent): string | null {
  switch (e.type) {
    case "send":
    case "deliver":
    case "connOpen":
    case "connClose":
      return e.from;
    case "fault":
    case "ledger":
      return null;
    default:
      return e.node;
  }
}

/** Adds `events` to `summary`, in place (the caller owns it). */
export function summarise(summary: TraceSummary, events: readonly TraceEvent[]): void {
  for (const e of events) summariseEvent(summary, e);
}

/** Adds one event to `summary`, in place. */
export function summariseEvent(summary: TraceSummary, e: TraceEvent): void {
  if (summary.events === 0) summary.fromUs = e.t;
  summary.events++;
  summary.toUs = Math.max(summary.toUs, e.t);
  const name = nodeOf(e);
  if (name === null) {
    if (e.type === "fault") summary.faults++;
    else summary.ledgerChanges++;
    return;
  }
  const n = (summary.byNode[name] ??= emptyTally());
  n.events++;
  switch (e.type) {
    case "command":
      n.commands++;
      break;
    case "send":
      n.sends++;
      n.bytesSent += e.bytes.length;
      break;
    case "nodeStarted":
      n.starts++;
      break;
    case "nodeCrashed":
      n.crashes++;
      break;
    case "process":
      if (e.event.type === "log") n.logLines++;
      else if (e.event.type === "sync") {
        if (e.event.decision === "fullresync") n.fullSyncs++;
        else n.partialSyncs++;
      }
      break;
    default:
      break;
  }
}

/**
 * Adds the stretch `later` (which follows what `summary` holds) to
 * `summary`, in place: the same as summarising its events one by one.
 */
export function addSummary(summary: TraceSummary, later: TraceSummary): void {
  if (later.events === 0) return;
  if (summary.events === 0) summary.fromUs = later.fromUs;
  summary.events += later.events;
  summary.toUs = Math.max(summary.toUs, later.toUs);
  summary.faults += later.faults;
  summary.ledgerChanges += later.ledgerChanges;
  for (const [name, t] of Object.entries(later.byNode)) {
    const n = (summary.byNode[name] ??= emptyTally());
    for (const k of Object.keys(t) as (keyof NodeTally)[]) n[k] += t[k];
  }
}

/** `a` then `b` (the stretch `b` follows the stretch `a`), as a new summary. */
export function mergeSummaries(a: TraceSummary, b: TraceSummary): TraceSummary {
  if (a.events === 0) return cloneSummary(b);
  if (b.events === 0) return cloneSummary(a);
  const out = cloneSummary(a);
  out.events += b.events;
  out.fromUs = Math.min(a.fromUs, b.fromUs);
  out.toUs = Math.max(a.toUs, b.toUs);
  out.faults += b.faults;
  out.ledgerChanges += b.ledgerChanges;
  for (const [name, t] of Object.entries(b.byNode)) {
    const n = (out.byNode[name] ??= emptyTally());
    for (const k of Object.keys(t) as (keyof NodeTally)[]) n[k] += t[k];
  }
  return out;
}

export function cloneSummary(s: TraceSummary): TraceSummary {
  const byNode: Record<string, NodeTally> = {};
  for (const [name, t] of Object.entries(s.byNode)) byNode[name] = { ...t };
  return { ...s, byNode };
}

/** The sum of every process's tally. */
export function totalTally(s: TraceSummary): NodeTally {
  const total = emptyTally();
  for (const t of Object.values(s.byNode))
    for (const k of Object.keys(t) as (keyof NodeTally)[]) total[k] += t[k];
  return total;
}
