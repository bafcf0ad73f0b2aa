import { hierarchy, tree } from "d3";
import type { Point } from "../store/state";

/** A node as the layout needs it: its name and the name of its master, if any. */
export interface LayoutNode {
  readonly name: string;
  readonly master: string | null;
  /** A Sentinel watches rather than replicates: it gets a row of its own under the tree. */
  readonly sentinel?: boolean;
}

/** A replication link, drawn from the replica to its master. */
export interface LayoutEdge {
  readonly replica: string;
  readonly master: string;
}

export interface LayoutOptions {
  readonly width: number;
  readonly height: number;
  /** Space kept free around the drawing (node circles and their captions). */
  readonly margin: {
    readonly top: number;
    readonly right: number;
    readonly bottom: number;
    readonly left: number;
  };
  /** Widest horizontal gap between neighbours, and tallest gap between levels. */
  readonly maxGapX: number;
  readonly maxGapY: number;
  /**
   * Captions go under the nodes (a narrow drawing): Sentinels then keep half a
   * gap from the edges, so a caption centred under the outermost one fits.
   */
  readonly captionsBelow?: boolean;
  /** Positions the reader dragged nodes to; they win over the computed ones. */
  readonly pinned?: Readonly<Record<string, Point>>;
}

export interface Layout {
  readonly positions: Readonly<Record<string, Point>>;
  readonly edges: readonly LayoutEdge[];
}

/** How close to a node's centre a Sentinel's watch may pass: its radius, and a little. */
const NODE_CLEARANCE = 40;

interface TreeDatum {
  readonly name: string;
  readonly children: TreeDatum[];
}

/**
 * Lays the replication topology out as a tidy tree (d3.tree): masters on top,
 * their replicas below, chained replicas further down, several masters side by
 * side, Sentinels in a row below them all. Deterministic: the same nodes in
 * the same order give the same positions. A cycle of REPLICAOF (possible
 * while a reader rewires nodes) is broken at the first node met again.
 */
export function topologyLayout(all: readonly LayoutNode[], options: LayoutOptions): Layout {
  const nodes = all.filter((n) => n.sentinel !== true);
  const sentinels = all.filter((n) => n.sentinel === true);
  const names = new Set(nodes.map((n) => n.name));
  const parentOf = new Map<string, string>();
  for (const n of nodes) {
    if (n.master !== null && n.master !== n.name && names.has(n.master))
      parentOf.set(n.name, n.master);
  }
  breakCycles(nodes, parentOf);

  const data = new Map<string, TreeDatum>(
    nodes.map((n) => [n.name, { name: n.name, children: [] }]),
  );
  const root: TreeDatum = { name: "", children: [] };
  for (const n of nodes) {
    const datum = data.get(n.name);
    if (!datum) continue;
    const parent = parentOf.get(n.name);
    (parent !== undefined ? data.get(parent) : root)?.children.push(datum);
  }

  const laid = tree<TreeDatum>().nodeSize([1, 1])(hierarchy(root));
  const placed = laid.descendants().filter((d) => d.depth > 0);
  const xs = placed.map((d) => d.x);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const treeDepth = Math.max(placed.length > 0 ? 1 : 0, ...placed.map((d) => d.depth));
  const depth = Math.max(1, treeDepth + (sentinels.length > 0 ? 1 : 0));

  const { width, height, margin } = options;
  const innerW = Math.max(0, width - margin.left - margin.right);
  const innerH = Math.max(0, height - margin.top - margin.bottom);
  const gapX = maxX > minX ? Math.min(options.maxGapX, innerW / (maxX - minX)) : 0;
  const gapY = depth > 1 ? Math.min(options.maxGapY, innerH / (depth - 1)) : 0;
  const centerX = margin.left + innerW / 2;
  const top = margin.top + (innerH - gapY * (depth - 1)) / 2;

  const positions: Record<string, Point> = {};
  for (const d of placed) {
    positions[d.data.name] = {
      x: round(centerX + (d.x - (minX + maxX) / 2) * gapX),
      y: round(top + (d.depth - 1) * gapY),
    };
  }
  const slots = options.captionsBelow ? sentinels.length : sentinels.length - 1;
  const sentinelGap = Math.min(options.maxGapX, innerW / Math.max(1, slots));
  const sentinelY = round(top + treeDepth * gapY);
  const rowX = (i: number, shift: number) =>
    round(centerX + (i - (sentinels.length - 1) / 2) * sentinelGap + shift);
  // The row moves half a gap aside when that keeps a Sentinel's watch of a
  // master from being drawn through a replica (one Sentinel under an odd fan).
  const treeNodes = placed.map((d) => positions[d.data.name]).filter((p): p is Point => !!p);
  const roots = placed.filter((d) => d.depth === 1).map((d) => positions[d.data.name]);
  const crossings = (shift: number) =>
    sentinels.reduce((sum, _, i) => {
      const from = { x: rowX(i, shift), y: sentinelY };
      const to = nearest(roots, from.x);
      return to
        ? sum + treeNodes.filter((p) => p !== to && passesThrough(from, to, p)).length
        : sum;
    }, 0);
  const shift = [0, gapX / 2, -gapX / 2].reduce((best, s) =>
    crossings(s) < crossings(best) ? s : best,
  );
  sentinels.forEach((n, i) => {
    positions[n.name] = { x: rowX(i, shift), y: sentinelY };
    names.add(n.name);
  });
  for (const [name, point] of Object.entries(options.pinned ?? {})) {
    if (names.has(name)) positions[name] = point;
  }
  const edges = nodes.flatMap((n) =>
    n.master !== null && n.master !== n.name && names.has(n.master)
      ? [{ replica: n.name, master: n.master }]
      : [],
  );
  return { positions, edges };
}

