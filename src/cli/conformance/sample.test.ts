import { describe, expect, it } from "vitest";
import { NO_REPLID, ReplIdRegistry, sampleNode } from "./sample";

function info(fields: Record<string, string>): Map<string, string> {
  return new Map(Object.entries({ role: "master", master_repl_offset: "0", ...fields }));
}

/** Samples m, then r1, as the harness does after one line, with the given ids. */
function relations(ids: { m: [string, string]; r1: [string, string] }): string[] {
  const registry = new ReplIdRegistry();
  return (["m", "r1"] as const).flatMap((node) => {
    const [replid, replid2] = ids[node];
    const s = sampleNode(
      info({ master_replid: replid, master_replid2: replid2 }),
      node,
      "8",
      registry,
    );
    return [s.master_replid, s.master_replid2];
  });
}

const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(40);
const D = "d".repeat(40);

describe("replication ids are compared by how they relate, not by value", () => {
  it("names an id by the first node and field it was seen in", () => {
    expect(relations({ m: [A, NO_REPLID], r1: [A, NO_REPLID] })).toEqual([
      "m.master_replid@8",
      "(none)",
      "m.master_replid@8",
      "(none)",
    ]);
  });

  it("gives two runs with different random ids but the same sharing the same labels", () => {
    const sim = relations({ m: [A, NO_REPLID], r1: [B, A] });
    const redis = relations({ m: [C, NO_REPLID], r1: [D, C] });
    expect(redis).toEqual(sim);
    expect(sim[3]).toBe("m.master_replid@8"); // r1's replid2 is m's replid
  });

  it("tells apart runs where a replica does or does not share its master's id", () => {
    const shared = relations({ m: [A, NO_REPLID], r1: [A, NO_REPLID] });
    const separate = relations({ m: [C, NO_REPLID], r1: [D, NO_REPLID] });
    expect(separate[2]).toBe("r1.master_replid@8");
    expect(separate).not.toEqual(shared);
  });

  it("remembers an id across samples, naming it where it first appeared", () => {
    const registry = new ReplIdRegistry();
    registry.label(A, "m", "master_replid", "8");
    expect(registry.label(A, "r2", "master_replid2", "20")).toBe("m.master_replid@8");
    expect(registry.label(B, "r2", "master_replid", "20")).toBe("r2.master_replid@20");
  });
});

describe("sampleNode", () => {
  it("reads the fixed fields, with 0 keys for a database INFO does not list", () => {
    const s = sampleNode(
      info({ connected_slaves: "1", slave0: "ip=10.0.0.2,port=6379,state=online" }),
      "m",
      "3",
      new ReplIdRegistry(),
    );
    expect(s["db0.keys"]).toBe("0");
    expect(s.connected_slaves).toBe("1");
    expect(s.master_link_status).toBe("(absent)");
  });

  it("reads db0's key count from the keyspace line", () => {
    const s = sampleNode(
      info({ db0: "keys=3,expires=1,avg_ttl=99" }),
      "m",
      "3",
      new ReplIdRegistry(),
    );
    expect(s["db0.keys"]).toBe("3");
  });
});
