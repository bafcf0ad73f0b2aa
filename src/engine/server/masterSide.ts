import type { ByteString } from "../bytes";
import { decidePsync } from "../psync";
import { writeRdbPieces } from "../rdb/writer";
import { encodeCommand } from "../resp/encode";
import type { Reply } from "../reply";
import type { Client, ReplicaInfo } from "./client";
import { replicaName } from "./client";
import { replicaOutputBufferLimit } from "../config";
import type { Server } from "./server";
import { processClientsWaitingReplicas } from "./wait";
import { psyncFailoverRequest } from "./failover";

/** The result of SYNC/PSYNC for the dispatcher: a reply, or nothing (the sync protocol answers). */
export type SyncResult = Reply | null;

/** `syncCommand`: a connection asks to become a replica. */
export function syncCommand(s: Server, client: Client, argv: readonly ByteString[]): SyncResult {
  if (client.flag === "replica") return null; // already a replica: ignored
  if (argv.length > 3 && (argv[0] ?? "").toLowerCase() === "psync") {
    if ((argv[3] ?? "").toLowerCase() === "failover") {
      const refused = psyncFailoverRequest(s, client, argv[1] ?? "");
      if (refused) return refused;
    }
  }
  if (s.failover.state !== "no-failover") {
    return { type: "error", value: "NOMASTERLINK Can't SYNC while failing over" };
  }
  if (client.key !== null) {
    // A console is not a socket a replication stream could flow to.
    return { type: "error", value: "ERR SYNC and PSYNC are only valid on a replica's connection" };
  }
  if (s.isReplica && s.replState !== "connected") {
    return { type: "error", value: "NOMASTERLINK Can't SYNC while not connected with my master" };
  }
  const isPsync = (argv[0] ?? "").toLowerCase() === "psync";
  let psyncOffset = 0;
  if (isPsync) {
    const raw = argv[2] ?? "";
    if (!/^-?\d+$/.test(raw)) {
      s.log(
        `Replica ${replicaName(client)} asks for synchronization but with a wrong offset`,
        "warning",
      );
      return { type: "error", value: "ERR value is not an integer or out of range" };
    }
    psyncOffset = Number(raw);
  }
  const name = replicaName(client);
  s.log(`Replica ${name} asks for synchronization`);

  const requestedId = isPsync ? (argv[1] ?? "?") : "?";
  if (isPsync) {
    const decision = decidePsync(s, name, requestedId, psyncOffset);
    if (decision.accept) {
      acceptPartialResync(s, client, psyncOffset);
      return null;
    }
    for (const line of decision.log) s.log(line);
    if (!decision.requestedFull) s.stats.syncPartialErr++;
  }
  s.stats.syncFull++;

  const info = makeReplica(client, "waitBgsaveStart");
  client.flag = "replica";
  client.replica = info;
  s.replicas.push(client);
  s.emit({ type: "replicaState", replica: name, state: info.state });
  s.emit({
    type: "sync",
    replica: name,
    decision: "fullresync",
    replId: s.replId,
    offset: s.masterReplOffset,
  });

  if (s.replicas.length === 1 && !s.backlog) {
    // The first replica of a master without history starts a new one.
    s.changeReplicationId();
    s.clearReplicationId2();
    s.createBacklog();
    s.log(
      `Replication backlog created, my new replication IDs are '${s.replId}' and '${s.replId2}'`,
    );
  }

  if (s.rdbChildActive) {
    s.log("Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC");
  } else if (
    s.configBool("repl-diskless-sync") &&
    client.replconf.capaEof &&
    s.configInt("repl-diskless-sync-delay") > 0
  ) {
    s.log("Delay next BGSAVE for diskless SYNC");
  } else {
    startBgsaveForReplication(s);
  }
  return null;
}

