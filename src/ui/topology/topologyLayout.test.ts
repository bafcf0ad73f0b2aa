import { describe, expect, it } from "vitest";
import { pointAlong, resolveHost, topologyLayout, trimmedSegment } from "./topologyLayout";

const options = {
  width: 800,
  height: 400,
  margin: { top: 60, right: 80, bottom: 80, left: 80 },
  maxGapX: 260,
  maxGapY: 200,
};

describe("topologyLayout", () => {
  it("puts a master above its two replicas, centred", () => {
    const { positions, edges } = topologyLayout(
      [
        { name: "m", master: null },
        { name: "r1", master: "m" },
        { name: "r2", master: "m" },
      ],
      options,
    );
    const { m, r1, r2 } = positions;
    expect(m?.x).toBe(400);
    expect(r1?.y).toBe(r2?.y);
    expect(m && r1 && m.y < r1.y).toBe(true);
    expect(r1 && r2 && r1.x < r2.x).toBe(true);
    expect(r1 && r2 && (r1.x + r2.x) / 2).toBe(400);
    expect(edges).toEqual([
      { replica: "r1", master: "m" },
      { replica: "r2", master: "m" },
    ]);
  });

  it("puts Sentinels in a row of their own below the replicas, out of the tree", () => {
    const { positions, edges } = topologyLayout(
      [
        { name: "m", master: null },
        { name: "r1", master: "m" },
        { name: "s1", master: null, sentinel: true },
        { name: "s2", master: null, sentinel: true },
      ],
      options,
    );
    const { m, r1, s1, s2 } = positions;
    expect(m?.x).toBe(400);
    expect(r1?.x).toBe(400);
    expect(s1?.y).toBe(s2?.y);
    expect(r1 && s1 && r1.y < s1.y).toBe(true);
    expect(s1 && s2 && (s1.x + s2.x) / 2).toBe(400);
    expect(s1 && s1.y <= options.height - options.margin.bottom).toBe(true);
    expect(edges).toEqual([{ replica: "r1", master: "m" }]);
  });

  it("stacks a chain of replicas level by level inside the margins", () => {
    const { positions } = topologyLayout(
      [
        { name: "m", master: null },
        { name: "r1", master: "m" },
        { name: "r2", master: "r1" },
      ],
      options,
    );
    const ys = ["m", "r1", "r2"].map((n) => positions[n]?.y ?? NaN);
    expect(ys[0]).toBe(60);
    expect(ys[2]).toBe(320);
    expect(ys[1]).toBe(190);
  });

  it("centres a lone node", () => {
    const { positions } = topologyLayout([{ name: "m", master: null }], options);
    expect(positions.m).toEqual({ x: 400, y: 190 });
  });

  it("survives a REPLICAOF cycle and a master it does not know", () => {
    const { positions, edges } = topologyLayout(
      [
        { name: "a", master: "b" },
        { name: "b", master: "a" },
        { name: "c", master: "gone" },
      ],
      options,
    );
    expect(Object.keys(positions).sort()).toEqual(["a", "b", "c"]);
    expect(edges).toHaveLength(2);
  });

  it("is deterministic and lets dragged positions win", () => {
    const nodes = [
      { name: "m", master: null },
      { name: "r1", master: "m" },
    ];
    expect(topologyLayout(nodes, options)).toEqual(topologyLayout(nodes, options));
    const pinned = topologyLayout(nodes, { ...options, pinned: { r1: { x: 10, y: 20 } } });
    expect(pinned.positions.r1).toEqual({ x: 10, y: 20 });
  });
});

describe("geometry", () => {
  it("resolves a master by name or by IP", () => {
    const nodes = [
      { name: "m", ip: "10.0.0.1" },
      { name: "r1", ip: "10.0.0.2" },
    ];
    expect(resolveHost("m", nodes)).toBe("m");
    expect(resolveHost("10.0.0.2", nodes)).toBe("r1");
    expect(resolveHost("nowhere", nodes)).toBeNull();
    expect(resolveHost(null, nodes)).toBeNull();
  });

  it("trims a segment to the circles' edges", () => {
    expect(trimmedSegment({ x: 0, y: 0 }, { x: 100, y: 0 }, 10)).toEqual({
      from: { x: 10, y: 0 },
      to: { x: 90, y: 0 },
    });
  });

  it("places a packet along the trimmed segment, in its lane", () => {
    const a = { x: 0, y: 0 };
    const b = { x: 100, y: 0 };
    expect(pointAlong(a, b, 10, 0.5, 0)).toEqual({ x: 50, y: 0 });
    expect(pointAlong(a, b, 10, 2, 0)).toEqual({ x: 90, y: 0 });
    expect(pointAlong(a, b, 10, 0, 5)).toEqual({ x: 10, y: 5 });
  });
});

describe("the Sentinels' row", () => {
  it("moves half a gap aside when a Sentinel's watch of the master would cross a replica", () => {
    const nodes = [
      { name: "m", master: null },
      ...["r1", "r2", "r3"].map((name) => ({ name, master: "m" })),
      { name: "s1", master: null, sentinel: true },
    ];
    const { positions } = topologyLayout(nodes, options);
    const [m, r2, s1] = [positions.m, positions.r2, positions.s1];
    if (!m || !r2 || !s1) throw new Error("not placed");
    // Straight under the master, its watch would run through r2, the middle replica.
    expect(r2.x).toBe(m.x);
    expect(s1.x).not.toBe(m.x);
    expect(Math.abs(s1.x - r2.x)).toBeGreaterThanOrEqual(40);
  });
});
