import type { ByteString } from "../bytes";
import type {
  ClientKey,
  ConnId,
  Process,
  ProcessEvent,
  ProcessInput,
  ProcessOutput,
  VirtualTime,
} from "../io";
import { Random } from "../random";
import type { Reply } from "../reply";
import { array, bulk } from "../reply";
import { stringMatchLen } from "../commands/globPattern";
import { encodeCommand, encodeReply } from "../resp/encode";
import { RequestParser } from "../resp/parser";
import type { ReplyCallback } from "./asyncConn";
import { AsyncConn, discardReply } from "./asyncConn";
import type { SentinelClient } from "./commands";
import { processSentinelCommand } from "./commands";
import {
  askMasterStateToOtherSentinels,
  checkObjectivelyDown,
  checkSubjectivelyDown,
  failoverStateMachine,
  startFailoverIfNeeded,
  switchToPromotedSlave,
} from "./failover";
import { receiveHello, sendHello } from "./hello";
import type { InstanceKind, InstanceLink, SentinelAddr } from "./instance";
import {
  DEFAULT_DOWN_AFTER_MS,
  DEFAULT_FAILOVER_TIMEOUT_MS,
  DEFAULT_PARALLEL_SYNCS,
  HELLO_CHANNEL,
  INFO_PERIOD_MS,
  Instance,
  MAX_PENDING_COMMANDS,
  PING_PERIOD_MS,
  PUBLISH_PERIOD_MS,
  SENTINEL_PORT,
  TILT_PERIOD_MS,
  TILT_TRIGGER_MS,
  addrName,
  addrOrHostnameEqual,
} from "./instance";
import { infoReplyCallback, pingReplyCallback } from "./refresh";

/** The Sentinel settings a scenario can give (`config sentinel-…`). */
export interface SentinelConfig {
  /** `down-after-milliseconds`, default 30000. */
  readonly downAfterMs?: number;
  /** `failover-timeout`, default 180000. */
  readonly failoverTimeoutMs?: number;
  /** `parallel-syncs`, default 1. */
  readonly parallelSyncs?: number;
}

/** `sentinel monitor <group> <host> <port> <quorum>`. */
export interface SentinelMonitor {
  readonly group: string;
  /** An IP address, or a host name the resolver knows. */
  readonly masterHost: string;
  /** Default 6379. */
  readonly masterPort?: number;
  readonly quorum: number;
}

/** Everything a Sentinel process is created with. */
export interface SentinelOptions {
  readonly name: string;
  readonly ip: string;
  /** Default 26379. */
  readonly port?: number;
  readonly incarnation: number;
  readonly seed: number | string;
  readonly startTime: VirtualTime;
  /** Unix ms at virtual time 0. */
  readonly epochMs: number;
  readonly config?: SentinelConfig;
  readonly monitors: readonly SentinelMonitor[];
  /**
   * Resolves a host name to an IP address, as `sentinel resolve-hostnames
   * yes` does with DNS. Without it only IP addresses are accepted, as with
   * Redis's default (`resolve-hostnames no`): a replica that reports its
   * master by host name then looks misconfigured.
   */
  readonly resolveHost?: (host: string) => string | undefined;
}

export type LogLevel = "debug" | "verbose" | "notice" | "warning";

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** `CONFIG_DEFAULT_HZ`. */
const DEFAULT_HZ = 10;

/**
 * One redis-sentinel process as a state machine, shaped like `Server`:
 * `handle` applies one input at one virtual instant and returns what the host
 * must do. It speaks RESP over connections it opens to the servers it watches
 * and to the other Sentinels, answers its own clients, and draws every random
 * number from its own seeded stream.
 */
export class Sentinel implements Process {
  readonly name: string;
  readonly ip: string;
  readonly port: number;
  readonly startTime: VirtualTime;
  readonly epochMs: number;
  readonly random: Random;
  /** `server.runid`, shown by INFO. */
  readonly runId: string;
  /** `sentinel.myid`: the id other Sentinels know this one by. */
  readonly myId: string;
  currentEpoch = 0;
  /** Monitored masters by group name, in configuration order. */
  readonly masters = new Map<string, Instance>();
  tilt = false;
  tiltStartTimeMs = 0;
  previousTimeMs: number;
  /** `server.hz`: redrawn after every timer run so Sentinels drift apart. */
  hz = DEFAULT_HZ;
  now: VirtualTime;

