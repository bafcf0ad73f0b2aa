import { describe, expect, it } from "vitest";
import type { ByteString } from "../engine/bytes";
import type { Reply } from "../engine/reply";
import type { LedgerNodeState } from "./ledger";
import { Ledger } from "./ledger";
import type { TraceEvent } from "./trace";

const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(40);
const ZERO = "0".repeat(40);
const OK: Reply = { type: "simple", value: "OK" };

/** `client` wrote through `node`, which held it at `replId` up to `offset`, and was told OK. */
function write(
  t: number,
  node: string,
  replId: string,
  offset: number,
  argv: ByteString[],
): TraceEvent[] {
  return [
    { t, type: "process", node, event: { type: "write", client: "app", replId, offset } },
    {
      t: t + 1000,
      type: "process",
      node: "app",
      event: {
        type: "appClient",
        op: "write",
        argv,
        reply: OK,
        server: "10.0.0.1:6379",
        sentAt: t,
      },
    },
  ];
}

/** `node` took `replId`, whose history leaves `replId2` at `secondReplOffset`. */
function replIdEvent(
  t: number,
  node: string,
  replId: string,
  replId2: string,
  secondReplOffset: number,
): TraceEvent[] {
  return [
    { t, type: "process", node, event: { type: "replId", replId, replId2, secondReplOffset } },
  ];
}

function read(t: number, key: string, value: string | null): TraceEvent {
  return {
    t,
    type: "process",
    node: "app",
    event: {
      type: "appClient",
      op: "read",
      argv: ["GET", key],
      reply: { type: "bulk", value },
      server: "10.0.0.2:6379",
      sentAt: t - 1000,
    },
  };
}

const state = (
  node: string,
  replId: string,
  offset: number,
  replId2 = ZERO,
  secondReplOffset = -1,
): LedgerNodeState => ({ node, replId, replId2, secondReplOffset, offset });

describe("the ledger of acknowledged writes", () => {
  it("keeps a write that a promoted replica holds through replid2", () => {
    const ledger = new Ledger();
    ledger.ingest(write(10, "m", A, 100, ["SET", "k", "v"]));
    ledger.ingest([{ t: 20, type: "nodeCrashed", node: "m" }]);
    expect(ledger.needsCheck(0)).toBe(true);
    // r1 had offset 100 when promoted: its history is A up to 100, then B.
    ledger.check(30, [state("r1", B, 150, A, 101)]);
    expect(ledger.summary()).toMatchObject({ acknowledged: 1, lost: 0 });
  });

  it("finds again a write that reaches a replica after its master crashed, and says so", () => {
    const ledger = new Ledger();
    ledger.ingest(write(10, "m", A, 120, ["SET", "k", "v"]));
    ledger.ingest([{ t: 20, type: "nodeCrashed", node: "m" }]);
    // The bytes were on the wire when m died: r1 has not applied them yet.
    expect(ledger.check(20, [state("r1", A, 100)])[0]).toMatchObject({ change: "lost" });
    expect(ledger.needsCheck(500_000)).toBe(true);
    const changes = ledger.check(26, [state("r1", A, 120)]);
    expect(changes.map((c) => c.change)).toEqual(["found"]);
    expect(changes[0]).toMatchObject({ entry: { lost: null } });
    expect(ledger.summary()).toMatchObject({ acknowledged: 1, lost: 0 });
  });

  it("keeps a write held by a replica that joined the promoted history later with +CONTINUE", () => {
    const ledger = new Ledger();
    ledger.ingest(write(10, "m", A, 55, ["SET", "k", "v"]));
    // r3 is promoted holding the write: B leaves A after offset 55.
    ledger.ingest(replIdEvent(20, "r3", B, A, 56));
    // r1, still at offset 0 of A, joins B with +CONTINUE: its own second_repl_offset is 1.
    ledger.ingest(replIdEvent(30, "r1", B, A, 1));
    ledger.ingest([{ t: 40, type: "nodeCrashed", node: "m" }]);
    ledger.ingest([{ t: 40, type: "nodeCrashed", node: "r3" }]);
    const changes = ledger.check(50, [state("r1", B, 55, A, 1)]);
    expect(changes).toEqual([]);
    expect(ledger.summary()).toMatchObject({ acknowledged: 1, lost: 0 });
  });

  it("stops looking for a lost write a second after it went missing", () => {
    const ledger = new Ledger();
    ledger.ingest(write(10, "m", A, 120, ["SET", "k", "v"]));
    ledger.ingest([{ t: 20, type: "nodeCrashed", node: "m" }]);
    ledger.check(20, [state("r1", A, 100)]);
    expect(ledger.needsCheck(1_000_021)).toBe(false);
  });

  it("marks lost a write past the offset where the promoted replica's copy of the history ends", () => {
    const ledger = new Ledger();
    ledger.ingest(write(10, "m", A, 120, ["SET", "k", "v"]));
    ledger.check(15, [state("m", A, 120), state("r1", A, 100)]);
    ledger.ingest([{ t: 20, type: "nodeCrashed", node: "m" }]);
    const changes = ledger.check(30, [state("r1", B, 150, A, 101)]);
    expect(changes).toHaveLength(1);
    expect(ledger.summary().entries[0]?.lost).toEqual({ from: 15, to: 30 });
  });

  it("follows a lineage over several promotions", () => {
    const ledger = new Ledger();
    ledger.ingest(write(10, "m", A, 50, ["SET", "k", "v"]));
    ledger.ingest([
      {
        t: 20,
        type: "process",
        node: "r1",
        event: { type: "replId", replId: B, replId2: A, secondReplOffset: 81 },
      },
    ]);
    // C descends from B (from offset 200), B from A (from 81): A's offset 50 is in C's past.
    ledger.check(30, [state("r2", C, 300, B, 200)]);
    expect(ledger.summary().lost).toBe(0);
  });

  it("does not count a replica that has not yet applied the write", () => {
    const ledger = new Ledger();
    ledger.ingest(write(10, "m", A, 120, ["SET", "k", "v"]));
    ledger.ingest([{ t: 20, type: "nodeCrashed", node: "m" }]);
    ledger.check(30, [state("r1", A, 90)]);
    expect(ledger.summary().lost).toBe(1);
  });

  it("ignores a write the client was refused", () => {
    const ledger = new Ledger();
    ledger.ingest([
      {
        t: 10,
        type: "process",
        node: "app",
        event: {
          type: "appClient",
          op: "write",
          argv: ["SET", "k", "v"],
          reply: { type: "error", value: "NOREPLICAS Not enough good replicas to write." },
          server: "10.0.0.1:6379",
          sentAt: 9,
        },
      },
    ]);
    expect(ledger.summary().acknowledged).toBe(0);
  });

  it("counts a read that answers an older value than an acknowledged write as stale", () => {
    const ledger = new Ledger();
    ledger.ingest(write(10, "m", A, 100, ["SET", "k", "new"]));
    ledger.ingest([read(5000, "k", "new")]);
    const changes = ledger.ingest([read(6000, "k", "old")]);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      change: "staleRead",
      read: { got: "old", expected: "new" },
    });
    expect(ledger.summary().staleReads).toBe(1);
  });
});
