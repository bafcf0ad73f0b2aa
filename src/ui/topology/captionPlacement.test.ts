import { describe, expect, it } from "vitest";
import type { CaptionNode } from "./captionPlacement";
import { captionExtent, captionSides } from "./captionPlacement";

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