  private readonly incarnation: number;
  private readonly resolver: ((host: string) => string | undefined) | undefined;
  private nextConnSeq = 1;
  private readonly asyncConns = new Map<ConnId, AsyncConn>();
  readonly clients = new Map<number, SentinelClient>();
  private readonly clientsByConn = new Map<ConnId, SentinelClient>();
  private readonly clientsByKey = new Map<ClientKey, SentinelClient>();
  private nextClientId = 1;
  totalConnectionsReceived = 0;
  totalCommandsProcessed = 0;
  private out: ProcessOutput[] = [];
  private nextCronAt: VirtualTime;
  private requestedWake: VirtualTime = -1;

  constructor(options: SentinelOptions) {
    this.name = options.name;
    this.ip = options.ip;
    this.port = options.port ?? SENTINEL_PORT;
    this.incarnation = options.incarnation;
    this.startTime = options.startTime;
    this.now = options.startTime;
    this.epochMs = options.epochMs;
    this.resolver = options.resolveHost;
    this.random = new Random(options.seed);
    this.runId = this.random.hex(40);
    this.myId = this.random.hex(40);
    this.previousTimeMs = this.ms();
    // The first serverCron runs 1 ms after start.
    this.nextCronAt = this.startTime + 1000;

    const config = options.config ?? {};
    for (const monitor of options.monitors) {
      if (monitor.quorum <= 0) throw new Error("Quorum must be 1 or greater.");
      const master = this.createInstance(
        monitor.group,
        "master",
        monitor.masterHost,
        monitor.masterPort ?? 6379,
        monitor.quorum,
        null,
      );
      if (!master) throw new Error(`Can't resolve instance hostname '${monitor.masterHost}'.`);
      master.downAfterMs = config.downAfterMs ?? DEFAULT_DOWN_AFTER_MS;
      master.failoverTimeoutMs = config.failoverTimeoutMs ?? DEFAULT_FAILOVER_TIMEOUT_MS;
      master.parallelSyncs = config.parallelSyncs ?? DEFAULT_PARALLEL_SYNCS;
    }
    // `sentinelIsRunning`: these go out with the first outputs.
    this.log(`Sentinel ID is ${this.myId}`, "warning");
    for (const master of this.masters.values()) {
      this.event("warning", "+monitor", master, ` quorum ${master.quorum}`);
    }
  }

  /** Applies one input at virtual time `now` and returns the outputs. */
  handle(now: VirtualTime, input: ProcessInput): ProcessOutput[] {
    this.now = Math.max(this.now, now);
    switch (input.kind) {
      case "timerFired":
        if (this.now >= this.nextCronAt) {
          this.sentinelTimer();
          this.nextCronAt = this.now + Math.floor(1000 / this.hz) * 1000;
        }
        break;
      case "connected":
        this.asyncConnected(input.conn);
        break;
      case "connectFailed":
        this.asyncDisconnected(input.conn);
        break;
      case "bytesReceived":
        if (this.asyncConns.has(input.conn)) this.asyncBytes(input.conn, input.bytes);
        else this.clientBytes(input.conn, input.bytes);
        break;
      case "connectionClosed":
        if (this.asyncConns.has(input.conn)) this.asyncDisconnected(input.conn);
        else this.clientClosed(input.conn);
        break;
      case "accepted":
        this.totalConnectionsReceived++;
        this.createClient(null, input.conn, input.peerIp, input.peerPort);
        break;
      case "clientCommand": {
        const client =
          this.clientsByKey.get(input.client) ??
          this.createClient(input.client, null, "127.0.0.1", 0);
        client.lastInteractionUs = this.now;
        processSentinelCommand(this, client, input.argv);
        break;
      }
    }
    const out = this.out;
    if (this.nextCronAt !== this.requestedWake) {
      this.requestedWake = this.nextCronAt;
      out.push({ kind: "timer", at: this.nextCronAt });
    }
    this.out = [];
    return out;
  }

  /** `mstime()`: Unix time in ms as the process sees it. */
  ms(): number {
    return this.epochMs + Math.floor(this.now / 1000);
  }

  // ---- outputs -----------------------------------------------------------

  send(conn: ConnId, bytes: ByteString): void {
    if (bytes.length > 0) this.out.push({ kind: "send", conn, bytes });
  }

  emit(event: ProcessEvent): void {
    this.out.push({ kind: "event", event });
  }

