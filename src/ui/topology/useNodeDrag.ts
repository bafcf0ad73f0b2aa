import { useRef } from "react";
import type { KeyboardEvent, PointerEvent, RefObject } from "react";
import type { Point } from "../store/state";

/** Pixels a pointer must travel before a press becomes a drag instead of a click. */
const DRAG_THRESHOLD = 4;
const KEY_STEP = 12;

/**
 * Pointer and keyboard handlers that move one node of the topology: drag with a
 * mouse, pen or finger (pointer capture keeps the drag when the pointer leaves
 * the circle), or focus it and use the arrow keys. A press that does not move
 * is a click (`onActivate`), as are Enter and Space.
 */
export function useNodeDrag(
  svgRef: RefObject<SVGSVGElement | null>,
  position: Point,
  onMove: (to: Point) => void,
  onActivate: () => void,
) {
  const drag = useRef<{
    pointerId: number;
    startX: number;
    startY: number;
    dragging: boolean;
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
      };
    },
    onPointerMove(e: PointerEvent<SVGGElement>) {
      const d = drag.current;
      if (!d || d.pointerId !== e.pointerId) return;
      if (!d.dragging && Math.hypot(e.clientX - d.startX, e.clientY - d.startY) < DRAG_THRESHOLD)
        return;
      d.dragging = true;
      const p = toSvg(e.clientX, e.clientY);
      if (p) onMove(p);
    },
    onPointerUp(e: PointerEvent<SVGGElement>) {
      const d = drag.current;
      drag.current = null;
      if (d && d.pointerId === e.pointerId && !d.dragging) onActivate();
    },
    onPointerCancel() {
      drag.current = null;
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
