import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../sim/trace";
import { MAX_PACKETS_PER_DIRECTION, reduceTrace } from "./reduceTrace";
import { initialState } from "./state";

const started = (node: string, replicaOf: string | null): TraceEvent => ({
  t: 0,
  type: "nodeStarted",
  node,
  ip: node === "m" ? "10.0.0.1" : "10.0.0.2",
  runId: `${node}-run-id-0123456789`,
  replicaOf,
});

const write = (i: number): TraceEvent => ({
  t: 1000 + i,
  type: "send",
  conn: "r1.0.1",
  from: "m",
  to: "r1",
  bytes: `*1\r\n$4\r\nw${String(i).padStart(3, "0")}\r\n`,
  label: "stream",
  deliverAt: 2000 + i,
});

describe("packets of one direction", () => {
  it("are summarised past the bound while a cut holds them, and every byte is still delivered", () => {
    const writes = Array.from({ length: 500 }, (_, i) => write(i));
    const cut: TraceEvent = { t: 500, type: "fault", fault: "cut", nodes: ["m", "r1"] };
    const s = reduceTrace(initialState(), [started("m", null), started("r1", "m"), cut, ...writes]);
    expect(s.packets).toHaveLength(MAX_PACKETS_PER_DIRECTION);
    const total = writes.reduce((n, e) => n + (e.type === "send" ? e.bytes.length : 0), 0);
    expect(s.packets.reduce((n, p) => n + p.sizeBytes, 0)).toBe(total);
    const newest = s.packets[s.packets.length - 1];
    expect(newest?.deliverAt).toBe(2000 + 499);
    const delivered = reduceTrace(s, [
      { t: 9000, type: "deliver", conn: "r1.0.1", from: "m", to: "r1", size: total },
    ]);
    expect(delivered.packets).toEqual([]);
  });
});