  log(text: string, level: "notice" | "warning" | "verbose" = "notice"): void {
    this.emit({ type: "log", level, text });
  }

  /**
   * `sentinelEvent`: logs `<type> <message>` and publishes the message on the
   * channel named `type`. With an instance, the message starts with
   * `<kind> <name> <ip> <port>` and, for a replica or Sentinel,
   * `@ <master> <ip> <port>`; `rest` follows as it is.
   */
  event(level: LogLevel, type: string, ri: Instance | null, rest = ""): void {
    let msg = "";
    if (ri) {
      msg = `${ri.kind} ${ri.name} ${ri.addr.ip} ${ri.addr.port}`;
      if (ri.master) {
        const m = ri.master;
        msg += ` @ ${m.name} ${m.addr.ip} ${m.addr.port}`;
      }
    }
    msg += rest;
    // Debug events are neither logged at the default verbosity nor published.
    if (level === "debug") return;
    this.log(`${type} ${msg}`, level);
    this.emit({
      type: "sentinel",
      event: type,
      payload: msg,
      level,
      group: ri?.group.name ?? null,
    });
    this.publish(type, msg);
  }

  /** `pubsubPublishMessage` to this Sentinel's own subscribers. */
  publish(channel: string, message: string): number {
    let receivers = 0;
    for (const c of this.clients.values()) {
      if (c.channels.has(channel)) {
        receivers++;
        this.reply(c, array([bulk("message"), bulk(channel), bulk(message)]));
      }
    }
    for (const c of this.clients.values()) {
      for (const pattern of c.patterns) {
        if (!stringMatchLen(pattern, channel)) continue;
        receivers++;
        this.reply(c, array([bulk("pmessage"), bulk(pattern), bulk(channel), bulk(message)]));
      }
    }
    return receivers;
  }

  // ---- addresses and instances ---------------------------------------------

  /**
   * `anetResolve`: an IP address as it is, a host name through the resolver
   * (when there is one), else nothing.
   */
  resolve(host: string): string | undefined {
    if (IPV4.test(host) || host.includes(":")) return host;
    return this.resolver?.(host);
  }

  /** `createSentinelAddr`; null when the host cannot be resolved or the port is invalid. */
  createAddr(hostname: string, port: number, acceptUnresolved: boolean): SentinelAddr | null {
    if (port < 0 || port > 65535) return null;
    const ip = this.resolve(hostname);
    if (ip === undefined) {
      this.log(`Failed to resolve hostname '${hostname}'`, "warning");
      if (this.resolver && acceptUnresolved) return { hostname, ip: "", port };
      return null;
    }
    return { hostname, ip, port };
  }

  /** `sentinelAddrEqualsHostname`: does `hostname` resolve to the address's IP? */
  addrEqualsHostname(addr: SentinelAddr, hostname: string): boolean {
    const ip = this.resolve(hostname);
    return ip !== undefined && ip.toLowerCase() === addr.ip.toLowerCase();
  }

  /**
   * `createSentinelRedisInstance`: a master (added to `masters`), or a
   * replica or Sentinel of `master`. Null if the address does not resolve or
   * an entry of that name exists.
   */
  createInstance(
    name: string | null,
    kind: InstanceKind,
    hostname: string,
    port: number,
    quorum: number,
    master: Instance | null,
  ): Instance | null {
    const addr = this.createAddr(hostname, port, true);
    if (!addr) return null;
    const instanceName = kind === "slave" ? addrName(addr) : (name ?? "");
    const table =
      kind === "master" ? this.masters : kind === "slave" ? master?.slaves : master?.sentinels;
    if (!table || table.has(instanceName)) return null;
    const ri = new Instance(kind, instanceName, addr, quorum, master, this.ms());
    table.set(instanceName, ri);
    return ri;
  }

  /** `sentinelRedisInstanceLookupSlave`. */
  lookupSlave(master: Instance, host: string, port: number): Instance | undefined {
    const addr = this.createAddr(host, port, false);
    if (!addr) return undefined;
    return master.slaves.get(addrName(addr));
  }

