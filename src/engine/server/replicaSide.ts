import type { ByteString } from "../bytes";
import type { ConnId } from "../io";
import { RdbError } from "../rdb/rdbError";
import type { RdbContents } from "../rdb/reader";
import { readRdb } from "../rdb/reader";
import type { UntilMark } from "../resp/byteQueue";
import { ByteQueue } from "../resp/byteQueue";
import { encodeCommand } from "../resp/encode";
import { RequestParser } from "../resp/parser";
import type { Client } from "./client";
import { processCommand } from "./dispatch";
import { disconnectReplicas } from "./masterSide";
import { failoverPsyncAnswered } from "./failover";
import type { Server } from "./server";

/** What a replica remembers of a lost master, to PSYNC later (`server.cached_master`). */
export interface CachedMaster {
  replId: string;
  /** `reploff`: bytes of whole commands applied. */
  replOff: number;
  /** The database the master stream had selected. */
  db: number;
}

/** Where a replica is in reading its master link. */
export type LinkPhase =
  | "connecting" // TCP connect in flight
  | "pingReply" // sent PING
  | "portReply" // sent REPLCONF listening-port (and capa, pipelined)
  | "capaReply" // waiting for the REPLCONF capa reply
  | "psyncReply" // sent PSYNC
  | "transferHeader" // +FULLRESYNC seen, waiting for `$<len>` or `$EOF:<mark>`
  | "transferBody" // receiving the RDB
  | "streaming"; // connected: the command stream

/** A replica's connection to its master: the handshake, the transfer, then the master client. */
export interface MasterLink {
  readonly conn: ConnId;
  phase: LinkPhase;
  /** Bytes read before streaming (handshake lines and the RDB payload). */
  readonly queue: ByteQueue;
  /** The master client once streaming (`server.master`). */
  client: Client | null;
  /**
   * The command stream parser, and the stream bytes it was fed that are not
   * applied yet: those of `unapplied` from index `unappliedAt` on.
   */
  readonly parser: RequestParser;
  unapplied: ByteString;
  unappliedAt: number;
  /** Bytes parsed into commands not applied yet (inside the master's MULTI). */
  parsedNotApplied: number;
  /** `read_reploff` and `reploff` of the master client. */
  readReplOff: number;
  replOff: number;
  /** From +FULLRESYNC / +CONTINUE. */
  masterReplId: string;
  initialOffset: number;
  /** The RDB transfer: `$EOF:` mark (null in size mode), expected size (-1 with a mark). */
  transfer: { eofMark: string | null; size: number; chunks: ByteString[]; read: number } | null;
  /** `repl_transfer_lastio` / `master->lastinteraction`, in unix seconds. */
  lastIoSec: number;
}

/** `connectWithMaster`. */
export function connectWithMaster(s: Server): void {
  if (!s.masterHost) return;
  const conn = s.openConnection(s.masterHost, s.masterPort);
  s.masterLink = {
    conn,
    phase: "connecting",
    queue: new ByteQueue(),
    client: null,
    parser: new RequestParser({ master: true }),
    unapplied: "",
    unappliedAt: 0,
    parsedNotApplied: 0,
    readReplOff: 0,
    replOff: 0,
    masterReplId: "",
    initialOffset: -1,
    transfer: null,
    lastIoSec: s.unixTimeSec(),
  };
  s.setReplState("connecting");
  s.log("MASTER <-> REPLICA sync started");
}

/** `replicationSetMaster`: REPLICAOF host port. */
export function replicationSetMaster(s: Server, host: string, port: number): void {
  const wasMaster = s.masterHost === null;
  if (s.masterLink?.client) {
    // Freeing the master client caches it, so a new master can be PSYNCed with its history.
    freeMasterClient(s, { reconnect: false });
  }
  disconnectAllBlockedClients(s);
  s.masterHost = host;
  s.masterPort = port;
  // 6.2 dropped sub-replicas here; 7.0 keeps them, hoping they can partially resync.
  if (s.version === "6.2") disconnectReplicas(s);
  cancelReplicationHandshake(s, false);
  if (wasMaster) {
    s.cachedMaster = null;
    replicationCacheMasterUsingMyself(s);
    s.emit({ type: "role", role: "slave", masterHost: host });
  }
  s.setReplState("connect");
  s.log(`Connecting to MASTER ${host}:${port}`);
  connectWithMaster(s);
}

/**
 * `disconnectAllBlockedClients`: a master turning replica answers every
 * blocked WAIT with an error and closes it (commands held by a pause are not
 * blocked in this sense: they run again later).
 */
