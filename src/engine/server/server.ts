import type { Backlog } from "../backlog";
import { createBacklog } from "../backlog";
import type { ByteString } from "../bytes";
import type { Config } from "../config";
import { configBool, configInt, defaultConfig } from "../config";
import type {
  ClientKey,
  ConnId,
  Process,
  ProcessEvent,
  ProcessInput,
  ProcessOutput,
  ReplState,
  VirtualTime,
} from "../io";
import { Keyspace } from "../keyspace/db";
import { Random } from "../random";
import type { Reply } from "../reply";
import { encodeCommand, encodeReply } from "../resp/encode";
import { RequestParser } from "../resp/parser";
import type { Client } from "./client";
import { processCommand } from "./dispatch";
import type { CommandCall } from "./dispatch";
import type { MasterLink, CachedMaster } from "./replicaSide";
import {
  masterLinkBytes,
  masterLinkClosed,
  masterLinkConnected,
  masterLinkConnectFailed,
  replicaCron,
} from "./replicaSide";
import {
  checkOutputBufferLimits,
  freeReplica,
  masterCron,
  rdbSent,
  snapshotRdb,
} from "./masterSide";
import { readRdb } from "../rdb/reader";
import { RdbError } from "../rdb/rdbError";
import { handleBlockedTimeouts } from "./wait";
import type { FailoverState } from "./failover";
import { isPostponed, newFailoverState, resumePostponed, updateFailoverStatus } from "./failover";
import { activeExpireCycle } from "./expiry";

/** Everything a server process is created with. */
export interface ServerOptions {
  /** Node name; also its host name. */
  readonly name: string;
  readonly ip: string;
  readonly port: number;
  /** How many times this node was restarted; part of connection ids. */
  readonly incarnation: number;
  readonly seed: number | string;
  readonly startTime: VirtualTime;
  /** Unix ms at virtual time 0. */
  readonly epochMs: number;
  readonly version: "7.0" | "6.2";
  readonly config?: ReadonlyMap<string, string>;
  /** Started as `redis-server --replicaof HOST PORT`: no cached master. */
  readonly replicaOf?: { readonly host: string; readonly port: number };
}

/** `server.stat_*` counters that INFO prints. */
export interface ServerStats {
  syncFull: number;
  syncPartialOk: number;
  syncPartialErr: number;
  expiredKeys: number;
  totalConnectionsReceived: number;
  totalCommandsProcessed: number;
  netReplInputBytes: number;
  netReplOutputBytes: number;
  netInputBytes: number;
  netOutputBytes: number;
  totalErrorReplies: number;
  rejectedConnections: number;
}

/** The 100 ms serverCron beat (hz 10). */
export const CRON_PERIOD_US = 100_000;

/**
 * One redis-server process as a state machine. `handle` applies one input at
 * one virtual instant and returns what the host must do; nothing here reads a
 * clock, draws randomness from outside or performs I/O.
 */
export class Server implements Process {
  readonly name: string;
  readonly ip: string;
  readonly port: number;
  readonly version: "7.0" | "6.2";
  readonly runId: string;
  readonly random: Random;
  /** The parameters as set; change them with `setConfig`, which the cached reads follow. */
  private readonly configMap: Map<string, string>;
  /** Parsed values of `configInt` / `configBool`, read on every command. */
  private readonly configInts = new Map<string, number>();
  private readonly configBools = new Map<string, boolean>();
  readonly keyspace = new Keyspace();
  /** What data commands see of the server during a call: one, reset for each call (see `call`). */
  commandCall: CommandCall | null = null;
  readonly stats: ServerStats = {
    syncFull: 0,
    syncPartialOk: 0,
    syncPartialErr: 0,
    expiredKeys: 0,
    totalConnectionsReceived: 0,
    totalCommandsProcessed: 0,
    netReplInputBytes: 0,
    netReplOutputBytes: 0,
    netInputBytes: 0,
    netOutputBytes: 0,
    totalErrorReplies: 0,
    rejectedConnections: 0,
  };
  readonly startTime: VirtualTime;
  readonly epochMs: number;
  private readonly incarnation: number;