  /**
   * `getSentinelRedisInstanceByAddrAndRunID`: the first instance matching the
   * given address and run id (either may be omitted).
   */
  findByAddrAndRunId(
    instances: ReadonlyMap<string, Instance>,
    host: string | null,
    port: number,
    runId: string | null,
  ): Instance | undefined {
    let addr: SentinelAddr | null = null;
    if (host !== null) {
      addr = this.createAddr(host, port, true);
      if (!addr) return undefined;
    }
    for (const ri of instances.values()) {
      if (runId !== null && ri.runId === null) continue;
      if (
        (runId === null || ri.runId === runId) &&
        (addr === null || addrOrHostnameEqual(ri.addr, addr))
      ) {
        return ri;
      }
    }
    return undefined;
  }

  // ---- the hiredis side: connections this Sentinel opens -------------------

  /** `redisAsyncConnectBind`: the connection exists at once; commands wait until it is up. */
  private asyncConnect(ip: string, port: number, link: InstanceLink): AsyncConn {
    const conn = `${this.name}.${this.incarnation}.${this.nextConnSeq++}`;
    const c = new AsyncConn(conn, link);
    this.asyncConns.set(conn, c);
    this.out.push({ kind: "connect", conn, host: ip, port });
    return c;
  }

  /**
   * `redisAsyncCommand`: queues `argv` on `c`; `fn` gets the reply. With
   * `subscribe`, `fn` also gets every message pushed on the connection.
   */
  asyncCommand(
    c: AsyncConn,
    argv: readonly ByteString[],
    owner: Instance | null,
    fn: ReplyCallback,
    subscribe = false,
  ): void {
    const bytes = encodeCommand(argv);
    if (c.connected) this.send(c.id, bytes);
    else c.outbox.push(bytes);
    if (subscribe) c.subscriber = { owner, fn };
    else c.callbacks.push({ owner, fn });
  }

  private asyncConnected(conn: ConnId): void {
    const c = this.asyncConns.get(conn);
    if (!c || c.connected) return;
    c.connected = true;
    this.send(conn, c.outbox.join(""));
    c.outbox = [];
  }

  private asyncBytes(conn: ConnId, bytes: ByteString): void {
    const c = this.asyncConns.get(conn);
    if (!c) return;
    c.parser.feed(bytes);
    for (;;) {
      // A callback may have dropped the connection.
      if (this.asyncConns.get(conn) !== c) return;
      const item = c.parser.next();
      if (item === undefined) return;
      if ("error" in item) {
        // hiredis drops a connection whose stream it cannot parse.
        this.out.push({ kind: "close", conn });
        this.asyncDisconnected(conn);
        return;
      }
      c.takeCallback(item.reply)?.fn(c, item.reply);
    }
  }

  /** The connection failed or the peer closed it: pending callbacks get null (`sentinelDisconnectCallback`). */
  private asyncDisconnected(conn: ConnId): void {
    const c = this.asyncConns.get(conn);
    if (!c) return;
    this.asyncConns.delete(conn);
    const link = c.data;
    if (link) {
      if (link.pc === c) link.pc = null;
      else if (link.cc === c) link.cc = null;
      link.disconnected = true;
    }
    for (const cb of c.drain()) cb.fn(c, null);
  }

  /** `instanceLinkCloseConnection`: this Sentinel drops one connection of a link. */
  closeLinkConnection(link: InstanceLink, c: AsyncConn | null): void {
    if (!c) return;
    if (link.cc === c) {
      link.cc = null;
      link.pendingCommands = 0;
    }
    if (link.pc === c) link.pc = null;
    c.data = null;
    link.disconnected = true;
    if (this.asyncConns.delete(c.id)) this.out.push({ kind: "close", conn: c.id });
    for (const cb of c.drain()) cb.fn(c, null);
  }

  /**
   * `releaseInstanceLink`: one owner fewer; the last one closes the
   * connections. Callbacks still queued for `ri` on a shared link are
   * turned into discards.
   */
  releaseInstanceLink(link: InstanceLink, ri: Instance | null): void {
    link.refcount--;
    if (link.refcount > 0) {
      if (ri && link.cc) {
        for (const cb of link.cc.callbacks) if (cb.owner === ri) cb.fn = discardReply;
      }
      return;
    }
    this.closeLinkConnection(link, link.cc);
    this.closeLinkConnection(link, link.pc);
  }

  /**
   * `sentinelTryConnectionSharing`: another master's entry for the same
   * Sentinel already has a link; use it.
   */
  tryConnectionSharing(ri: Instance): boolean {
    if (ri.runId === null || ri.link.refcount > 1) return false;
    for (const master of this.masters.values()) {
      if (master === ri.master) continue;
      const match = this.findByAddrAndRunId(master.sentinels, null, 0, ri.runId);
      if (!match || match === ri) continue;
      this.releaseInstanceLink(ri.link, null);
      ri.link = match.link;
      match.link.refcount++;
      return true;
    }
    return false;
  }