function disconnectAllBlockedClients(s: Server): void {
  for (const c of [...s.clients.values()]) {
    if (!c.blocked) continue;
    c.blocked = null;
    s.reply(c, {
      type: "error",
      value:
        "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)",
    });
    s.freeClient(c);
  }
}

/** `replicationUnsetMaster`: REPLICAOF NO ONE. */
export function replicationUnsetMaster(s: Server): void {
  if (s.masterHost === null) return;
  s.masterHost = null;
  if (s.masterLink?.client) freeMasterClient(s, { reconnect: false });
  discardCachedMaster(s);
  cancelReplicationHandshake(s, false);
  s.shiftReplicationId();
  // Sub-replicas reconnect and PSYNC with the old id, accepted through replid2.
  disconnectReplicas(s);
  s.setReplState("none");
  s.slaveSelDb = -1;
  s.replNoSlavesSinceSec = s.unixTimeSec();
  s.replDownSinceSec = 0;
  s.emit({ type: "role", role: "master", masterHost: null });
}

/** `replicationCacheMasterUsingMyself`: a former master PSYNCs with its own history. */
export function replicationCacheMasterUsingMyself(s: Server): void {
  s.log(
    "Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.",
  );
  s.cachedMaster = { replId: s.replId, replOff: s.masterReplOffset, db: 0 };
}

function discardCachedMaster(s: Server): void {
  if (!s.cachedMaster) return;
  s.log("Discarding previously cached master state.");
  s.cachedMaster = null;
}

/** Aborts a connect, handshake or transfer in progress (`cancelReplicationHandshake`). */
export function cancelReplicationHandshake(s: Server, reconnect: boolean): boolean {
  const link = s.masterLink;
  if (!link || link.phase === "streaming") return false;
  s.closeConnection(link.conn);
  s.masterLink = null;
  s.setReplState("connect");
  if (reconnect && s.masterHost) {
    s.log(`Reconnecting to MASTER ${s.masterHost}:${s.masterPort} after failure`);
    connectWithMaster(s);
  }
  return true;
}

/**
 * The master client is gone (`freeClient(server.master)` →
 * `replicationCacheMaster` → `replicationHandleMasterDisconnection`).
 */
function freeMasterClient(s: Server, opts: { reconnect: boolean }): void {
  const link = s.masterLink;
  if (!link?.client) return;
  s.log("Connection with master lost.", "warning");
  s.log("Caching the disconnected master state.");
  // Bytes read but not applied are dropped: read_reploff = reploff.
  s.cachedMaster = { replId: link.masterReplId, replOff: link.replOff, db: link.client.db };
  s.closeConnection(link.conn);
  s.masterLink = null;
  s.setReplState("connect");
  s.replDownSinceSec = s.unixTimeSec();
  if (opts.reconnect && s.masterHost) {
    // 7.0 reconnects at once rather than waiting up to a second for the cron.
    s.log(`Reconnecting to MASTER ${s.masterHost}:${s.masterPort}`);
    connectWithMaster(s);
  }
}

export function masterLinkConnected(s: Server): void {
  const link = s.masterLink;
  if (!link || link.phase !== "connecting") return;
  s.log("Non blocking connect for SYNC fired the event.");
  link.lastIoSec = s.unixTimeSec();
  s.send(link.conn, encodeCommand(["PING"]), "handshake");
  link.phase = "pingReply";
  s.setReplState("handshake");
}

export function masterLinkConnectFailed(s: Server): void {
  if (!s.masterLink) return;
  s.log("Unable to connect to MASTER: Connection refused", "warning");
  s.masterLink = null;
  s.setReplState("connect");
}

/** The master (or the network) closed the link. */
export function masterLinkClosed(s: Server): void {
  const link = s.masterLink;
  if (!link) return;
  if (link.client) {
    freeMasterClient(s, { reconnect: true });
  } else if (link.phase === "transferBody" || link.phase === "transferHeader") {
    s.log("I/O error trying to sync with MASTER: connection lost", "warning");
    cancelReplicationHandshake(s, true);
  } else {
    s.log("Master closed the connection during the handshake", "warning");
    s.masterLink = null;
    s.setReplState("connect");
  }
}

