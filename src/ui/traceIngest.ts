import type { VirtualTime } from "../engine/io";
import type { TraceEvent } from "../sim/trace";
import { pruneTraffic, reduceTrace } from "./store/reduceTrace";
import type { PlaygroundState } from "./store/state";

/**
 * The most main-thread time one flush spends folding trace events into the
 * state: half a 60 Hz frame, so the page still draws while a burst streams in.
 */
export const INGEST_BUDGET_MS = 8;

/** Events folded between two looks at the clock. */
const CHUNK_EVENTS = 500;

export interface Ingested {
  readonly state: PlaygroundState;
  /** The events left for the next flush (empty when all were taken). */
  readonly rest: TraceEvent[];
}

/**
 * Folds `pending` into `state` in chunks until the budget is spent. When some
 * are left, the state's clock stops at the last event folded (the page shows
 * the run as far as it has read it) and the caller continues on a later task;
 * once all are in, the clock moves on to `now`.
 */
export function ingestWithinBudget(
  state: PlaygroundState,
  pending: readonly TraceEvent[],
  now: VirtualTime,
  budgetMs = INGEST_BUDGET_MS,
  clock: () => number = () => performance.now(),
): Ingested {
  const started = clock();
  let s = state;
  let taken = 0;
  while (taken < pending.length) {
    const chunk = pending.slice(taken, taken + CHUNK_EVENTS);
    taken += chunk.length;
    s = reduceTrace(s, chunk);
    if (clock() - started >= budgetMs) break;
  }
  const rest = pending.slice(taken);
  const last = pending[taken - 1];
  const t = rest.length === 0 || !last ? now : Math.max(s.now, last.t);
  return { state: pruneTraffic({ ...s, now: t }, t), rest };
}
