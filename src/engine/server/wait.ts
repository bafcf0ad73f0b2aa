import type { ByteString } from "../bytes";
import type { Reply } from "../reply";
import type { Client } from "./client";
import type { Server } from "./server";

const REPLICA_WAIT_ERROR =
  "ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.";

/** Online replicas that acknowledged at least `offset` (`replicationCountAcksByOffset`). */
export function countAcks(s: Server, offset: number): number {
  return s.replicas.filter((r) => r.replica?.state === "online" && r.replica.ackOffset >= offset)
    .length;
}

/**
 * `WAIT numreplicas timeout`: answers at once when enough replicas already
 * acknowledged the client's last write, else blocks and asks for ACKs.
 * Returns null when the client blocked.
 */
export function waitCommand(s: Server, client: Client, argv: readonly ByteString[]): Reply | null {
  if (s.isReplica) return { type: "error", value: REPLICA_WAIT_ERROR };
  const numRaw = argv[1] ?? "";
  if (!/^-?\d+$/.test(numRaw) || !Number.isSafeInteger(Number(numRaw))) {
    return { type: "error", value: "ERR value is not an integer or out of range" };
  }
  const timeoutRaw = argv[2] ?? "";
  if (!/^-?\d+$/.test(timeoutRaw) || !Number.isSafeInteger(Number(timeoutRaw))) {
    return { type: "error", value: "ERR timeout is not an integer or out of range" };
  }
  const timeout = Number(timeoutRaw);
  if (timeout < 0) return { type: "error", value: "ERR timeout is negative" };
  const numReplicas = Number(numRaw);
  const acked = countAcks(s, client.woff);
  if (acked >= numReplicas || client.multi !== null) return { type: "integer", value: acked };
  client.blocked = {
    numReplicas,
    deadlineMs: timeout > 0 ? s.unixTimeMs() + timeout : 0,
    offset: client.woff,
  };
  s.getAckFromReplicas = true;
  return null;
}

/** Unblocks WAITs that are now satisfied (`processClientsWaitingReplicas`). */
export function processClientsWaitingReplicas(s: Server): void {
  for (const client of s.clients.values()) {
    const b = client.blocked;
    if (!b) continue;
    const acked = countAcks(s, b.offset);
    if (acked >= b.numReplicas) unblock(s, client, acked);
  }
}

/** Answers WAITs whose timeout passed (`handleBlockedClientsTimeout`). */
export function handleBlockedTimeouts(s: Server): void {
  const now = s.unixTimeMs();
  for (const client of s.clients.values()) {
    const b = client.blocked;
    if (!b || b.deadlineMs === 0 || b.deadlineMs > now) continue;
    unblock(s, client, countAcks(s, b.offset));
  }
}

function unblock(s: Server, client: Client, count: number): void {
  client.blocked = null;
  s.reply(client, { type: "integer", value: count });
  s.resumeClient(client);
}
