import type { VirtualTime } from "../../engine/io";

/** How long, in wall-clock milliseconds at 1×, a packet takes to cross its link on screen. */
export const FLIGHT_WALL_MS = 600;
/** Virtual microseconds per wall millisecond when nothing is in flight: real time at 1×. */
export const REAL_TIME_RATE = 1000;
/** The speeds the controls offer (the host's Playback also runs "as fast as possible"). */
export const SPEEDS: readonly number[] = [0.1, 0.25, 0.5, 1, 2, 5, 10, 100];

/** A packet as pacing sees it: its send and delivery times. */
export interface Flight {
  readonly t: VirtualTime;
  readonly deliverAt: VirtualTime;
}

/**
 * How fast virtual time runs (µs per wall ms, at 1×). A link's latency is a
 * millisecond, which nobody could see in real time, so while bytes are in
 * flight time slows until the quickest of them takes `FLIGHT_WALL_MS` to cross;
 * when the wires are quiet it runs in real time. Slow motion is for following
 * single writes: while any link direction carries a stream (`streaming`; the
 * rule is in packets/flows.ts: sends too close together to follow one by one,
 * such as 1,000 writes a second), time runs at the chosen speed and the links
 * draw the flow with its rate instead. This only maps virtual time to wall
 * time (the host's `Playback` calls it): what happens is the same at any pace.
 */
export function virtualRate(
  now: VirtualTime,
  flights: readonly Flight[],
  streaming = false,
): number {
  if (streaming) return REAL_TIME_RATE;
  let shortest = Infinity;
  for (const f of flights) {
    if (f.deliverAt > now) shortest = Math.min(shortest, Math.max(1, f.deliverAt - f.t));
  }
  return Number.isFinite(shortest)
    ? Math.min(REAL_TIME_RATE, shortest / FLIGHT_WALL_MS)
    : REAL_TIME_RATE;
}

/** The next delivery time after `now`, where the pace may change, or null. */
export function nextArrival(now: VirtualTime, flights: readonly Flight[]): VirtualTime | null {
  let next: VirtualTime | null = null;
  for (const f of flights)
    if (f.deliverAt > now && (next === null || f.deliverAt < next)) next = f.deliverAt;
  return next;
}
