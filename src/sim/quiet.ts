import type { VirtualTime } from "../engine/io";
import type { QuietSummary } from "./hostStep";

/** A process slot as the settle condition resolves it: by name, then by IP. */
export interface SlotAddress {
  readonly name: string;
  readonly ip: string;
}

/** Which paths are cut. */
export interface CutView {
  isCut(a: string, b: string): boolean;
}

/**
 * Whether any byte, connect or close is in flight on a path that is not cut:
 * queued at its receiver, or sent in the last step and not yet taken in.
 */
export function trafficInFlight(
  slots: readonly SlotAddress[],
  network: CutView,
  summaries: ReadonlyMap<string, QuietSummary>,
): boolean {
  for (const slot of slots) {
    const q = summaries.get(slot.name);
    if (!q) continue;
    for (const [from, n] of Object.entries(q.queuedFrom))
      if (n > 0 && !network.isCut(from, slot.name)) return true;
    for (const [to, n] of Object.entries(q.sentTo))
      if (n > 0 && !network.isCut(slot.name, to)) return true;
  }
  return false;
}

/**
 * The `settle` condition: no full sync in progress, nothing in flight on a
 * path that is not cut, and every replica whose master runs and is reachable
 * is connected, caught up, and acknowledged. Crashed processes and replicas
 * cut off from their master are left out.
 */
export function isQuiet(
  now: VirtualTime,
  slots: readonly SlotAddress[],
  network: CutView,
  summaries: ReadonlyMap<string, QuietSummary>,
): boolean {
  if (trafficInFlight(slots, network, summaries)) return false;
  const resolve = (host: string) =>
    slots.find((s) => s.name === host) ?? slots.find((s) => s.ip === host);
  for (const slot of slots) {
    const q = summaries.get(slot.name);
    const s = q?.server;
    if (!q || !s) continue;
    if (q.stalledUntil > now) return false;
    for (const r of s.replicas) {
      if (!r.online) {
        const peer = resolve(r.peerIp);
        if (peer && !network.isCut(slot.name, peer.name)) return false;
      }
    }
    const link = s.replicaOf;
    if (!link) continue;
    const master = resolve(link.masterHost);
    const m = master ? summaries.get(master.name)?.server : null;
    if (!master || !m || network.isCut(slot.name, master.name)) continue;
    if (!link.linked) return false;
    if (link.replOff !== m.masterReplOffset) return false;
    const record = m.replicas.find((r) => r.conn === link.conn);
    if (record?.ackOffset !== m.masterReplOffset) return false;
  }
  return true;
}
