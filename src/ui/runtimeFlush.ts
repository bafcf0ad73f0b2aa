import type { Speed } from "../host/playback";

/**
 * At "as fast as possible", how often (wall time) the store takes in the
 * run's progress: ten times a second. Virtual time then jumps by whole
 * seconds per frame, more than a reader can follow, and every store update
 * costs a render of the views and a repaint of the page. Taking it in after
 * every slice of time (several per frame) made the page's main thread the
 * busiest thread of a machine whose node workers already want every core,
 * and the longer its tasks, the more often the scheduler cut them short.
 */
export const MAX_SPEED_FLUSH_EVERY_MS = 100;

/**
 * How long after a slice of time the store should take it in (0: now): at
 * once at a reader's pace, where the pace itself is read from the store (the
 * packets in flight), and at most every `MAX_SPEED_FLUSH_EVERY_MS` at "max".
 */
export function flushDelayMs(speed: Speed, sinceLastFlushMs: number): number {
  if (speed !== "max") return 0;
  return Math.max(0, MAX_SPEED_FLUSH_EVERY_MS - sinceLastFlushMs);
}
