import type { VirtualTime } from "../engine/io";
import type { QuietSummary } from "./hostStep";

/** A process slot as the settle condition resolves it: by name, then by IP. */
export interface SlotAddress {
  readonly name: string;
  readonly ip: string;
  /** Absent means a server. */
  readonly kind?: "server" | "sentinel" | "client";
}

/** Which paths are cut. */
export interface CutView {
  isCut(a: string, b: string): boolean;
}

/**
 * Sentinels are background traffic for `settle`. A Sentinel never falls
 * quiet: it PINGs every instance each second, sends INFO every 10 s and a
 * hello every 2 s, so waiting for its links to empty would wait for nothing
 * but a lull between PINGs. So:
 *
 * - Bytes, connects and closes on a path with a Sentinel at either end are
 *   not "in flight" for `settle` (only Sentinels open such connections;
 *   servers never connect to a Sentinel).
 * - A Sentinel is neither a master nor a replica, so the replica conditions
 *   do not look at it (its summary has no `server`), and a stalled Sentinel
 *   does not hold `settle` back either.
 * - What a Sentinel makes servers do is not background: its hello is a
 *   PUBLISH to the master, which the master propagates, so every hello moves
 *   `master_repl_offset` (by about 150 bytes) and each replica must receive
 *   it and acknowledge it (REPLCONF ACK, once a second) like any write. With
 *   a hello every 2 s from each Sentinel the cluster is still quiet between
 *   hellos, once each replica's next ACK has landed before the next hello:
 *   with 3 Sentinels `settle` returns within a few seconds (see the
 *   scenario tests). Likewise a REPLICAOF that Sentinel sends during a
 *   failover starts ordinary syncs that `settle` waits for.
 *
 * `settle` does not wait for Sentinel to act: right after a master crashes,
 * its replicas are left out (their master is not running) and `settle`
 * returns at once; `advance` past `down-after` to watch a failover.
 */
function backgroundPaths(slots: readonly SlotAddress[]): (a: string, b: string) => boolean {
  const sentinels = new Set(slots.filter((s) => s.kind === "sentinel").map((s) => s.name));
  return (a, b) => sentinels.has(a) || sentinels.has(b);
}

/**
 * Whether any byte, connect or close is in flight on a path that is not cut
 * and has no Sentinel at either end: queued at its receiver, or sent in the
 * last step and not yet taken in.
 */
export function trafficInFlight(
  slots: readonly SlotAddress[],
  network: CutView,
  summaries: ReadonlyMap<string, QuietSummary>,
): boolean {
  const background = backgroundPaths(slots);
  for (const slot of slots) {
    const q = summaries.get(slot.name);
    if (!q) continue;
    for (const [from, n] of Object.entries(q.queuedFrom))
      if (n > 0 && !network.isCut(from, slot.name) && !background(from, slot.name)) return true;
    for (const [to, n] of Object.entries(q.sentTo))
      if (n > 0 && !network.isCut(slot.name, to) && !background(slot.name, to)) return true;
  }
  return false;
}

/**
 * The `settle` condition: no full sync in progress, nothing in flight on a
 * path that is not cut, and every replica whose master runs and is reachable
 * is connected, caught up, and acknowledged. Crashed processes and replicas
 * cut off from their master are left out, and Sentinels are background (see
 * `backgroundPaths`).
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