  // Replication state, named as in `struct redisServer`.
  replId: string;
  replId2 = "0".repeat(40);
  secondReplOffset = -1;
  masterReplOffset = 0;
  backlog: Backlog | null = null;
  /** DB last emitted with SELECT in the stream; -1 forces one. */
  slaveSelDb = -1;
  /** Non-null when this server is a replica. */
  masterHost: string | null = null;
  masterPort = 0;
  replState: ReplState = "none";
  masterLink: MasterLink | null = null;
  cachedMaster: CachedMaster | null = null;
  /** `repl_down_since`, unix seconds; 0 when the link is up or was never used. */
  replDownSinceSec = 0;
  /** `repl_no_slaves_since`, unix seconds. */
  replNoSlavesSinceSec: number;
  /** Replicas in `server.slaves` order. */
  readonly replicas: Client[] = [];
  /** A snapshot (fork) is in progress for these replicas. */
  rdbChildActive = false;
  goodReplicas = 0;
  /** A client blocked in WAIT ran in this event-loop turn: send GETACK before sleeping. */
  getAckFromReplicas = false;
  /** A coordinated failover (`FAILOVER`) and the write pause it holds. */
  readonly failover: FailoverState = newFailoverState();

  readonly clients = new Map<number, Client>();
  readonly clientsByConn = new Map<ConnId, Client>();
  readonly clientsByKey = new Map<ClientKey, Client>();
  private nextClientId = 2;
  private nextConnSeq = 1;

  cronLoops = 0;
  replicationCronLoops = 0;
  now: VirtualTime;
  private out: ProcessOutput[] = [];
  private stalledUntil: VirtualTime = 0;
  /** The last wake-up time asked of the host. */
  private requestedWake: VirtualTime = -1;

  constructor(options: ServerOptions) {
    this.name = options.name;
    this.ip = options.ip;
    this.port = options.port;
    this.version = options.version;
    this.incarnation = options.incarnation;
    this.startTime = options.startTime;
    this.now = options.startTime;
    this.epochMs = options.epochMs;
    this.random = new Random(options.seed);
    this.runId = this.random.hex(40);
    this.replId = this.random.hex(40);
    this.configMap = defaultConfig(options.version);
    for (const [k, v] of options.config ?? []) this.configMap.set(k, v);
    this.replNoSlavesSinceSec = this.unixTimeSec();
    if (options.replicaOf) {
      // As `replicaof` in redis.conf: a replica from the start, with no cached master.
      this.masterHost = options.replicaOf.host;
      this.masterPort = options.replicaOf.port;
      this.replState = "connect";
    }
  }

  /** Applies one input at virtual time `now` and returns the outputs. */
  handle(now: VirtualTime, input: ProcessInput): ProcessOutput[] {
    this.now = Math.max(this.now, now);
    // Outputs left from outside a call are dropped; the previous call left a fresh array.
    if (this.out.length > 0) this.out = [];
    switch (input.kind) {
      case "timerFired":
        this.serverCron();
        break;
      case "accepted":
        this.accept(input.conn, input.peerIp, input.peerPort);
        break;
      case "connected":
        if (this.masterLink?.conn === input.conn) masterLinkConnected(this);
        break;
      case "connectFailed":
        if (this.masterLink?.conn === input.conn) masterLinkConnectFailed(this);
        break;
      case "bytesReceived":
        this.bytesReceived(input.conn, input.bytes);
        break;
      case "connectionClosed":
        this.connectionClosed(input.conn);
        break;
      case "sent":
        rdbSent(this, input.conn);
        break;
      case "clientCommand":
        this.localCommand(input.client, input.argv);
        break;
      case "loadRdb":
        this.loadRdb(input.bytes);
        break;
    }
    this.beforeSleep();
    const out = this.out;
    // Ask for a wake-up only when it moves: the host keeps the last one asked for.
    const wake = this.nextCronTime();
    if (wake !== this.requestedWake) {
      this.requestedWake = wake;
      out.push({ kind: "timer", at: wake });
    }
    this.out = [];
    return out;
  }

  /** Unix time in ms as the process sees it. */
  unixTimeMs(): number {
    return this.epochMs + Math.floor(this.now / 1000);
  }

  /** `server.unixtime`: whole seconds. */
  unixTimeSec(): number {
    return Math.floor(this.unixTimeMs() / 1000);
  }

  get isReplica(): boolean {
    return this.masterHost !== null;
  }

