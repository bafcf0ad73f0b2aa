import type { InProcessCluster } from "./inProcessCluster";

/**
 * The `settle` condition: no full sync in progress, nothing in flight on a
 * path that is not cut, and every replica whose master runs and is reachable
 * is connected, caught up, and acknowledged. Crashed processes and replicas
 * cut off from their master are left out.
 */
export function isQuiet(cluster: InProcessCluster): boolean {
  const now = cluster.now();
  if (cluster.hasTrafficInFlight()) return false;
  for (const slot of cluster.runningSlots()) {
    const s = slot.server;
    if (!s) continue;
    if (slot.stalledUntil > now) return false;
    for (const r of s.replicas) {
      const state = r.replica?.state;
      if (state !== "online") {
        const peer = cluster.resolve(r.peerIp);
        if (peer && !cluster.network.isCut(slot.name, peer.name)) return false;
      }
    }
    if (!s.isReplica || s.masterHost === null) continue;
    const master = cluster.resolve(s.masterHost);
    if (!master?.server || cluster.network.isCut(slot.name, master.name)) continue;
    const link = s.masterLink;
    if (s.replState !== "connected" || !link?.client) return false;
    const m = master.server;
    if (link.replOff !== m.masterReplOffset) return false;
    const record = m.replicas.find((r) => r.conn === link.conn);
    if (record?.replica?.ackOffset !== m.masterReplOffset) return false;
  }
  return true;
}
