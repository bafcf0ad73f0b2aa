import { describe, expect, it } from "vitest";
import { reduceTrace } from "../store/reduceTrace";
import { initialState } from "../store/state";
import { hideNode } from "./removeNode";

const started = (node: string, ip: string, replicaOf: string | null = null) =>
  ({ t: 0, type: "nodeStarted", node, ip, runId: `${node}-run`, replicaOf }) as const;

describe("hideNode", () => {
  it("takes a removed node out of every list and keeps it out when it starts again", () => {
    let s = reduceTrace(initialState(), [started("m", "10.0.0.1"), started("r1", "10.0.0.2", "m")]);
    s = { ...s, pinned: { r1: { x: 1, y: 2 } }, ringMaster: "r1" };
    s = { ...s, ...hideNode(s, "r1") };
    expect(s.order).toEqual(["m"]);
    expect(s.removed).toEqual(["r1"]);
    expect(s.pinned).toEqual({});
    expect(s.ringMaster).toBeNull();
    expect(s.announcement?.text).toBe("r1 was removed (crashed and hidden).");
    s = reduceTrace(s, [started("r1", "10.0.0.2", "m")]);
    expect(s.order).toEqual(["m"]);
    expect(hideNode(s, "r1")).toEqual({});
  });
});
