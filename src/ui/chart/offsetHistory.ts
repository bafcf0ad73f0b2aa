import type { VirtualTime } from "../../engine/io";
import type { NodeView } from "../../engine/server/view";

/** One node at one moment: its replication offset and how far it trails its master. */
export interface OffsetPoint {
  readonly node: string;
  /** `master_repl_offset` as the node's INFO reports it. */
  readonly offset: number;
  /** Bytes its master has written that it has not processed yet; null for a master or an unknown master. */
  readonly lagBytes: number | null;
}

/** Every running redis-server's offset at one virtual time. */
export interface OffsetSample {
  readonly t: VirtualTime;
  readonly points: readonly OffsetPoint[];
}

/**
 * The most samples kept: a view arrives every 50 ms of wall time at most, so
 * this is at least the last 30 s of a busy run; older samples are thinned, not
 * dropped, so the chart still starts at the beginning of the run.
 */
export const MAX_OFFSET_SAMPLES = 600;

/**
 * Adds the offsets of `views` at time `t` to the history. A second sample at
 * the same time replaces the first (views refresh faster than time moves when
 * paused). When the history is full, every other sample of its older half is
 * dropped, so memory stays bounded and the whole run stays on the chart.
 * `masterOf` names the node a replica replicates from.
 */
export function appendOffsetSample(
  history: readonly OffsetSample[],
  t: VirtualTime,
  views: readonly NodeView[],
  masterOf: (name: string) => string | null,
): readonly OffsetSample[] {
  const byName = new Map(views.map((v) => [v.name, v]));
  const points: OffsetPoint[] = views.map((v) => {
    const master = v.role === "slave" ? masterOf(v.name) : null;
    const masterView = master === null ? undefined : byName.get(master);
    return {
      node: v.name,
      offset: v.masterReplOffset,
      lagBytes: masterView ? Math.max(0, masterView.masterReplOffset - v.masterReplOffset) : null,
    };
  });
  const sample: OffsetSample = { t, points };
  const last = history[history.length - 1];
  if (last && last.t === t) {
    if (samePoints(last.points, points)) return history;
    return [...history.slice(0, -1), sample];
  }
  if (last && last.t > t) return history;
  const next = [...history, sample];
  return next.length > MAX_OFFSET_SAMPLES ? thin(next) : next;
}

function samePoints(a: readonly OffsetPoint[], b: readonly OffsetPoint[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => {
      const q = b[i];
      return (
        q !== undefined && p.node === q.node && p.offset === q.offset && p.lagBytes === q.lagBytes
      );
    })
  );
}

/** Drops every other sample of the older half; the first sample and the newer half stay. */
function thin(history: readonly OffsetSample[]): readonly OffsetSample[] {
  const half = Math.floor(history.length / 2);
  const older = history.slice(0, half).filter((_, i) => i % 2 === 0);
  return [...older, ...history.slice(half)];
}

/** A point of one node's line; `offset` is null where the node was not running (a gap). */
export interface SeriesPoint {
  readonly t: VirtualTime;
  readonly offset: number | null;
  readonly lagBytes: number | null;
}

/** One node's line on the chart: its points in time order, with gaps where it was not running. */
export interface OffsetSeries {
  readonly node: string;
  readonly points: readonly SeriesPoint[];
}

/** The history regrouped per node, in `order`, for line generators. */
export function offsetSeries(
  history: readonly OffsetSample[],
  order: readonly string[],
): OffsetSeries[] {
  const series = new Map<string, SeriesPoint[]>(order.map((n) => [n, []]));
  for (const sample of history) {
    const present = new Set<string>();
    for (const p of sample.points) {
      present.add(p.node);
      series.get(p.node)?.push({ t: sample.t, offset: p.offset, lagBytes: p.lagBytes });
    }
    for (const [node, points] of series) {
      const last = points[points.length - 1];
      if (!present.has(node) && last && last.offset !== null)
        points.push({ t: sample.t, offset: null, lagBytes: null });
    }
  }
  return [...series]
    .filter(([, points]) => points.some((p) => p.offset !== null))
    .map(([node, points]) => ({ node, points }));
}