function makeReplica(client: Client, state: ReplicaInfo["state"]): ReplicaInfo {
  return {
    state,
    listeningPort: client.replconf.listeningPort,
    announcedIp: client.replconf.ip,
    capaEof: client.replconf.capaEof,
    capaPsync2: client.replconf.capaPsync2,
    ackOffset: 0,
    ackTimeSec: 0,
    psyncInitialOffset: 0,
    startStreamOnAck: false,
    pending: [],
    pendingFromOffset: 0,
    pendingBytes: 0,
    softLimitSinceSec: 0,
  };
}

function acceptPartialResync(s: Server, client: Client, offset: number): void {
  const info = makeReplica(client, "online");
  info.ackTimeSec = s.unixTimeSec();
  client.flag = "replica";
  client.replica = info;
  s.replicas.push(client);
  const name = replicaName(client);
  const line = info.capaPsync2 ? `+CONTINUE ${s.replId}\r\n` : "+CONTINUE\r\n";
  s.send(client.conn ?? "", line, "handshake");
  const history = s.backlog ? s.backlog.readFrom(offset) : "";
  if (history.length > 0 && client.conn !== null) {
    s.stats.netReplOutputBytes += history.length;
    s.send(client.conn, history, "backlog");
  }
  s.log(
    `Partial resynchronization request from ${name} accepted. Sending ${history.length} bytes of backlog starting from offset ${offset}.`,
  );
  s.stats.syncPartialOk++;
  s.emit({ type: "replicaState", replica: name, state: "online" });
  s.emit({ type: "sync", replica: name, decision: "continue", replId: s.replId, offset });
  refreshGoodReplicasCount(s);
}

/**
 * Forks a snapshot for every replica waiting for one
 * (`startBgsaveForReplication` + `replicationSetupSlaveForFullResync`).
 */
export function startBgsaveForReplication(s: Server): void {
  const waiting = s.replicas.filter((r) => r.replica?.state === "waitBgsaveStart");
  if (waiting.length === 0) return;
  const socketTarget =
    s.configBool("repl-diskless-sync") && waiting.every((r) => r.replica?.capaEof);
  const replStreamDb = replicationStreamDb(s);
  s.log(`Starting BGSAVE for SYNC with target: ${socketTarget ? "replicas sockets" : "disk"}`);
  for (const r of waiting) {
    const info = r.replica;
    if (!info || r.conn === null) continue;
    info.psyncInitialOffset = s.masterReplOffset;
    setReplicaState(s, r, "waitBgsaveEnd");
    info.pendingFromOffset = s.masterReplOffset + 1;
    s.send(r.conn, `+FULLRESYNC ${s.replId} ${s.masterReplOffset}\r\n`, "handshake");
  }
  // The next write must say which database it is for.
  s.slaveSelDb = -1;
  // The file in pieces: each replica's payload is framed and joined in one copy.
  const rdb = snapshotRdbPieces(s, replStreamDb);
  let rdbLength = 0;
  for (const piece of rdb) rdbLength += piece.length;
  if (socketTarget) {
    s.rdbChildActive = true;
    for (const r of waiting) {
      const info = r.replica;
      if (!info || r.conn === null) continue;
      const mark = s.random.hex(40);
      info.startStreamOnAck = true;
      s.stats.netReplOutputBytes += rdbLength + 2 * mark.length + 7;
      // The child exits once the whole RDB is written: then the replica counts as online.
      s.send(r.conn, framed(`$EOF:${mark}\r\n`, rdb, mark), "rdb", true);
    }
    return;
  }
  for (const r of waiting) {
    const info = r.replica;
    if (!info || r.conn === null) continue;
    setReplicaState(s, r, "sendBulk");
    s.stats.netReplOutputBytes += rdbLength;
    s.send(r.conn, framed(`$${rdbLength}\r\n`, rdb, ""), "rdb");
    replicaPutOnline(s, r);
  }
}