  get config(): Config {
    return this.configMap;
  }

  /** Sets a parameter (no side effects: see `applyConfig`). */
  setConfig(name: string, value: string): void {
    this.configMap.set(name, value);
    this.configInts.clear();
    this.configBools.clear();
  }

  configInt(name: string): number {
    let value = this.configInts.get(name);
    if (value === undefined) {
      value = configInt(this.configMap, name);
      this.configInts.set(name, value);
    }
    return value;
  }

  configBool(name: string): boolean {
    let value = this.configBools.get(name);
    if (value === undefined) {
      value = configBool(this.configMap, name);
      this.configBools.set(name, value);
    }
    return value;
  }

  // ---- outputs -----------------------------------------------------------

  send(conn: ConnId, bytes: ByteString, label?: string, notifySent = false): void {
    if (bytes.length === 0) return;
    this.stats.netOutputBytes += bytes.length;
    // Built without spreads: this runs for every write to every replica.
    const out: Extract<ProcessOutput, { kind: "send" }> =
      label === undefined ? { kind: "send", conn, bytes } : { kind: "send", conn, bytes, label };
    this.out.push(notifySent ? { ...out, notifySent } : out);
  }

  openConnection(host: string, port: number): ConnId {
    const conn = `${this.name}.${this.incarnation}.${this.nextConnSeq++}`;
    this.out.push({ kind: "connect", conn, host, port });
    return conn;
  }

  closeConnection(conn: ConnId): void {
    this.out.push({ kind: "close", conn });
  }

  /** The dataset as a `dump.rdb` file (what SAVE would write now). Changes nothing. */
  dumpRdb(): ByteString {
    return snapshotRdb(this);
  }

  /**
   * Input `loadRdb`: like `DEBUG RELOAD` from the given file, flush every
   * database and load its keys; replication ids and offsets stay. A file that
   * does not parse changes nothing and is reported in the log.
   */
  private loadRdb(bytes: ByteString): void {
    let loaded;
    try {
      loaded = readRdb(bytes);
    } catch (e) {
      if (!(e instanceof RdbError)) throw e;
      this.log(`Error loading the RDB: ${e.message}`, "warning");
      return;
    }
    this.keyspace.flushAll();
    this.keyspace.adopt(loaded.keyspace);
    this.log(`DB loaded from dump.rdb: ${this.keyspace.totalKeys()} keys`);
  }

  emit(event: ProcessEvent): void {
    this.out.push({ kind: "event", event });
  }

  log(text: string, level: "notice" | "warning" | "verbose" = "notice"): void {
    this.emit({ type: "log", level, text });
  }

  stall(untilUs: VirtualTime): void {
    this.stalledUntil = Math.max(this.stalledUntil, untilUs);
    this.out.push({ kind: "stall", until: untilUs });
  }

  /** Sends a reply to a client, over its connection or to its local console. */
  reply(client: Client, reply: Reply): void {
    if (reply.type === "error") this.stats.totalErrorReplies++;
    // Replicas and masters never get replies (`prepareClientToWrite`).
    if (client.flag !== "normal") return;
    if (client.key !== null) {
      this.out.push({ kind: "reply", client: client.key, reply });
    } else if (client.conn !== null) {
      this.send(client.conn, encodeReply(reply));
    }
  }

  // ---- clients -----------------------------------------------------------

  private createClient(
    key: ClientKey | null,
    conn: ConnId | null,
    peerIp: string,
    peerPort: number,
  ): Client {
    const client: Client = {
      id: this.nextClientId++,
      key,
      conn,
      peerIp,
      peerPort,
      db: 0,
      multi: null,
      multiDirty: false,
      woff: 0,
      flag: "normal",
      name: "",
      replconf: { listeningPort: 0, ip: null, capaEof: false, capaPsync2: false },
      parser: conn === null ? null : new RequestParser(),
      blocked: null,
      subscriptions: new Set(),
      replica: null,
      createdAt: this.now,
      lastInteractionUs: this.now,
      closing: false,
    };
    this.clients.set(client.id, client);
    if (conn !== null) this.clientsByConn.set(conn, client);
    if (key !== null) this.clientsByKey.set(key, client);
    return client;
  }