/** Bytes arrived on the master link. */
export function masterLinkBytes(s: Server, bytes: ByteString): void {
  const link = s.masterLink;
  if (!link) return;
  link.lastIoSec = s.unixTimeSec();
  // Everything read from the master link counts as replication input (`stat_net_repl_input_bytes`).
  s.stats.netReplInputBytes += bytes.length;
  s.stats.netInputBytes -= bytes.length;
  if (link.phase === "streaming") {
    streamBytes(s, link, bytes);
    return;
  }
  link.queue.append(bytes);
  while (s.masterLink === link && phaseOf(link) !== "streaming" && link.queue.available > 0) {
    if (!handshakeStep(s, link)) break;
  }
  if (s.masterLink === link && phaseOf(link) === "streaming" && link.queue.available > 0) {
    streamBytes(s, link, link.queue.takeAll());
  }
}

/** Reads the phase afresh: handlers called in between may have moved it. */
function phaseOf(link: MasterLink): LinkPhase {
  return link.phase;
}

/** Consumes one handshake line or transfer chunk; false when more bytes are needed. */
function handshakeStep(s: Server, link: MasterLink): boolean {
  if (link.phase === "transferBody") return transferStep(s, link);
  const line = link.queue.takeLine();
  if (line === undefined) return false;
  switch (link.phase) {
    case "pingReply":
      if (
        line.startsWith("+") ||
        line.startsWith("-NOAUTH") ||
        line.startsWith("-NOPERM") ||
        line.startsWith("-ERR operation not permitted")
      ) {
        s.log("Master replied to PING, replication can continue...");
        s.send(
          link.conn,
          encodeCommand(["REPLCONF", "listening-port", String(s.port)]),
          "handshake",
        );
        s.send(
          link.conn,
          encodeCommand(["REPLCONF", "capa", "eof", "capa", "psync2"]),
          "handshake",
        );
        link.phase = "portReply";
      } else if (line.length > 0) {
        s.log(`Error reply to PING from master: '${line}'`, "warning");
        cancelReplicationHandshake(s, false);
      }
      return true;
    case "portReply":
      if (line.startsWith("-")) {
        s.log(`(Non critical) Master does not understand REPLCONF listening-port: ${line}`);
      }
      link.phase = "capaReply";
      return true;
    case "capaReply":
      if (line.startsWith("-"))
        s.log(`(Non critical) Master does not understand REPLCONF capa: ${line}`);
      sendPsync(s, link);
      return true;
    case "psyncReply":
      psyncReply(s, link, line);
      return true;
    case "transferHeader":
      transferHeader(s, link, line);
      return true;
    case "connecting":
    case "streaming":
      return false;
  }
}

function sendPsync(s: Server, link: MasterLink): void {
  const cached = s.cachedMaster;
  // A master handing over (`FAILOVER`) tells its target to promote itself.
  const failing = s.failover.state === "failover-in-progress" ? ["FAILOVER"] : [];
  if (cached) {
    const offset = cached.replOff + 1;
    s.log(`Trying a partial resynchronization (request ${cached.replId}:${offset}).`);
    s.send(
      link.conn,
      encodeCommand(["PSYNC", cached.replId, String(offset), ...failing]),
      "handshake",
    );
  } else {
    s.log("Partial resynchronization not possible (no cached master)");
    s.send(link.conn, encodeCommand(["PSYNC", "?", "-1", ...failing]), "handshake");
  }
  link.phase = "psyncReply";
}

function psyncReply(s: Server, link: MasterLink, line: string): void {
  if (line.length === 0) return; // keep-alive while the master waits to fork
  if (line.startsWith("+FULLRESYNC")) {
    const [, replId = "", offset = ""] = line.split(" ");
    if (replId.length !== 40) {
      s.log("Master replied with wrong +FULLRESYNC syntax.", "warning");
      link.masterReplId = "";
    } else {
      link.masterReplId = replId;
    }
    link.initialOffset = Number(offset);
    s.log(`Full resync from master: ${replId}:${offset}`);
    link.phase = "transferHeader";
    s.setReplState("transfer");
    failoverPsyncAnswered(s, true);
    return;
  }
  if (line.startsWith("+CONTINUE")) {
    partialResyncAccepted(s, link, line.slice("+CONTINUE".length).trim());
    failoverPsyncAnswered(s, true);
    return;
  }
  if (s.failover.state === "failover-in-progress") {
    failoverPsyncAnswered(s, false);
    return;
  }
  if (line.startsWith("-NOMASTERLINK") || line.startsWith("-LOADING")) {
    s.log(`Master is currently unable to PSYNC but should be in the future: ${line}`);
  } else {
    s.log(`Unexpected reply to PSYNC from master: ${line}`, "warning");
  }
  cancelReplicationHandshake(s, false);
}