/** One flat string of `head`, the pieces and `tail`. */
function framed(head: ByteString, pieces: readonly ByteString[], tail: ByteString): ByteString {
  const all = [head];
  for (const piece of pieces) all.push(piece);
  all.push(tail);
  return all.join("");
}

/**
 * `rdbPopulateSaveInfo`: the database the stream has selected, so a sub-replica
 * applies what an intermediate replica forwards (with no SELECT) to the right one.
 */
/**
 * The RDB file of the whole dataset as `rdbSaveRio` writes it, with the aux
 * fields of `rdbPopulateSaveInfo` (a full sync, SAVE, the page's download).
 */
export function snapshotRdb(s: Server, replStreamDb = replicationStreamDb(s)): ByteString {
  return snapshotRdbPieces(s, replStreamDb).join("");
}

/** `snapshotRdb` as the writer's consecutive pieces. */
function snapshotRdbPieces(s: Server, replStreamDb: number): ByteString[] {
  return writeRdbPieces(
    s.keyspace,
    {
      redisVer: s.version === "7.0" ? "7.0.15" : "6.2.14",
      ctimeSec: s.unixTimeSec(),
      usedMem: 1_000_000 + s.keyspace.totalKeys() * 64,
      replStreamDb,
      replId: s.replId,
      replOffset: s.masterReplOffset,
      aofBase: 0,
    },
    s.unixTimeMs(),
  );
}

function replicationStreamDb(s: Server): number {
  if (!s.isReplica) return s.slaveSelDb === -1 ? 0 : s.slaveSelDb;
  return s.masterLink?.client?.db ?? s.cachedMaster?.db ?? 0;
}

function setReplicaState(s: Server, r: Client, state: ReplicaInfo["state"]): void {
  if (!r.replica) return;
  r.replica.state = state;
  s.emit({ type: "replicaState", replica: replicaName(r), state });
}

/** `replicaPutOnline` followed by the flush of what accumulated during the sync. */
function replicaPutOnline(s: Server, r: Client): void {
  const info = r.replica;
  if (!info) return;
  setReplicaState(s, r, "online");
  info.ackTimeSec = s.unixTimeSec();
  s.log(`Synchronization with replica ${replicaName(r)} succeeded`);
  if (!info.startStreamOnAck) flushPending(s, r);
  refreshGoodReplicasCount(s);
}

function flushPending(s: Server, r: Client): void {
  const info = r.replica;
  if (!info) return;
  if (info.pending.length > 0 && r.conn !== null) {
    const bytes = info.pending.join("");
    s.stats.netReplOutputBytes += bytes.length;
    s.send(r.conn, bytes, "stream");
  }
  info.pending = [];
  info.pendingBytes = 0;
  info.softLimitSinceSec = 0;
  s.backlog?.release(r);
}

/**
 * `checkClientOutputBufferLimits` for a replica: over the hard limit, or over
 * the soft one for too long, and it is dropped; it will need another full sync.
 * For replicas the hard limit is at least repl-backlog-size.
 */
export function checkOutputBufferLimits(s: Server, r: Client): boolean {
  const info = r.replica;
  if (!info) return false;
  const limit = replicaOutputBufferLimit(s.config);
  const used = info.pendingBytes;
  const hard =
    limit.hardBytes > 0 ? Math.max(limit.hardBytes, s.configInt("repl-backlog-size")) : 0;
  const now = s.unixTimeSec();
  let over = hard > 0 && used >= hard;
  if (limit.softBytes > 0 && used >= limit.softBytes) {
    if (info.softLimitSinceSec === 0) info.softLimitSinceSec = now;
    else if (now - info.softLimitSinceSec > limit.softSeconds) over = true;
  } else {
    info.softLimitSinceSec = 0;
  }
  if (!over) return false;
  s.log(
    `Client id=${r.id} addr=${r.peerIp}:${r.peerPort} laddr=${s.ip}:${s.port} flags=S db=${r.db} name= omem=${used} scheduled to be closed ASAP for overcoming of output buffer limits.`,
    "warning",
  );
  s.freeClient(r);
  return true;
}

