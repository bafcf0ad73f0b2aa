import { describe, expect, it } from "vitest";
import type { PsyncState } from "./psync";
import { decidePsync } from "./psync";

const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(40);

function master(over: Partial<PsyncState> = {}): PsyncState {
  return {
    replId: A,
    replId2: "0".repeat(40),
    secondReplOffset: -1,
    backlog: { firstByteOffset: 101, histlen: 900 },
    masterReplOffset: 1000,
    ...over,
  };
}

describe("the master's PSYNC decision (masterTryPartialResynchronization)", () => {
  it("accepts its own replid with an offset inside the backlog", () => {
    expect(decidePsync(master(), "r", A, 500).accept).toBe(true);
  });

  it("accepts an offset one past the end: nothing is missing", () => {
    expect(decidePsync(master(), "r", A, 1001).accept).toBe(true);
  });

  it("compares replication ids case-insensitively", () => {
    expect(decidePsync(master(), "r", A.toUpperCase(), 500).accept).toBe(true);
  });

  it("gives a replica whose offset fell out of the backlog a full resync", () => {
    const d = decidePsync(master(), "r", A, 100);
    expect(d).toMatchObject({ accept: false, reason: "noBacklog", requestedFull: false });
  });

  it("warns when a replica asks for an offset beyond the master's", () => {
    const d = decidePsync(master(), "10.0.0.2:6379", A, 1002);
    expect(d.accept).toBe(false);
    if (!d.accept) expect(d.log[1]).toContain("tried to PSYNC with an offset that is greater");
  });

  it("refuses everything without a backlog", () => {
    expect(decidePsync(master({ backlog: null }), "r", A, 1).accept).toBe(false);
  });

  it("accepts replid2 up to second_repl_offset and not beyond", () => {
    const m = master({ replId: C, replId2: B, secondReplOffset: 801 });
    expect(decidePsync(m, "r", B, 801).accept).toBe(true);
    const d = decidePsync(m, "r", B, 802);
    expect(d).toMatchObject({ accept: false, reason: "secondIdOffset" });
  });

  it("does not count PSYNC ? -1 as a failed partial resync", () => {
    const d = decidePsync(master(), "r", "?", -1);
    expect(d).toMatchObject({ accept: false, requestedFull: true, reason: "fullRequested" });
  });

  it("names both of its ids when the replica's id is unknown", () => {
    const d = decidePsync(master(), "r", C, 500);
    expect(d.accept).toBe(false);
    if (!d.accept) {
      expect(d.reason).toBe("replIdMismatch");
      expect(d.log[0]).toBe(
        `Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${C}', my replication IDs are '${A}' and '${"0".repeat(40)}')`,
      );
    }
  });
});
