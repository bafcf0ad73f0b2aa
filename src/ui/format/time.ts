import type { VirtualTime } from "../../engine/io";

/** Virtual time (µs) as the page's clock shows it: `12.345 s`. */
export function formatClock(t: VirtualTime): string {
  return `${(t / 1e6).toFixed(3)} s`;
}

/** Virtual time (µs) with microsecond precision, for the event log: `1.003000`. */
export function formatLogTime(t: VirtualTime): string {
  return (t / 1e6).toFixed(6);
}

/** A duration in seconds as redis-cli's TTL would round it, for the keys table. */
export function formatTtl(remainingMs: number): string {
  if (remainingMs <= 0) return "expired";
  const s = remainingMs / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}
