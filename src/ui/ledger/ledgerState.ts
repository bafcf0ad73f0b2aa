import type { LedgerEntry, StaleRead } from "../../sim/ledger";
import type { TraceEvent } from "../../sim/trace";

/** What the page shows of the ledger: every acknowledged write (by id) and every stale read. */
export interface LedgerState {
  readonly entries: readonly LedgerEntry[];
  readonly stale: readonly StaleRead[];
}

export const EMPTY_LEDGER: LedgerState = { entries: [], stale: [] };

/**
 * Folds the coordinator's `ledger` trace events into the page's ledger. Pure;
 * returns the same object when no event is about the ledger.
 */
export function reduceLedger(state: LedgerState, events: readonly TraceEvent[]): LedgerState {
  let entries: LedgerEntry[] | null = null;
  let stale: StaleRead[] | null = null;
  for (const e of events) {
    if (e.type !== "ledger") continue;
    if (e.change === "staleRead") {
      (stale ??= [...state.stale]).push(e.read);
    } else {
      entries ??= [...state.entries];
      entries[e.entry.id] = e.entry;
    }
  }
  if (!entries && !stale) return state;
  return { entries: entries ?? state.entries, stale: stale ?? state.stale };
}

/** The counts `expect ledger` reads, as the panel's header shows them. */
export function ledgerCounts(state: LedgerState): {
  acknowledged: number;
  lost: number;
  staleReads: number;
} {
  return {
    acknowledged: state.entries.length,
    lost: state.entries.filter((e) => e.lost !== null).length,
    staleReads: state.stale.length,
  };
}
