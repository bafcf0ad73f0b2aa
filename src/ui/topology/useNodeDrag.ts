import { useRef } from "react";
import type { KeyboardEvent, PointerEvent, RefObject } from "react";
import type { Point } from "../store/state";

/** Pixels a pointer must travel before a press becomes a drag instead of a click. */
const DRAG_THRESHOLD = 4;
const KEY_STEP = 12;

/** What happens while a node is dragged over the others and when it is let go. */
export interface DropHandlers {
  /** The pointer moved while dragging (null: the drag ended or was cancelled). */
  readonly over: (at: Point | null) => void;
  /** The node was let go at `at`; true if that was a drop onto something (a REPLICAOF). */
  readonly drop: (at: Point) => boolean;
  /** Where the node is pinned now (null: where the layout puts it), to go back to after a drop. */
  readonly pinned: () => Point | null;
}

/**
 * Pointer and keyboard handlers that move one node of the topology: drag with a
 * mouse, pen or finger (pointer capture keeps the drag when the pointer leaves
 * the circle), or focus it and use the arrow keys. A press that does not move
 * is a click (`onActivate`), as are Enter and Space. With `dropping`, a drag
 * that ends on another node is a drop, not a move: the node goes back to
 * where it was before the drag.
 */
export function useNodeDrag(
  svgRef: RefObject<SVGSVGElement | null>,
  position: Point,
  onMove: (to: Point | null) => void,
  onActivate: () => void,
  dropping?: DropHandlers,
) {
  const drag = useRef<{
    pointerId: number;
    startX: number;
    startY: number;
    dragging: boolean;
    /** Where the node was pinned before the drag (null: where the layout put it). */
    pinnedBefore: Point | null;
  } | null>(null);

  const toSvg = (clientX: number, clientY: number): Point | null => {
    const matrix = svgRef.current?.getScreenCTM();
    if (!matrix) return null;
    const p = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
    return { x: Math.round(p.x), y: Math.round(p.y) };
  };

  return {
    onPointerDown(e: PointerEvent<SVGGElement>) {
      if (e.button !== 0) return;
      e.currentTarget.setPointerCapture(e.pointerId);
      drag.current = {
        pointerId: e.pointerId,
        startX: e.clientX,
        startY: e.clientY,
        dragging: false,
        pinnedBefore: dropping?.pinned() ?? null,
      };
    },
    onPointerMove(e: PointerEvent<SVGGElement>) {
      const d = drag.current;
      if (!d || d.pointerId !== e.pointerId) return;
      if (!d.dragging && Math.hypot(e.clientX - d.startX, e.clientY - d.startY) < DRAG_THRESHOLD)
        return;
      d.dragging = true;
      const p = toSvg(e.clientX, e.clientY);
      if (p) {
        onMove(p);
        dropping?.over(p);
      }
    },
    onPointerUp(e: PointerEvent<SVGGElement>) {
      const d = drag.current;
      drag.current = null;
      if (!d || d.pointerId !== e.pointerId) return;
      if (!d.dragging) {
        onActivate();
        return;
      }
      dropping?.over(null);
      const p = toSvg(e.clientX, e.clientY);
      if (p && dropping?.drop(p)) onMove(d.pinnedBefore);
    },
    onPointerCancel() {
      const d = drag.current;
      drag.current = null;
      if (d?.dragging) dropping?.over(null);
    },
    onKeyDown(e: KeyboardEvent<SVGGElement>) {
      const moves: Record<string, [number, number]> = {
        ArrowLeft: [-KEY_STEP, 0],
        ArrowRight: [KEY_STEP, 0],
        ArrowUp: [0, -KEY_STEP],
        ArrowDown: [0, KEY_STEP],
      };
      const m = moves[e.key];
      if (m) {
        e.preventDefault();
        onMove({ x: position.x + m[0], y: position.y + m[1] });
      } else if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        onActivate();
      }
    },
  };
}