  private accept(conn: ConnId, peerIp: string, peerPort: number): void {
    this.stats.totalConnectionsReceived++;
    this.createClient(null, conn, peerIp, peerPort);
  }

  /** Closes a client the way `freeClient` does. */
  freeClient(client: Client, notifyPeer = true): void {
    if (!this.clients.has(client.id)) return;
    this.clients.delete(client.id);
    if (client.conn !== null) {
      this.clientsByConn.delete(client.conn);
      if (notifyPeer) this.closeConnection(client.conn);
    }
    if (client.key !== null) this.clientsByKey.delete(client.key);
    if (client.flag === "replica") freeReplica(this, client);
  }

  private localCommand(key: ClientKey, argv: readonly ByteString[]): void {
    const client = this.clientsByKey.get(key) ?? this.createClient(key, null, "127.0.0.1", 0);
    client.lastInteractionUs = this.now;
    processCommand(this, client, argv);
  }

  private bytesReceived(conn: ConnId, bytes: ByteString): void {
    this.stats.netInputBytes += bytes.length;
    if (this.masterLink?.conn === conn) {
      masterLinkBytes(this, bytes);
      return;
    }
    const client = this.clientsByConn.get(conn);
    if (!client?.parser) return;
    client.lastInteractionUs = this.now;
    client.parser.feed(bytes);
    this.processInputBuffer(client);
  }

  /** Runs the whole commands a network client sent, until it blocks or closes. */
  private processInputBuffer(client: Client): void {
    const parser = client.parser;
    if (!parser) return;
    for (;;) {
      if (client.closing || client.blocked || !this.clients.has(client.id)) break;
      if (isPostponed(this, client)) break;
      const item = parser.next();
      if (item === undefined) break;
      if ("error" in item) {
        // Redis answers the protocol error, then closes the connection after writing it.
        this.log(
          `Protocol error (${item.reason}) from client: ${client.peerIp}:${client.peerPort}`,
          "verbose",
        );
        this.reply(client, { type: "error", value: `ERR ${item.error}` });
        this.freeClient(client);
        break;
      }
      processCommand(this, client, item.argv);
    }
  }

  /** A blocked client was answered: carry on with what it pipelined meanwhile. */
  resumeClient(client: Client): void {
    this.processInputBuffer(client);
  }

  private connectionClosed(conn: ConnId): void {
    if (this.masterLink?.conn === conn) {
      masterLinkClosed(this);
      return;
    }
    const client = this.clientsByConn.get(conn);
    if (!client) return;
    this.freeClient(client, false);
  }

  // ---- replication stream ------------------------------------------------

  /** Creates the backlog (`createReplicationBacklog`): first byte at offset + 1. */
  createBacklog(): void {
    this.backlog = createBacklog(
      this.version,
      this.configInt("repl-backlog-size"),
      this.masterReplOffset,
    );
  }

  /**
   * `changeReplicationId`. No replica can continue the old history with
   * PSYNC, but the dataset is kept: the event says which history it carries
   * on (for the ledger of acknowledged writes).
   */
  changeReplicationId(): void {
    const lineage = { replId: this.replId, offset: this.masterReplOffset };
    this.replId = this.random.hex(40);
    this.emitReplIds(lineage);
  }

  /** `clearReplicationId2`. */
  clearReplicationId2(): void {
    this.replId2 = "0".repeat(40);
    this.secondReplOffset = -1;
    this.emitReplIds();
  }

  /** `shiftReplicationId`: keep the old history reachable through replid2. */
  shiftReplicationId(): void {
    this.replId2 = this.replId;
    this.secondReplOffset = this.masterReplOffset + 1;
    this.replId = this.random.hex(40);
    this.log(
      `Setting secondary replication ID to ${this.replId2}, valid up to offset: ${this.secondReplOffset}. New replication ID is ${this.replId}`,
    );
    this.emitReplIds();
  }

  emitReplIds(lineage?: { readonly replId: string; readonly offset: number }): void {
    this.emit({
      type: "replId",
      replId: this.replId,
      replId2: this.replId2,
      secondReplOffset: this.secondReplOffset,
      ...(lineage ? { lineage } : {}),
    });
  }

