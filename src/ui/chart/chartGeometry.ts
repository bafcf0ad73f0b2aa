import { line, scaleLinear } from "d3";
import { formatBytes } from "../format/bytes";
import type { OffsetSeries, SeriesPoint } from "./offsetHistory";

export interface ChartBox {
  readonly width: number;
  readonly height: number;
  readonly margin: {
    readonly top: number;
    readonly right: number;
    readonly bottom: number;
    readonly left: number;
  };
}

export interface Tick {
  readonly at: number;
  readonly label: string;
}

/** One node's drawn line and where its name goes at the line's end. */
export interface ChartLine {
  readonly node: string;
  readonly d: string;
  readonly end: { readonly x: number; readonly y: number } | null;
}

export interface ChartGeometry {
  readonly xTicks: readonly Tick[];
  readonly yTicks: readonly Tick[];
  readonly lines: readonly ChartLine[];
}

/**
 * Scales, ticks and line paths for values over virtual time (µs). `value`
 * picks what a point plots (offset or lag); a point whose value is null
 * breaks the line. Pure: d3 computes the numbers, React draws them.
 */
export function chartGeometry(
  series: readonly OffsetSeries[],
  value: (p: SeriesPoint) => number | null,
  box: ChartBox,
): ChartGeometry {
  const { width, height, margin } = box;
  const all = series.flatMap((s) => s.points);
  const times = all.map((p) => p.t);
  const values = all.map(value).filter((v): v is number => v !== null);
  const t0 = times.length > 0 ? Math.min(...times) : 0;
  const t1 = times.length > 0 ? Math.max(...times) : 1;
  const x = scaleLinear()
    .domain([t0, t1 > t0 ? t1 : t0 + 1_000_000])
    .range([margin.left, width - margin.right]);
  const y = scaleLinear()
    .domain([0, Math.max(1, ...values)])
    .nice(4)
    .range([height - margin.bottom, margin.top]);
  const path = line<SeriesPoint>()
    .defined((p) => value(p) !== null)
    .x((p) => x(p.t))
    .y((p) => y(value(p) ?? 0));
  const lines = series.map((s) => {
    const last = [...s.points].reverse().find((p) => value(p) !== null);
    const v = last ? value(last) : null;
    return {
      node: s.node,
      d: path(s.points) ?? "",
      end: last && v !== null ? { x: x(last.t), y: y(v) } : null,
    };
  });
  return {
    xTicks: distinctLabels(
      x.ticks(5).map((at) => ({ at: x(at), label: `${trimSeconds(at / 1e6)} s` })),
    ),
    // Bytes come whole: ticks at 0.2 B (all offsets still 0) would all read "0 B" or "1 B".
    yTicks: distinctLabels(
      y
        .ticks(4)
        .filter((at) => Number.isInteger(at))
        .map((at) => ({ at: y(at), label: formatBytes(at) })),
    ),
    lines,
  };
}

/**
 * Ticks whose labels differ: two ticks that round to the same text would draw
 * it twice, and the chart keys its ticks by label (a repeated key left the
 * old ones behind, over the new scale's).
 */
function distinctLabels(ticks: readonly Tick[]): Tick[] {
  const seen = new Set<string>();
  return ticks.filter((tick) => !seen.has(tick.label) && seen.add(tick.label) !== undefined);
}

function trimSeconds(s: number): string {
  return String(Number(s.toFixed(s >= 100 ? 0 : s >= 10 ? 1 : 2)));
}

/** Moves end labels apart vertically so two lines ending together keep readable names. */
export function spreadLabels(
  ends: readonly { readonly node: string; readonly y: number }[],
  gap: number,
): Map<string, number> {
  const sorted = [...ends].sort((a, b) => a.y - b.y);
  const placed = new Map<string, number>();
  let previous = -Infinity;
  for (const e of sorted) {
    const y = Math.max(e.y, previous + gap);
    placed.set(e.node, y);
    previous = y;
  }
  return placed;
}