/** `REPLCONF` from a replica (or, for GETACK, from our master). */
export function replconfCommand(
  s: Server,
  client: Client,
  argv: readonly ByteString[],
): Reply | null {
  if (argv.length % 2 === 0) return { type: "error", value: "ERR syntax error" };
  for (let i = 1; i < argv.length; i += 2) {
    const option = (argv[i] ?? "").toLowerCase();
    const value = argv[i + 1] ?? "";
    switch (option) {
      case "listening-port": {
        const port = Number(value);
        if (!/^\d+$/.test(value) || port > 65535) {
          return { type: "error", value: "ERR value is not an integer or out of range" };
        }
        client.replconf.listeningPort = port;
        break;
      }
      case "ip-address":
        client.replconf.ip = value;
        break;
      case "capa":
        if (value.toLowerCase() === "eof") client.replconf.capaEof = true;
        else if (value.toLowerCase() === "psync2") client.replconf.capaPsync2 = true;
        break;
      case "ack":
        replconfAck(s, client, value);
        return null; // never answered
      case "getack":
        if (client.flag === "master") {
          // Sent with the offset before this GETACK: reploff moves after the command.
          s.send(
            client.conn ?? "",
            encodeCommand(["REPLCONF", "ACK", String(s.masterLink?.replOff ?? 0)]),
            "ack",
          );
        }
        return null;
      case "rdb-only":
      case "rdb-filter-only":
        break;
      default:
        return { type: "error", value: `ERR Unrecognized REPLCONF option: ${argv[i] ?? ""}` };
    }
  }
  return { type: "simple", value: "OK" };
}

function replconfAck(s: Server, client: Client, value: ByteString): void {
  const info = client.replica;
  if (!info) return;
  const offset = Number(value);
  if (!/^-?\d+$/.test(value)) return;
  if (offset > info.ackOffset) info.ackOffset = offset;
  info.ackTimeSec = s.unixTimeSec();
  if (info.startStreamOnAck) {
    // Diskless: the replica loaded the RDB (`repl_start_cmd_stream_on_ack`): stream what piled up.
    if (info.state === "waitBgsaveEnd") rdbSent(s, client.conn ?? "");
    info.startStreamOnAck = false;
    s.log(`Synchronization with replica ${replicaName(client)} succeeded`);
    flushPending(s, client);
  }
  processClientsWaitingReplicas(s);
}

/**
 * The diskless RDB has left the master for this replica: the fork's child is
 * done (`updateSlavesWaitingBgsave`), so the replica is online, though its
 * command stream starts only with its first REPLCONF ACK.
 */
export function rdbSent(s: Server, conn: string): void {
  const r = s.clientsByConn.get(conn);
  const info = r?.replica;
  if (!r || !info || info.state !== "waitBgsaveEnd" || !info.startStreamOnAck) return;
  s.log(
    `Streamed RDB transfer with replica ${replicaName(r)} succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming`,
  );
  setReplicaState(s, r, "online");
  info.ackTimeSec = s.unixTimeSec();
  s.rdbChildActive = s.replicas.some(
    (x) => x.replica?.state === "waitBgsaveEnd" && x.replica.startStreamOnAck,
  );
  refreshGoodReplicasCount(s);
}

/** Removes a replica from `server.slaves`. */
export function freeReplica(s: Server, client: Client): void {
  const i = s.replicas.indexOf(client);
  if (i < 0) return;
  s.replicas.splice(i, 1);
  s.backlog?.release(client);
  const name = replicaName(client);
  s.log(`Connection with replica ${name} lost.`, "warning");
  s.emit({ type: "replicaState", replica: name, state: "gone" });
  if (s.replicas.length === 0) s.replNoSlavesSinceSec = s.unixTimeSec();
  s.rdbChildActive = s.replicas.some(
    (r) => r.replica?.state === "waitBgsaveEnd" && r.replica.startStreamOnAck,
  );
  refreshGoodReplicasCount(s);
}