  /**
   * Appends bytes to the replication stream: the offset, the backlog and every
   * attached replica (`feedReplicationBuffer`).
   */
  appendToStream(bytes: ByteString): void {
    this.appendStreamRange(bytes, 0, bytes.length);
  }

  /** `appendToStream(buf.slice(from, to))`, slicing only if a replica needs the bytes. */
  appendStreamRange(buf: ByteString, from: number, to: number): void {
    if (to <= from) return;
    this.masterReplOffset += to - from;
    this.backlog?.feedRange(buf, from, to);
    if (this.replicas.length === 0) return;
    const bytes = from === 0 && to === buf.length ? buf : buf.slice(from, to);
    let overLimit: Client[] | null = null;
    for (const replica of this.replicas) {
      const info = replica.replica;
      if (!info || info.state === "waitBgsaveStart") continue;
      const streaming = info.state === "online" && !info.startStreamOnAck;
      if (streaming && info.pending.length === 0) {
        this.stats.netReplOutputBytes += bytes.length;
        if (replica.conn !== null) this.send(replica.conn, bytes, "stream");
      } else {
        if (info.pending.length === 0) {
          info.pendingFromOffset = this.masterReplOffset - bytes.length + 1;
          this.backlog?.reference(replica, info.pendingFromOffset);
        }
        info.pending.push(bytes);
        info.pendingBytes += bytes.length;
        (overLimit ??= []).push(replica);
      }
    }
    // Checked after the loop: dropping a replica changes the list being walked.
    for (const replica of overLimit ?? []) checkOutputBufferLimits(this, replica);
  }

  /**
   * Propagates one execution unit's commands (`propagatePendingCommands`):
   * wrapped in MULTI/EXEC when there is more than one.
   */
  propagate(
    ops: readonly { readonly dbid: number; readonly argv: readonly ByteString[] }[],
    wrap: boolean,
  ): void {
    if (ops.length === 0) return;
    if (this.isReplica) return; // replicas only proxy their master's stream
    if (!this.backlog && this.replicas.length === 0) return; // 7.0: nothing to feed
    const transaction = wrap && ops.length > 1;
    let bytes = "";
    if (transaction) bytes += encodeCommand(["MULTI"]);
    for (const op of ops) {
      if (op.dbid !== -1 && op.dbid !== this.slaveSelDb) {
        bytes += encodeCommand(["SELECT", String(op.dbid)]);
        this.slaveSelDb = op.dbid;
      }
      bytes += encodeCommand(op.argv);
    }
    if (transaction) bytes += encodeCommand(["EXEC"]);
    this.appendToStream(bytes);
  }

  // ---- cron --------------------------------------------------------------

  private nextCronTime(): VirtualTime {
    // The first serverCron runs 1 ms after start, then every 100 ms (hz 10).
    const first = this.startTime + 1000;
    if (this.now < first) return Math.max(first, this.stalledUntil);
    const k = Math.floor((this.now - first) / CRON_PERIOD_US) + 1;
    return Math.max(first + k * CRON_PERIOD_US, this.stalledUntil);
  }

  private serverCron(): void {
    // replicationCron runs once a second, or every 100 ms while failing over
    // so the handover goes faster: `run_with_period(1000)` / `(100)`.
    if (this.cronLoops % 10 === 0 || this.failover.state !== "no-failover") this.replicationCron();
    if (!this.isReplica) activeExpireCycle(this);
    this.cronLoops++;
  }

  private replicationCron(): void {
    updateFailoverStatus(this);
    replicaCron(this);
    masterCron(this);
    this.replicationCronLoops++;
  }

  /**
   * `beforeSleep`: WAIT timeouts, the GETACK for newly blocked WAITs (not
   * while writes are paused: it would move the offset), the failover check
   * with the ACKs just read, and the commands a pause that ended held back.
   */
  private beforeSleep(): void {
    handleBlockedTimeouts(this);
    if (this.getAckFromReplicas && !this.isReplica && !this.failover.writesPaused) {
      this.propagate([{ dbid: -1, argv: ["REPLCONF", "GETACK", "*"] }], false);
      this.getAckFromReplicas = false;
    }
    updateFailoverStatus(this);
    resumePostponed(this, processCommand);
  }

  setReplState(state: ReplState): void {
    if (this.replState === state) return;
    this.replState = state;
    this.emit({ type: "replState", state });
  }
}
