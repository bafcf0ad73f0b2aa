import type { Point } from "../store/state";
import type { CaptionNode } from "./captionPlacement";
import { COMPACT_WIDTH, captionExtent, captionSides, shortfallBelow } from "./captionPlacement";
import type { CaptionSide } from "./NodeGlyph";
import { NODE_RADIUS } from "./NodeGlyph";
import type { Layout, LayoutNode, LayoutOptions } from "./topologyLayout";
import { topologyLayout } from "./topologyLayout";

/** Closest two nodes of a row may be: their circles, and a caption centred under each, apart. */
const MIN_NODE_GAP = 2 * NODE_RADIUS + 24;

/** The drawing as the topology shows it: where everything goes, and the space it takes. */
export interface FittedTopology {
  readonly layout: Layout;
  readonly sides: ReadonlyMap<string, CaptionSide>;
  /** The drawing's coordinate width (the frame's, or more when a row would not fit in it). */
  readonly width: number;
  /** The vertical extent of nodes and captions (the viewBox's). */
  readonly top: number;
  readonly bottom: number;
  /** A narrow frame: captions go above or under the nodes. */
  readonly compact: boolean;
}

/**
 * The drawing's coordinate space follows the frame's width one to one (so text
 * keeps its size on a phone); the layout adapts to it.
 */
function layoutOptions(width: number, levels: number, compact: boolean): LayoutOptions {
  // Under a compact drawing's nodes go their captions: each level past two needs more room.
  const extra = compact ? Math.max(0, levels - 2) * 130 : Math.max(0, levels - 3) * 90;
  return {
    width,
    height: (compact ? 390 : 300) + extra,
    margin: compact
      ? { top: 92, right: 44, bottom: 92, left: 44 }
      : { top: 48, right: 170, bottom: 44, left: 110 },
    maxGapX: 300,
    maxGapY: 200,
    captionsBelow: compact,
  };
}

/**
 * Lays the topology out in a frame `frameWidth` wide, then makes room where
 * the first try had none: a row of more nodes than the frame holds apart
 * (five replicas on a phone) gets a wider coordinate space, the drawing then
 * scaled down to the frame rather than its circles drawn over each other; and
 * captions placed under a row push the row below them further down.
 */
export function fitTopology(
  nodes: readonly LayoutNode[],
  frameWidth: number,
  levels: number,
  pinned: Readonly<Record<string, Point>>,
): FittedTopology {
  const compact = frameWidth < COMPACT_WIDTH;
  let options = layoutOptions(frameWidth, levels, compact);
  let layout = topologyLayout(nodes, { ...options, pinned });
  const gap = closestInRow(layout.positions, pinned);
  if (gap > 0 && gap < MIN_NODE_GAP) {
    const inner = options.width - options.margin.left - options.margin.right;
    const width = Math.ceil(
      options.margin.left + options.margin.right + (inner * MIN_NODE_GAP) / gap,
    );
    options = { ...options, width };
    layout = topologyLayout(nodes, { ...options, pinned });
  }
  let placed = place(nodes, layout, options.width, compact, pinned);
  // A node being dragged moves nothing else: the rows make room for the layout's own nodes.
  const laidOut = placed.nodes.filter((n) => !pinned[n.name]);
  const short = shortfallBelow(laidOut, placed.sides);
  if (short > 0 && levels > 1) {
    options = { ...options, height: options.height + Math.ceil(short + 8) * (levels - 1) };
    layout = topologyLayout(nodes, { ...options, pinned });
    placed = place(nodes, layout, options.width, compact, pinned);
  }
  // Nor does it resize the drawing under the pointer.
  const own = placed.nodes.filter((n) => !pinned[n.name]);
  const { top, bottom } = captionExtent(own, placed.sides, options.height);
  return { layout, sides: placed.sides, width: options.width, top, bottom, compact };
}

function place(
  nodes: readonly LayoutNode[],
  layout: Layout,
  width: number,
  compact: boolean,
  pinned: Readonly<Record<string, Point>>,
): { nodes: CaptionNode[]; sides: ReadonlyMap<string, CaptionSide> } {
  const placed = nodes.flatMap((n) => {
    const at = layout.positions[n.name];
    return at
      ? [
          {
            name: n.name,
            at,
            sentinel: n.sentinel === true,
            hasReplicas: layout.edges.some((e) => e.master === n.name),
          },
        ]
      : [];
  });
  // The layout's own nodes place their captions among themselves: one dragged
  // past them does not flip theirs (and with them the rows) as it goes by.
  const own = placed.filter((n) => !pinned[n.name]);
  const sides = new Map(captionSides(own, width, compact));
  for (const [name, side] of captionSides(placed, width, compact))
    if (pinned[name]) sides.set(name, side);
  return { nodes: placed, sides };
}

/** The least horizontal distance between two nodes of one row that the layout placed (not dragged). */
function closestInRow(
  positions: Readonly<Record<string, Point>>,
  pinned: Readonly<Record<string, Point>>,
): number {
  const byRow = new Map<number, number[]>();
  for (const [name, p] of Object.entries(positions)) {
    if (pinned[name]) continue;
    const row = byRow.get(p.y) ?? [];
    row.push(p.x);
    byRow.set(p.y, row);
  }
  let closest = Infinity;
  for (const xs of byRow.values()) {
    xs.sort((a, b) => a - b);
    for (let i = 1; i < xs.length; i++)
      closest = Math.min(closest, (xs[i] ?? 0) - (xs[i - 1] ?? 0));
  }
  return closest;
}