function partialResyncAccepted(s: Server, link: MasterLink, newId: string): void {
  const cached = s.cachedMaster;
  if (!cached) {
    cancelReplicationHandshake(s, false);
    return;
  }
  s.log("Successful partial resynchronization with master.");
  if (newId.length === 40 && newId.toLowerCase() !== cached.replId.toLowerCase()) {
    s.replId2 = cached.replId;
    s.secondReplOffset = s.masterReplOffset + 1;
    s.replId = newId;
    cached.replId = newId;
    s.log(`Master replication ID changed to ${newId}`, "warning");
    s.emitReplIds();
    // Sub-replicas must learn the new id: they reconnect and are accepted through replid2.
    disconnectReplicas(s);
  }
  // `replicationResurrectCachedMaster`.
  link.masterReplId = cached.replId;
  link.replOff = cached.replOff;
  link.readReplOff = cached.replOff;
  link.client = createMasterClient(s, link, cached.db);
  s.cachedMaster = null;
  link.phase = "streaming";
  s.setReplState("connected");
  s.replDownSinceSec = 0;
  if (!s.backlog) s.createBacklog();
  s.log("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.");
}

function transferHeader(s: Server, link: MasterLink, line: string): void {
  if (line.length === 0) return; // keep-alive
  if (line.startsWith("-")) {
    s.log(`MASTER aborted replication with an error: ${line.slice(1)}`, "warning");
    cancelReplicationHandshake(s, false);
    return;
  }
  if (!line.startsWith("$")) {
    s.log(
      `Bad protocol from MASTER, the first byte is not '$' (we received '${line}'), are you sure the host and port are right?`,
      "warning",
    );
    cancelReplicationHandshake(s, false);
    return;
  }
  if (line.startsWith("$EOF:") && line.length - 5 >= 40) {
    link.transfer = { eofMark: line.slice(5, 45), size: -1, chunks: [], read: 0 };
    s.log("MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk");
  } else {
    const size = Number(line.slice(1));
    link.transfer = { eofMark: null, size, chunks: [], read: 0 };
    s.log(`MASTER <-> REPLICA sync: receiving ${size} bytes from master to disk`);
  }
  link.phase = "transferBody";
}

function transferStep(s: Server, link: MasterLink): boolean {
  const t = link.transfer;
  if (!t) return false;
  if (t.eofMark === null) {
    const chunk = link.queue.take(t.size - t.read);
    t.chunks.push(chunk);
    t.read += chunk.length;
    if (t.read < t.size) return false;
    finishTransfer(s, link, joinChunks(t.chunks));
    return true;
  }
  const { bytes, found } = takeUntilEofMark(link.queue, t.eofMark);
  t.chunks.push(bytes);
  t.read += bytes.length;
  if (!found) return false;
  t.read += t.eofMark.length;
  finishTransfer(s, link, joinChunks(t.chunks));
  return true;
}

/**
 * The payload up to the `$EOF:` mark. Redis compares the last 40 bytes read
 * with the mark (`readSyncBulkPayload`); when the received bytes end with it,
 * so does this, without searching the megabytes before it.
 */
function takeUntilEofMark(queue: ByteQueue, mark: string): UntilMark {
  const available = queue.available;
  if (available >= mark.length && queue.peek(mark.length, available - mark.length) === mark) {
    const bytes = queue.take(available - mark.length);
    queue.skip(mark.length);
    return { bytes, found: true };
  }
  return queue.takeUntil(mark);
}

function joinChunks(chunks: readonly ByteString[]): ByteString {
  return chunks.length === 1 ? (chunks[0] as ByteString) : chunks.join("");
}

/** `readSyncBulkPayload` once the whole RDB arrived: flush, load, go online. */
function finishTransfer(s: Server, link: MasterLink, rdb: ByteString): void {
  const eofMode = link.transfer?.eofMark !== null;
  // `replicationAttachToNewMaster`.
  discardCachedMaster(s);
  disconnectReplicas(s);
  s.backlog = null;
  s.log("MASTER <-> REPLICA sync: Flushing old data");
  s.keyspace.flushAll();
  s.log("MASTER <-> REPLICA sync: Loading DB in memory");
  let loaded: RdbContents;
  try {
    loaded = readRdb(rdb);
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    s.log(`Failed trying to load the MASTER synchronization DB from disk: ${e.message}`, "warning");
    cancelReplicationHandshake(s, true);
    return;
  }
  // The flushed databases are simply replaced by the loaded ones.
  s.keyspace.adopt(loaded.keyspace);
  const streamDb = Number(loaded.aux.get("repl-stream-db") ?? "0");
  link.transfer = null;
  link.replOff = link.initialOffset;
  link.readReplOff = link.initialOffset;
  link.client = createMasterClient(s, link, Number.isInteger(streamDb) ? streamDb : 0);
  s.replId = link.masterReplId;
  s.masterReplOffset = link.initialOffset;
  s.clearReplicationId2();
  s.createBacklog();
  link.phase = "streaming";
  s.setReplState("connected");
  s.replDownSinceSec = 0;
  s.log("MASTER <-> REPLICA sync: Finished with success");
  // After an EOF-marked transfer the master waits for this ACK before streaming.
  if (eofMode) sendAck(s);
}

