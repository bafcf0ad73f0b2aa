import { describe, expect, it } from "vitest";
import type { NodeView } from "../../engine/server/view";
import type { OffsetSample } from "./offsetHistory";
import { MAX_OFFSET_SAMPLES, appendOffsetSample, offsetSeries } from "./offsetHistory";

/** A view with the fields the history reads; the rest as a fresh node has them. */
function view(name: string, offset: number, masterHost: string | null = null): NodeView {
  return {
    name,
    runId: `${name}-run`,
    role: masterHost === null ? "master" : "slave",
    masterHost,
    replState: masterHost === null ? "none" : "connected",
    replId: "a".repeat(40),
    replId2: "0".repeat(40),
    masterReplOffset: offset,
    secondReplOffset: -1,
    slaveReplOffset: masterHost === null ? null : offset,
    replicas: [],
    backlog: null,
    stats: { syncFull: 0, syncPartialOk: 0, syncPartialErr: 0 },
    dbsize: 0,
    keys: [],
    infoReplication: "",
  };
}

const masterOf = (name: string) => (name === "m" ? null : "m");

describe("offset history", () => {
  it("records each node's offset and a replica's lag behind its master", () => {
    const h = appendOffsetSample([], 1000, [view("m", 500), view("r1", 380, "m")], masterOf);
    expect(h).toEqual([
      {
        t: 1000,
        points: [
          { node: "m", offset: 500, lagBytes: null },
          { node: "r1", offset: 380, lagBytes: 120 },
        ],
      },
    ]);
  });

  it("replaces a sample taken at the same virtual time instead of adding one", () => {
    let h = appendOffsetSample([], 1000, [view("m", 500)], masterOf);
    h = appendOffsetSample(h, 1000, [view("m", 600)], masterOf);
    expect(h).toHaveLength(1);
    expect(h[0]?.points[0]?.offset).toBe(600);
    const same = appendOffsetSample(h, 1000, [view("m", 600)], masterOf);
    expect(same).toBe(h);
  });

  it("stays bounded on a long run and still starts at the first sample", () => {
    let h: readonly OffsetSample[] = [];
    for (let t = 1; t <= 5000; t++) h = appendOffsetSample(h, t, [view("m", t)], masterOf);
    expect(h.length).toBeLessThanOrEqual(MAX_OFFSET_SAMPLES);
    expect(h[0]?.t).toBe(1);
    expect(h[h.length - 1]?.t).toBe(5000);
    const times = h.map((s) => s.t);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it("leaves a gap in a node's line while it is not running", () => {
    let h = appendOffsetSample([], 1, [view("m", 10), view("r1", 10, "m")], masterOf);
    h = appendOffsetSample(h, 2, [view("m", 20)], masterOf);
    h = appendOffsetSample(h, 3, [view("m", 30), view("r1", 0, "m")], masterOf);
    const r1 = offsetSeries(h, ["m", "r1"]).find((s) => s.node === "r1");
    expect(r1?.points.map((p) => p.offset)).toEqual([10, null, 0]);
    expect(r1?.points[2]?.lagBytes).toBe(30);
  });
});