  // ---- the timer -----------------------------------------------------------

  /** `sentinelTimer`, run from every serverCron. */
  private sentinelTimer(): void {
    this.checkTiltCondition();
    this.handleDictOfRedisInstances(this.masters);
    // Change the timer frequency so Sentinels started together do not stay in step.
    this.hz = DEFAULT_HZ + this.random.int(DEFAULT_HZ);
  }

  /** `sentinelCheckTiltCondition`: a timer that ran late (a stalled process) makes everything look down. */
  private checkTiltCondition(): void {
    const now = this.ms();
    const delta = now - this.previousTimeMs;
    if (delta < 0 || delta > TILT_TRIGGER_MS) {
      this.tilt = true;
      this.tiltStartTimeMs = now;
      this.event("warning", "+tilt", null, "#tilt mode entered");
    }
    this.previousTimeMs = now;
  }

  private handleDictOfRedisInstances(instances: ReadonlyMap<string, Instance>): void {
    let switchToPromoted: Instance | null = null;
    for (const ri of [...instances.values()]) {
      this.handleRedisInstance(ri);
      if (ri.kind === "master") {
        this.handleDictOfRedisInstances(ri.slaves);
        this.handleDictOfRedisInstances(ri.sentinels);
        if (ri.failoverState === "update_config") switchToPromoted = ri;
      }
    }
    if (switchToPromoted) switchToPromotedSlave(this, switchToPromoted);
  }

  /** `sentinelHandleRedisInstance`: monitoring, then (unless in TILT) acting. */
  private handleRedisInstance(ri: Instance): void {
    this.reconnectInstance(ri);
    this.sendPeriodicCommands(ri);

    if (this.tilt) {
      if (this.ms() - this.tiltStartTimeMs < TILT_PERIOD_MS) return;
      this.tilt = false;
      this.event("warning", "-tilt", null, "#tilt mode exited");
    }
    checkSubjectivelyDown(this, ri);
    if (ri.kind === "master") {
      checkObjectivelyDown(this, ri);
      if (startFailoverIfNeeded(this, ri)) askMasterStateToOtherSentinels(this, ri, true);
      failoverStateMachine(this, ri);
      askMasterStateToOtherSentinels(this, ri, false);
    }
  }

  /**
   * `sentinelReconnectInstance`: opens the missing connections, at most once
   * a second; the command connection starts with CLIENT SETNAME and a PING,
   * the Pub/Sub one with SUBSCRIBE __sentinel__:hello.
   */
  private reconnectInstance(ri: Instance): void {
    const link = ri.link;
    if (!link.disconnected) return;
    if (ri.addr.port === 0) return; // an invalid address
    const now = this.ms();
    if (now - link.lastReconnTimeMs < PING_PERIOD_MS) return;
    link.lastReconnTimeMs = now;

    if (link.cc === null && ri.addr.ip !== "") {
      if (this.resolver) {
        const again = this.createAddr(ri.addr.hostname, ri.addr.port, false);
        if (again) ri.addr = again;
      }
      link.cc = this.asyncConnect(ri.addr.ip, ri.addr.port, link);
      link.pendingCommands = 0;
      link.ccConnTimeMs = now;
      this.setClientName(ri, link.cc, "cmd");
      // PING at once when reconnecting.
      this.sendPing(ri);
    }
    if (ri.kind !== "sentinel" && link.pc === null && ri.addr.ip !== "") {
      link.pc = this.asyncConnect(ri.addr.ip, ri.addr.port, link);
      link.pcConnTimeMs = now;
      this.setClientName(ri, link.pc, "pubsub");
      this.asyncCommand(
        link.pc,
        ["SUBSCRIBE", HELLO_CHANNEL],
        ri,
        (_c, reply) => this.receiveHelloMessages(ri, reply),
        true,
      );
    }
    // Connected only with both connections (just the command one for a Sentinel).
    if (link.cc && (ri.kind === "sentinel" || link.pc)) link.disconnected = false;
  }