function createMasterClient(s: Server, link: MasterLink, db: number): Client {
  return {
    id: 1,
    key: null,
    conn: link.conn,
    peerIp: s.masterHost ?? "",
    peerPort: s.masterPort,
    db,
    multi: null,
    multiDirty: false,
    woff: 0,
    flag: "master",
    name: "",
    replconf: { listeningPort: 0, ip: null, capaEof: false, capaPsync2: false },
    parser: null,
    blocked: null,
    subscriptions: new Set(),
    replica: null,
    createdAt: s.now,
    lastInteractionUs: s.now,
    closing: false,
  };
}

/**
 * Applies the command stream: each whole command runs as the master client,
 * then its exact bytes are fed to this node's own backlog and sub-replicas
 * (`replicationFeedStreamFromMasterStream`), so a chain shares offsets.
 */
function streamBytes(s: Server, link: MasterLink, bytes: ByteString): void {
  const client = link.client;
  if (!client) return;
  link.readReplOff += bytes.length;
  // Index into the bytes rather than slicing off each applied command.
  link.unapplied =
    link.unappliedAt === link.unapplied.length
      ? bytes
      : link.unapplied.slice(link.unappliedAt) + bytes;
  link.unappliedAt = 0;
  link.parser.feed(bytes);
  for (;;) {
    const item = link.parser.next();
    if (item === undefined) break;
    if ("error" in item) {
      s.log(`Protocol error from MASTER: ${item.error}`, "warning");
      freeMasterClient(s, { reconnect: true });
      return;
    }
    link.parsedNotApplied += item.bytes;
    if (item.argv.length > 0) processCommand(s, client, item.argv);
    if (s.masterLink !== link) return; // the command changed the topology (e.g. a forwarded FAILOVER)
    // Inside MULTI the offset stays put: the whole transaction lands at EXEC.
    if (client.multi === null && link.parsedNotApplied > 0) {
      const from = link.unappliedAt;
      link.unappliedAt += link.parsedNotApplied;
      link.replOff += link.parsedNotApplied;
      link.parsedNotApplied = 0;
      s.appendStreamRange(link.unapplied, from, link.unappliedAt);
    }
  }
}

/** `replicationSendAck`: REPLCONF ACK <reploff>. */
export function sendAck(s: Server): void {
  const link = s.masterLink;
  if (!link?.client) return;
  s.send(link.conn, encodeCommand(["REPLCONF", "ACK", String(link.replOff)]), "ack");
}

/** The replica half of `replicationCron`. */
export function replicaCron(s: Server): void {
  const link = s.masterLink;
  const now = s.unixTimeSec();
  const timeout = s.configInt("repl-timeout");
  if (link && link.phase !== "streaming") {
    if (now - link.lastIoSec > timeout) {
      if (link.phase === "transferBody" || link.phase === "transferHeader") {
        s.log(
          "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.",
          "warning",
        );
      } else {
        s.log("Timeout connecting to the MASTER...", "warning");
      }
      cancelReplicationHandshake(s, true);
    }
  } else if (link?.client && now - link.lastIoSec > timeout) {
    s.log("MASTER timeout: no data nor PING received...", "warning");
    freeMasterClient(s, { reconnect: true });
  }
  if (s.masterHost && s.replState === "connect" && !s.masterLink) {
    s.log(`Connecting to MASTER ${s.masterHost}:${s.masterPort}`);
    connectWithMaster(s);
  }
  if (s.masterLink?.client) sendAck(s);
}

/** `CLIENT KILL TYPE master`: drop the link; it is cached and re-established at once. */
export function killMasterLink(s: Server): number {
  if (!s.masterLink?.client) return 0;
  freeMasterClient(s, { reconnect: true });
  return 1;
}
