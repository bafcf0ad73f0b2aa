import { describe, expect, it } from "vitest";
import type { CaptionNode } from "./captionPlacement";
import { captionExtent, captionSides } from "./captionPlacement";
import { fitTopology } from "./fitTopology";

function node(name: string, x: number, y: number, hasReplicas = false): CaptionNode {
  return { name, at: { x, y }, sentinel: false, hasReplicas };
}

describe("captions on the topology", () => {
  it("go beside nodes that have room, as with a master and two replicas", () => {
    const nodes = [node("m", 400, 48, true), node("r1", 250, 256), node("r2", 550, 256)];
    const sides = captionSides(nodes, 800);
    expect([...sides.values()]).toEqual(["right", "right", "right"]);
    expect(captionExtent(nodes, sides, 300)).toEqual({ top: 0, bottom: 300 });
  });

  it("go under replicas packed closer than a caption is wide, and the drawing grows to hold them", () => {
    const replicas = [110, 285, 460, 635, 810].map((x, i) => node(`r${i + 1}`, x, 256));
    const nodes = [node("m", 460, 48, true), ...replicas];
    const sides = captionSides(nodes, 980);
    expect(replicas.map((r) => sides.get(r.name))).toEqual([
      "below",
      "below",
      "below",
      "below",
      "below",
    ]);
    expect(sides.get("m")).toBe("right");
    expect(captionExtent(nodes, sides, 300)).toEqual({ top: 0, bottom: 256 + 32 + 58 });
  });

  it("go above a master whose right is taken by an application client, and the drawing grows upwards", () => {
    const nodes = [node("m", 400, 48, true), node("app", 570, 48), node("r1", 400, 256)];
    const sides = captionSides(nodes, 980);
    expect(sides.get("m")).toBe("above");
    expect(sides.get("app")).toBe("right");
    expect(captionExtent(nodes, sides, 300).top).toBe(48 - 32 - 58);
  });

  it("go beside a node whose neighbour is on another row", () => {
    const nodes = [node("m", 400, 48, true), node("r1", 500, 256)];
    expect(captionSides(nodes, 980).get("m")).toBe("right");
  });

  it("never go beside in a compact drawing, nor past the frame's edge", () => {
    expect(captionSides([node("m", 150, 92, true)], 400).get("m")).toBe("above");
    expect(captionSides([node("r1", 900, 256)], 980).get("r1")).toBe("below");
  });
});

describe("fitting the topology", () => {
  const fan = (replicas: number, sentinels = 0) => [
    { name: "m", master: null },
    ...Array.from({ length: replicas }, (_, i) => ({ name: `r${i + 1}`, master: "m" })),
    ...Array.from({ length: sentinels }, (_, i) => ({
      name: `s${i + 1}`,
      master: null,
      sentinel: true,
    })),
  ];
  /** The gaps between neighbours of one row, left to right. */
  const rowGaps = (positions: Readonly<Record<string, { x: number }>>, names: string[]) => {
    const xs = names.map((n) => positions[n]?.x ?? 0).sort((a, b) => a - b);
    return xs.slice(1).map((x, i) => x - (xs[i] ?? 0));
  };

  it("keeps five replicas apart on a phone by widening the drawing, to be scaled down", () => {
    const fitted = fitTopology(fan(5), 375, 2, {});
    expect(fitted.width).toBeGreaterThan(375);
    expect(
      Math.min(...rowGaps(fitted.layout.positions, ["r1", "r2", "r3", "r4", "r5"])),
    ).toBeGreaterThanOrEqual(88);
    expect(fitted.compact).toBe(true);
  });

  it("moves a Sentinel row down when captions go under a fan, and its watch off the replicas", () => {
    const fitted = fitTopology(fan(5, 1), 980, 3, {});
    const s1 = fitted.layout.positions.s1;
    const r3 = fitted.layout.positions.r3;
    if (!s1 || !r3) throw new Error("not placed");
    expect(fitted.sides.get("r3")).toBe("below");
    expect(s1.y - 32).toBeGreaterThanOrEqual(r3.y + 32 + 58);
    expect(Math.abs(s1.x - r3.x)).toBeGreaterThanOrEqual(32);
    expect(fitted.bottom).toBeGreaterThanOrEqual(s1.y + 32);
  });

  it("leaves a master and two replicas as they were: the frame's width, captions beside", () => {
    const fitted = fitTopology(fan(2), 980, 2, {});
    expect(fitted.width).toBe(980);
    expect([...fitted.sides.values()]).toEqual(["right", "right", "right"]);
    expect({ top: fitted.top, bottom: fitted.bottom }).toEqual({ top: 0, bottom: 300 });
  });
});
