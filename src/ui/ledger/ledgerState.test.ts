import { describe, expect, it } from "vitest";
import type { LedgerEntry } from "../../sim/ledger";
import type { TraceEvent } from "../../sim/trace";
import { EMPTY_LEDGER, ledgerCounts, reduceLedger } from "./ledgerState";

const entry = (id: number, lost: LedgerEntry["lost"] = null): LedgerEntry => ({
  id,
  client: "app",
  command: ["SET", `k${id}`, "v"],
  node: "m",
  replId: "a".repeat(40),
  offset: 100 + id,
  ackedAt: 1000 * id,
  waited: null,
  lost,
});

describe("the page's ledger", () => {
  it("counts acknowledged writes, replaces one when it is lost, and keeps stale reads", () => {
    const events: TraceEvent[] = [
      { t: 1, type: "ledger", change: "acknowledged", entry: entry(0) },
      { t: 2, type: "ledger", change: "acknowledged", entry: entry(1) },
      { t: 9, type: "ledger", change: "lost", entry: entry(1, { from: 2, to: 9 }) },
      {
        t: 10,
        type: "ledger",
        change: "staleRead",
        read: {
          client: "app",
          command: ["GET", "k1"],
          server: "10.0.0.2:6379",
          at: 10,
          got: null,
          expected: "v",
        },
      },
    ];
    const state = reduceLedger(EMPTY_LEDGER, events);
    expect(ledgerCounts(state)).toEqual({ acknowledged: 2, lost: 1, staleReads: 1 });
    expect(state.entries[1]?.lost).toEqual({ from: 2, to: 9 });
  });

  it("returns the same state for events that are not about the ledger", () => {
    const state = reduceLedger(EMPTY_LEDGER, [{ t: 1, type: "nodeCrashed", node: "m" }]);
    expect(state).toBe(EMPTY_LEDGER);
  });
});
