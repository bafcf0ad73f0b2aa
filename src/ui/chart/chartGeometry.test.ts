import { describe, expect, it } from "vitest";
import type { ChartBox } from "./chartGeometry";
import { chartGeometry } from "./chartGeometry";
import type { OffsetSeries } from "./offsetHistory";

const BOX: ChartBox = {
  width: 400,
  height: 170,
  margin: { top: 10, right: 46, bottom: 22, left: 52 },
};

function series(values: readonly number[], stepUs = 100_000): OffsetSeries[] {
  return [
    {
      node: "m",
      points: values.map((offset, i) => ({ t: i * stepUs, offset, lagBytes: null })),
    },
  ];
}

function labels(s: OffsetSeries[]): { x: string[]; y: string[] } {
  const g = chartGeometry(s, (p) => p.offset, BOX);
  return { x: g.xTicks.map((t) => t.label), y: g.yTicks.map((t) => t.label) };
}

describe("the offsets chart's ticks", () => {
  it("are whole bytes, each label once, while every offset is still 0", () => {
    expect(labels(series([0, 0, 0])).y).toEqual(["0 B", "1 B"]);
  });

  it("never repeat a label, on small or large scales", () => {
    for (const values of [
      [0, 3],
      [0, 7],
      [0, 999],
      [0, 611_563],
      [0, 2_500_000_000],
    ]) {
      const { x, y } = labels(series(values));
      expect(new Set(y).size).toBe(y.length);
      expect(new Set(x).size).toBe(x.length);
    }
    const { x } = labels(series([0, 1, 2], 1));
    expect(new Set(x).size).toBe(x.length);
  });

  it("label a large scale in decimal units", () => {
    expect(labels(series([0, 611_563])).y).toEqual(["0 B", "200 kB", "400 kB", "600 kB", "800 kB"]);
  });
});