  /** `sentinelSetClientName`: `CLIENT SETNAME sentinel-<id prefix>-<cmd|pubsub>`. */
  private setClientName(ri: Instance, c: AsyncConn, type: "cmd" | "pubsub"): void {
    const name = `sentinel-${this.myId.slice(0, 8)}-${type}`;
    this.asyncCommand(c, ["CLIENT", "SETNAME", name], ri, discardReply);
    ri.link.pendingCommands++;
  }

  private receiveHelloMessages(ri: Instance, reply: Reply | null): void {
    if (!reply) return;
    receiveHello(this, ri, reply);
  }

  /** `sentinelSendPing`; act_ping_time keeps the oldest unanswered PING. */
  sendPing(ri: Instance): boolean {
    const cc = ri.link.cc;
    if (!cc) return false;
    this.asyncCommand(cc, ["PING"], ri, (c, reply) => pingReplyCallback(this, ri, c, reply));
    ri.link.pendingCommands++;
    ri.link.lastPingTimeMs = this.ms();
    if (ri.link.actPingTimeMs === 0) ri.link.actPingTimeMs = ri.link.lastPingTimeMs;
    return true;
  }

  /** `sentinelSendPeriodicCommands`: INFO, PING and the hello message, each on its period. */
  private sendPeriodicCommands(ri: Instance): void {
    const now = this.ms();
    const link = ri.link;
    if (link.disconnected || !link.cc) return;
    if (link.pendingCommands >= MAX_PENDING_COMMANDS * link.refcount) return;

    // Replicas of a failing master (or replicas that lost their master) are watched every second.
    const infoPeriod =
      ri.kind === "slave" &&
      (ri.group.oDown || ri.group.failoverInProgress || ri.masterLinkDownTimeMs !== 0)
        ? 1000
        : INFO_PERIOD_MS;
    const pingPeriod = Math.min(ri.downAfterMs, PING_PERIOD_MS);

    if (ri.kind !== "sentinel" && (ri.infoRefreshMs === 0 || now - ri.infoRefreshMs > infoPeriod)) {
      this.asyncCommand(link.cc, ["INFO"], ri, (c, reply) => infoReplyCallback(this, ri, c, reply));
      link.pendingCommands++;
    }
    if (now - link.lastPongTimeMs > pingPeriod && now - link.lastPingTimeMs > pingPeriod / 2) {
      this.sendPing(ri);
    }
    if (now - ri.lastPubTimeMs > PUBLISH_PERIOD_MS) sendHello(this, ri);
  }

  // ---- this Sentinel's own clients ------------------------------------------

  private createClient(
    key: ClientKey | null,
    conn: ConnId | null,
    peerIp: string,
    peerPort: number,
  ): SentinelClient {
    const client: SentinelClient = {
      id: this.nextClientId++,
      key,
      conn,
      parser: conn === null ? null : new RequestParser(),
      peerIp,
      peerPort,
      name: "",
      channels: new Set(),
      patterns: new Set(),
      createdAtUs: this.now,
      lastInteractionUs: this.now,
    };
    this.clients.set(client.id, client);
    if (conn !== null) this.clientsByConn.set(conn, client);
    if (key !== null) this.clientsByKey.set(key, client);
    return client;
  }

  private clientBytes(conn: ConnId, bytes: ByteString): void {
    const client = this.clientsByConn.get(conn);
    if (!client?.parser) return;
    client.lastInteractionUs = this.now;
    client.parser.feed(bytes);
    for (;;) {
      if (!this.clients.has(client.id)) return;
      const item = client.parser.next();
      if (item === undefined) return;
      if ("error" in item) {
        this.reply(client, { type: "error", value: `ERR ${item.error}` });
        this.freeClient(client);
        return;
      }
      processSentinelCommand(this, client, item.argv);
    }
  }

  private clientClosed(conn: ConnId): void {
    const client = this.clientsByConn.get(conn);
    if (client) this.freeClient(client, false);
  }

  freeClient(client: SentinelClient, notifyPeer = true): void {
    if (!this.clients.delete(client.id)) return;
    if (client.conn !== null) {
      this.clientsByConn.delete(client.conn);
      if (notifyPeer) this.out.push({ kind: "close", conn: client.conn });
    }
    if (client.key !== null) this.clientsByKey.delete(client.key);
  }

  /** Sends a reply to a client, over its connection or to its local console. */
  reply(client: SentinelClient, reply: Reply): void {
    if (client.key !== null) this.out.push({ kind: "reply", client: client.key, reply });
    else if (client.conn !== null) this.send(client.conn, encodeReply(reply));
  }
}