function breakCycles(nodes: readonly LayoutNode[], parentOf: Map<string, string>): void {
  for (const n of nodes) {
    const seen = new Set<string>([n.name]);
    let at = parentOf.get(n.name);
    while (at !== undefined) {
      if (seen.has(at)) {
        parentOf.delete(n.name);
        break;
      }
      seen.add(at);
      at = parentOf.get(at);
    }
  }
}

/** The point of `points` closest across to `x` (a Sentinel's master, most likely). */
function nearest(points: readonly (Point | undefined)[], x: number): Point | undefined {
  let best: Point | undefined;
  for (const p of points) if (p && (!best || Math.abs(p.x - x) < Math.abs(best.x - x))) best = p;
  return best;
}

/** Whether the segment from `a` to `b` passes within a node's radius (and a little) of `p`. */
function passesThrough(a: Point, b: Point, p: Point): boolean {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length2 = dx * dx + dy * dy;
  if (length2 === 0) return false;
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2));
  return Math.hypot(a.x + t * dx - p.x, a.y + t * dy - p.y) < NODE_CLEARANCE;
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

/**
 * The master a replica points at, by host name or by IP (REPLICAOF accepts
 * either), or null when it names no node the page knows.
 */
export function resolveHost(
  host: string | null,
  nodes: readonly { readonly name: string; readonly ip: string }[],
): string | null {
  if (host === null) return null;
  return nodes.find((n) => n.name === host)?.name ?? nodes.find((n) => n.ip === host)?.name ?? null;
}

/** The segment between two circles of radius `r`, from edge to edge. */
export function trimmedSegment(a: Point, b: Point, r: number): { from: Point; to: Point } {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy);
  if (len <= 2 * r) return { from: a, to: b };
  const ux = dx / len;
  const uy = dy / len;
  return { from: { x: a.x + ux * r, y: a.y + uy * r }, to: { x: b.x - ux * r, y: b.y - uy * r } };
}

/**
 * Where a packet is drawn: `fraction` (0 at the sender, 1 at the receiver)
 * along the segment between the two circles, shifted sideways by `lane` so the
 * two directions of a link do not overlap (positive is to the sender's right).
 */
export function pointAlong(a: Point, b: Point, r: number, fraction: number, lane: number): Point {
  const { from, to } = trimmedSegment(a, b, r);
  const f = Math.min(1, Math.max(0, fraction));
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const len = Math.hypot(dx, dy) || 1;
  return { x: from.x + dx * f - (dy / len) * lane, y: from.y + dy * f + (dx / len) * lane };
}
