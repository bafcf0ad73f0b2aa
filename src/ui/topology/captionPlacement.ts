import type { Point } from "../store/state";
import type { CaptionSide } from "./NodeGlyph";
import { NODE_RADIUS } from "./NodeGlyph";

/** Room a caption (offset, link state, keys) takes beside a node. */
export const CAPTION_WIDTH = 124;
/** Below this width the drawing is compact: captions go under the nodes when they must. */
export const COMPACT_WIDTH = 560;
/** From the caption's side of the circle to the far edge of its three lines, above or below. */
const CAPTION_DEPTH = 17 + 33 + 8;
/** How far a caption beside a node reaches up and down from its centre. */
const BESIDE_REACH = { up: 26, down: 40 };

/** A node as captions are placed around it. */
export interface CaptionNode {
  readonly name: string;
  readonly at: Point;
  readonly sentinel: boolean;
  /** Whether replicas hang below it (its caption then goes above, off their links). */
  readonly hasReplicas: boolean;
}

/**
 * Where each node's caption goes: beside it (to the right) when the drawing
 * is wide and nothing is there, that is neither the frame's edge nor another
 * node; else above a node with replicas below it and under one without (a
 * Sentinel's row is the lowest: its caption goes under it). Five replicas
 * side by side leave less than a caption's width between them, and beside
 * each other their captions ran into the next circle.
 */
export function captionSides(
  nodes: readonly CaptionNode[],
  width: number,
  compact = width < COMPACT_WIDTH,
): ReadonlyMap<string, CaptionSide> {
  const sides = new Map<string, CaptionSide>();
  for (const n of nodes) {
    const beside = !compact && roomBeside(n, nodes, width);
    sides.set(n.name, beside ? "right" : n.sentinel || !n.hasReplicas ? "below" : "above");
  }
  // A row of replicas reads as one: when some of its captions must go under, all do.
  for (const n of nodes) {
    if (n.hasReplicas || sides.get(n.name) !== "right") continue;
    const row = nodes.filter((o) => !o.hasReplicas && Math.abs(o.at.y - n.at.y) < 1);
    if (row.some((o) => sides.get(o.name) === "below")) sides.set(n.name, "below");
  }
  return sides;
}

function roomBeside(n: CaptionNode, nodes: readonly CaptionNode[], width: number): boolean {
  const left = n.at.x + NODE_RADIUS + 12;
  const right = left + CAPTION_WIDTH;
  if (right > width) return false;
  return nodes.every(
    (o) =>
      o === n ||
      o.at.x + NODE_RADIUS <= left ||
      o.at.x - NODE_RADIUS >= right ||
      o.at.y + NODE_RADIUS <= n.at.y - BESIDE_REACH.up ||
      o.at.y - NODE_RADIUS >= n.at.y + BESIDE_REACH.down,
  );
}

/**
 * The vertical extent the drawing needs for its nodes and captions, at least
 * `0` to `height`: a caption placed above the top row or under the bottom row
 * widens it, and the drawing's viewBox grows to match instead of cutting it.
 */
export function captionExtent(
  nodes: readonly CaptionNode[],
  sides: ReadonlyMap<string, CaptionSide>,
  height: number,
): { readonly top: number; readonly bottom: number } {
  let top = 0;
  let bottom = height;
  for (const n of nodes) {
    const side = sides.get(n.name);
    if (side === "above") top = Math.min(top, n.at.y - NODE_RADIUS - CAPTION_DEPTH);
    if (side === "below") bottom = Math.max(bottom, n.at.y + NODE_RADIUS + CAPTION_DEPTH);
  }
  return { top, bottom };
}

/**
 * How much further down the row under a node would have to be for the
 * node's caption, placed under it, to clear the nodes there (a Sentinel's
 * hexagon under a fan of replicas, say); 0 when nothing is in the way.
 */
export function shortfallBelow(
  nodes: readonly CaptionNode[],
  sides: ReadonlyMap<string, CaptionSide>,
): number {
  let short = 0;
  for (const n of nodes) {
    if (sides.get(n.name) !== "below") continue;
    const captionEnd = n.at.y + NODE_RADIUS + CAPTION_DEPTH;
    for (const o of nodes) {
      if (o.at.y <= n.at.y + 1 || Math.abs(o.at.x - n.at.x) >= CAPTION_WIDTH / 2 + NODE_RADIUS)
        continue;
      short = Math.max(short, captionEnd - (o.at.y - NODE_RADIUS));
    }
  }
  return short;
}
