import { useCallback, useLayoutEffect, useRef } from "react";

/** How close to the bottom, in pixels, a reader counts as following the newest entry. */
const NEAR_BOTTOM_PX = 24;

/** Lists waiting to be scrolled to their end at the next frame. */
const waiting = new Set<HTMLElement>();
let frame = 0;

/**
 * Scrolls every waiting list to its end, once a frame. Under load a list
 * changes several times a frame (each batch of trace events is a commit);
 * reading its height after each commit forced a layout of the whole page each
 * time. Here all heights are read first, in one layout, then all are written
 * (a scroll does not dirty layout), just before the frame lays out anyway.
 */
function pinWaiting(): void {
  frame = 0;
  const lists = [...waiting].filter((el) => el.isConnected);
  waiting.clear();
  const heights = lists.map((el) => el.scrollHeight);
  lists.forEach((el, i) => {
    el.scrollTop = heights[i] ?? 0;
  });
}

function pinToBottom(el: HTMLElement): void {
  waiting.add(el);
  if (frame === 0) frame = requestAnimationFrame(pinWaiting);
}

/**
 * Keeps a scrolled list pinned to its newest entry unless the reader scrolled
 * up: pass `ref` to the scrolled element and `onScroll` to its scroll event;
 * `dep` changes when the list does.
 */
export function useStickToBottom<T extends HTMLElement>(
  dep: unknown,
): { ref: React.RefObject<T | null>; onScroll: () => void; follow: () => void } {
  const ref = useRef<T>(null);
  const stick = useRef(true);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && stick.current) pinToBottom(el);
  }, [dep]);
  const onScroll = useCallback(() => {
    const el = ref.current;
    // The list grew after the last pin and is pinned again this frame: the reader did not move.
    if (!el || waiting.has(el)) return;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
  }, []);
  /** Follows the newest entry again (the reader sent a command). */
  const follow = useCallback(() => {
    stick.current = true;
  }, []);
  return { ref, onScroll, follow };
}