/** `disconnectSlaves`. */
export function disconnectReplicas(s: Server): void {
  for (const r of [...s.replicas]) s.freeClient(r);
}

/** `refreshGoodSlavesCount`: ONLINE replicas whose last ACK is recent enough. */
export function refreshGoodReplicasCount(s: Server): void {
  const maxLag = s.configInt("min-replicas-max-lag");
  const now = s.unixTimeSec();
  s.goodReplicas = s.replicas.filter(
    (r) => r.replica?.state === "online" && now - r.replica.ackTimeSec <= maxLag,
  ).length;
}

/** `checkGoodReplicasStatus`: may this master accept writes? */
export function enoughGoodReplicas(s: Server): boolean {
  const toWrite = s.configInt("min-replicas-to-write");
  const maxLag = s.configInt("min-replicas-max-lag");
  return s.isReplica || maxLag === 0 || toWrite === 0 || s.goodReplicas >= toWrite;
}

/** The master half of `replicationCron`. */
export function masterCron(s: Server): void {
  const now = s.unixTimeSec();
  const period = s.configInt("repl-ping-replica-period");
  // No PING during a FAILOVER with a timeout: it would move the offset the target must reach.
  const pausedForFailover = s.failover.endTimeMs !== 0 && s.failover.writesPaused;
  if (
    !s.isReplica &&
    s.replicas.length > 0 &&
    s.replicationCronLoops % period === 0 &&
    !pausedForFailover
  ) {
    s.propagate([{ dbid: -1, argv: ["ping"] }], false);
  }
  for (const r of [...s.replicas]) if (r.replica?.pendingBytes) checkOutputBufferLimits(s, r);
  // Newlines keep replicas waiting for a snapshot from timing out (not stream bytes).
  for (const r of s.replicas) {
    if (r.replica?.state === "waitBgsaveStart" && r.conn !== null)
      s.send(r.conn, "\n", "keepalive");
  }
  const timeout = s.configInt("repl-timeout");
  for (const r of [...s.replicas]) {
    const info = r.replica;
    if (info?.state !== "online") continue;
    if (now - info.ackTimeSec > timeout) {
      s.log(`Disconnecting timedout replica (streaming sync): ${replicaName(r)}`, "warning");
      s.freeClient(r);
    }
  }
  const ttl = s.configInt("repl-backlog-ttl");
  if (!s.isReplica && s.replicas.length === 0 && s.backlog && ttl > 0) {
    const idle = now - s.replNoSlavesSinceSec;
    if (idle > ttl) {
      s.changeReplicationId();
      s.clearReplicationId2();
      s.backlog = null;
      s.log(`Replication backlog freed after ${ttl} seconds without connected replicas.`);
    }
  }
  startPendingFork(s, now);
  refreshGoodReplicasCount(s);
}

/** `replicationStartPendingFork`: the diskless delay has passed for someone waiting. */
function startPendingFork(s: Server, now: number): void {
  if (s.rdbChildActive) return;
  const waiting = s.replicas.filter((r) => r.replica?.state === "waitBgsaveStart");
  if (waiting.length === 0) return;
  const diskless = s.configBool("repl-diskless-sync");
  const maxReplicas = s.configInt("repl-diskless-sync-max-replicas");
  const delay = s.configInt("repl-diskless-sync-delay");
  const maxIdle = Math.max(
    ...waiting.map(
      (r) => now - Math.floor((s.epochMs + Math.floor(r.lastInteractionUs / 1000)) / 1000),
    ),
  );
  if (!diskless || (maxReplicas > 0 && waiting.length >= maxReplicas) || maxIdle >= delay) {
    startBgsaveForReplication(s);
  }
}
