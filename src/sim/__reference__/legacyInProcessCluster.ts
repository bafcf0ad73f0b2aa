import type { ByteString } from "../../engine/bytes";
import type { ConnId, ProcessInput, ProcessOutput, VirtualTime } from "../../engine/io";
import { Random, hashString } from "../../engine/random";
import type { Reply } from "../../engine/reply";
import { genInfo, infoFields } from "../../engine/server/info";
import { Server } from "../../engine/server/server";
import type { NodeView } from "../../engine/server/view";
import { nodeView } from "../../engine/server/view";
import type { Cluster, Fault, NodeSnapshot, NodeSpec } from "../cluster";
import { ClusterError } from "../cluster";
import { EventQueue } from "../eventQueue";
import type { QueueKey } from "../eventQueue";
import { keyspaceDigest } from "../keyspaceDigest";
import type { Direction } from "../network";
import { NetworkModel, scheduleSend, sentAt } from "../network";
import type { TraceEvent } from "../trace";

const DEFAULT_EPOCH_MS = 1767225600000;
const REDIS_PORT = 6379;

/** One process slot: a name and address that outlive crashes and restarts. */
interface ProcessSlot {
  readonly name: string;
  readonly ip: string;
  readonly rank: number;
  incarnation: number;
  server: Server | null;
  /** Role and configuration to restart with. */
  restartSpec: NodeSpec;
  timerAt: VirtualTime | null;
  stalledUntil: VirtualTime;
  seq: number;
  nextEphemeralPort: number;
}

interface ConnEnd {
  readonly node: string;
  readonly incarnation: number;
  open: boolean;
}

interface Conn {
  readonly id: ConnId;
  /** The initiator's source port, as the acceptor sees it. */
  readonly peerPort: number;
  readonly a: ConnEnd; // initiator
  readonly b: ConnEnd; // acceptor
  readonly dirs: Map<string, Direction & { held: NetEvent[] }>;
}

/** Events that cross the network, keyed for canonical order. */
type NetEvent = QueueKey &
  (
    | { kind: "deliver"; conn: ConnId; from: string; to: string; bytes: ByteString }
    | { kind: "syn"; conn: ConnId; from: string; to: string }
    | { kind: "synAck"; conn: ConnId; from: string; to: string; ok: boolean }
    | { kind: "fin"; conn: ConnId; from: string; to: string }
  );

type LocalBody =
  | { kind: "input"; node: string; incarnation: number; input: ProcessInput }
  | { kind: "timer"; node: string; incarnation: number }
  | { kind: "outputs"; node: string; incarnation: number; outputs: ProcessOutput[] };

type LocalEvent = QueueKey & LocalBody;

type SimEvent = NetEvent | LocalEvent;

interface InProcessClusterOptions {
  readonly seed: number;
  readonly epochMs?: number;
  readonly version?: "7.0" | "6.2";
  /** Keep payload bytes in the trace (the page draws them); off for big benchmarks. */
  readonly traceBytes?: boolean;
}

/**
 * FROZEN TEST ORACLE. The in-process cluster as it was before it was split into
 * a coordinator and process hosts (commit fa7620b's src/sim/inProcessCluster.ts):
 * every process in one thread, driven by one global event queue. Tests run
 * scenarios on it and on the split runtime and compare trace and transcript.
 * Do not change its behaviour; delete it once the split runtime is trusted.
 */
export class LegacyInProcessCluster implements Cluster {
  private time: VirtualTime = 0;
  private readonly queue = new EventQueue<SimEvent>();
  private readonly slots = new Map<string, ProcessSlot>();
  private readonly conns = new Map<ConnId, Conn>();
  private readonly replies = new Map<string, Reply[]>();
  private readonly events: TraceEvent[] = [];
  private readonly listeners = new Set<(events: readonly TraceEvent[]) => void>();
  readonly network = new NetworkModel();
  private readonly jitterStreams = new Map<string, Random>();
  private harnessSeq = 0;
  private epochMs: number;
  private version: "7.0" | "6.2";
  private readonly seed: number;
  private readonly traceBytes: boolean;

  constructor(options: InProcessClusterOptions) {
    this.seed = options.seed;
    this.epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    this.version = options.version ?? "7.0";
    this.traceBytes = options.traceBytes ?? true;
  }

  now(): VirtualTime {
    return this.time;
  }

  setEpoch(epochMs: number): void {
    this.epochMs = epochMs;
  }

  setVersion(version: "7.0" | "6.2"): void {
    this.version = version;
  }

  nodes(): readonly string[] {
    return [...this.slots.keys()];
  }

  trace(): readonly TraceEvent[] {
    return this.events;
  }

  /** The live server objects, for views and invariant checks (read only). */
  server(name: string): Server | null {
    return this.slots.get(name)?.server ?? null;
  }

  slot(name: string): ProcessSlot | undefined {
    return this.slots.get(name);
  }

  startNode(spec: NodeSpec): Promise<void> {
    if (this.slots.has(spec.name)) throw new ClusterError(`node ${spec.name} already exists`);
    const rank = this.slots.size;
    const slot: ProcessSlot = {
      name: spec.name,
      ip: `10.0.0.${rank + 1}`,
      rank,
      incarnation: 0,
      server: null,
      restartSpec: spec,
      timerAt: null,
      stalledUntil: 0,
      seq: 0,
      nextEphemeralPort: 40000,
    };
    this.slots.set(spec.name, slot);
    this.boot(slot, spec);
    return Promise.resolve();
  }

  private boot(slot: ProcessSlot, spec: NodeSpec): void {
    // Frozen before Sentinels existed: the determinism tests compare it on server-only scripts.
    if (spec.kind === "sentinel" || spec.kind === "client")
      throw new ClusterError("the reference cluster has no Sentinels and no application clients");
    const server = new Server({
      name: slot.name,
      ip: slot.ip,
      port: REDIS_PORT,
      incarnation: slot.incarnation,
      seed: hashString(`${this.seed}/${slot.name}/${slot.incarnation}`),
      startTime: this.time,
      epochMs: this.epochMs,
      version: this.version,
      config: spec.config,
      ...(spec.replicaOf !== undefined
        ? { replicaOf: { host: spec.replicaOf, port: REDIS_PORT } }
        : {}),
    });
    slot.server = server;
    slot.stalledUntil = 0;
    slot.timerAt = null;
    this.record({
      t: this.time,
      type: "nodeStarted",
      node: slot.name,
      ip: slot.ip,
      runId: server.runId,
      replicaOf: spec.replicaOf ?? null,
    });
    // Boot: the first serverCron is asked for by the process itself.
    this.pushLocal(
      slot,
      { kind: "timer", node: slot.name, incarnation: slot.incarnation },
      server.startTime + 1000,
    );
    slot.timerAt = server.startTime + 1000;
  }

  command(
    node: string,
    client: string,
    argv: readonly ByteString[],
    maxWaitUs = 60_000_000,
  ): Promise<Reply> {
    const slot = this.slots.get(node);
    if (!slot?.server) throw new ClusterError(`${node} is not running`);
    const key = `${node}/${client}`;
    this.replies.set(key, []);
    this.record({ t: this.time, type: "command", node, client, argv });
    this.queue.push({
      at: this.time,
      source: -1,
      seq: this.harnessSeq++,
      kind: "input",
      node,
      incarnation: slot.incarnation,
      input: { kind: "clientCommand", client, argv },
    });
    const deadline = this.time + maxWaitUs;
    for (;;) {
      const inbox = this.replies.get(key);
      const reply = inbox?.shift();
      if (reply) {
        this.replies.delete(key);
        return Promise.resolve(reply);
      }
      const next = this.queue.peek();
      if (!next || next.at > deadline) {
        this.replies.delete(key);
        if (next) this.runUntil(deadline);
        throw new ClusterError(`no reply from ${node} within ${maxWaitUs / 1e6}s`);
      }
      this.fireNext();
      if (!this.slots.get(node)?.server) {
        this.replies.delete(key);
        throw new ClusterError(`${node} crashed before replying`);
      }
    }
  }

  submit(node: string, client: string, argv: readonly ByteString[]): Promise<void> {
    const slot = this.slots.get(node);
    if (!slot?.server) throw new ClusterError(`${node} is not running`);
    this.record({ t: this.time, type: "command", node, client, argv });
    this.queue.push({
      at: this.time,
      source: -1,
      seq: this.harnessSeq++,
      kind: "input",
      node,
      incarnation: slot.incarnation,
      input: { kind: "clientCommand", client, argv },
    });
    return Promise.resolve();
  }

  dumpRdb(node: string): Promise<ByteString> {
    return Promise.resolve(this.requireRunning(node).dumpRdb());
  }

  loadRdb(node: string, bytes: ByteString): Promise<void> {
    const slot = this.slots.get(node);
    if (!slot?.server) throw new ClusterError(`${node} is not running`);
    this.record({ t: this.time, type: "loadRdb", node, size: bytes.length });
    this.queue.push({
      at: this.time,
      source: -1,
      seq: this.harnessSeq++,
      kind: "input",
      node,
      incarnation: slot.incarnation,
      input: { kind: "loadRdb", bytes },
    });
    return Promise.resolve();
  }

  views(): Promise<readonly NodeView[]> {
    return Promise.resolve(
      this.runningSlots().flatMap((slot) => (slot.server ? [nodeView(slot.server)] : [])),
    );
  }

  onTrace(listener: (events: readonly TraceEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Time of the next pending event, or null when nothing is scheduled. */
  nextEventTime(): VirtualTime | null {
    return this.queue.peek()?.at ?? null;
  }

  advance(durationUs: VirtualTime): Promise<void> {
    this.runUntil(this.time + durationUs);
    return Promise.resolve();
  }

  settle(maxUs: VirtualTime): Promise<boolean> {
    const deadline = this.time + maxUs;
    for (;;) {
      if (isQuiet(this)) return Promise.resolve(true);
      const next = this.queue.peek();
      if (!next || next.at > deadline) {
        this.runUntil(deadline);
        return Promise.resolve(isQuiet(this));
      }
      // Finish every event of the next instant before looking again.
      const at = next.at;
      while (this.queue.peek()?.at === at) this.fireNext();
    }
  }

  /** Whether any byte, connect or close is in flight on a path that is not cut. */
  hasTrafficInFlight(): boolean {
    return this.queue.some(
      (e) =>
        (e.kind === "deliver" || e.kind === "syn" || e.kind === "synAck" || e.kind === "fin") &&
        !this.network.isCut(e.from, e.to),
    );
  }

  runningSlots(): ProcessSlot[] {
    return [...this.slots.values()].filter((s) => s.server !== null);
  }

  /** Finds a process by host name or IP, as the resolver would. */
  resolve(host: string): ProcessSlot | undefined {
    const byName = this.slots.get(host);
    if (byName) return byName;
    for (const s of this.slots.values()) if (s.ip === host) return s;
    return undefined;
  }

  fault(fault: Fault): Promise<void> {
    switch (fault.kind) {
      case "cut":
        this.requireNode(fault.a);
        if (fault.b !== undefined) {
          this.requireNode(fault.b);
          this.network.cut(fault.a, fault.b);
        } else {
          for (const other of this.slots.keys())
            if (other !== fault.a) this.network.cut(fault.a, other);
        }
        this.record({
          t: this.time,
          type: "fault",
          fault: "cut",
          nodes: fault.b ? [fault.a, fault.b] : [fault.a],
        });
        break;
      case "heal": {
        let healed: [string, string][];
        if (fault.a !== undefined && fault.b !== undefined) {
          healed = this.network.heal(fault.a, fault.b) ? [[fault.a, fault.b]] : [];
        } else {
          healed = this.network.healAll(fault.a);
        }
        for (const [x, y] of healed) this.releaseHeld(x, y);
        this.record({
          t: this.time,
          type: "fault",
          fault: "heal",
          nodes: [fault.a, fault.b].filter((n): n is string => !!n),
        });
        break;
      }
      case "reset":
        this.requireNode(fault.a);
        this.requireNode(fault.b);
        this.reset(fault.a, fault.b);
        break;
      case "crash":
        this.crash(fault.node);
        break;
      case "restart":
        this.restart(fault.node);
        break;
      case "sleep": {
        const slot = this.requireNode(fault.node);
        slot.stalledUntil = Math.max(slot.stalledUntil, this.time + fault.durationUs);
        this.record({ t: this.time, type: "stall", node: fault.node, until: slot.stalledUntil });
        break;
      }
      case "network":
        this.network.setDefaults(fault.settings);
        break;
      case "link":
        this.requireNode(fault.a);
        this.requireNode(fault.b);
        this.network.setPath(fault.a, fault.b, fault.settings);
        break;
    }
    return Promise.resolve();
  }

  infoText(node: string, section: string): Promise<string> {
    const server = this.requireRunning(node);
    return Promise.resolve(genInfo(server, section ? [section] : []));
  }

  snapshot(node: string): Promise<NodeSnapshot> {
    const slot = this.requireNode(node);
    return Promise.resolve({
      name: node,
      running: slot.server !== null,
      info: slot.server ? infoFields(slot.server) : new Map(),
    });
  }

  keyspaceDigest(node: string): Promise<string> {
    return Promise.resolve(keyspaceDigest(this.requireRunning(node).keyspace));
  }

  private requireNode(name: string): ProcessSlot {
    const slot = this.slots.get(name);
    if (!slot) throw new ClusterError(`unknown node ${name}`);
    return slot;
  }

  private requireRunning(name: string): Server {
    const server = this.requireNode(name).server;
    if (!server) throw new ClusterError(`${name} is not running`);
    return server;
  }

  // ---- the event loop ----------------------------------------------------

  private runUntil(t: VirtualTime): void {
    for (;;) {
      const next = this.queue.peek();
      if (!next || next.at > t) break;
      this.fireNext();
    }
    this.time = Math.max(this.time, t);
  }

  private fireNext(): void {
    const ev = this.queue.pop();
    if (!ev) return;
    this.time = Math.max(this.time, ev.at);
    switch (ev.kind) {
      case "input":
      case "timer":
      case "outputs":
        this.fireLocal(ev);
        break;
      default:
        this.fireNet(ev);
    }
  }

  private fireLocal(ev: LocalEvent): void {
    const slot = this.slots.get(ev.node);
    if (!slot?.server || slot.incarnation !== ev.incarnation) return;
    if (ev.kind === "timer" && slot.timerAt !== ev.at) return; // superseded
    if (slot.stalledUntil > this.time) {
      // A stalled process reads nothing; everything waits for it, in order.
      // (The one change since it was frozen, as in processHost.ts, fc8aa14: its timer moves too.)
      if (ev.kind === "timer") slot.timerAt = slot.stalledUntil;
      this.queue.push({ ...ev, at: slot.stalledUntil });
      return;
    }
    if (ev.kind === "outputs") {
      this.applyOutputs(slot, ev.outputs);
      return;
    }
    if (ev.kind === "timer") slot.timerAt = null;
    const input: ProcessInput = ev.kind === "timer" ? { kind: "timerFired" } : ev.input;
    this.deliverInput(slot, input);
  }

  private deliverInput(slot: ProcessSlot, input: ProcessInput): void {
    const server = slot.server;
    if (!server) return;
    const outputs = server.handle(this.time, input);
    this.applyOutputs(slot, outputs);
  }

  private fireNet(ev: NetEvent): void {
    const conn = this.conns.get(ev.conn);
    if (!conn) return;
    const dir = conn.dirs.get(ev.from);
    if (dir && (this.network.isCut(ev.from, ev.to) || dir.held.length > 0)) {
      dir.held.push(ev);
      return;
    }
    const end = ev.to === conn.a.node ? conn.a : conn.b;
    const slot = this.slots.get(ev.to);
    const alive = !!slot?.server && slot.incarnation === end.incarnation;
    if (ev.kind === "syn") {
      if (!alive || !slot) {
        // Nobody listening: the initiator gets a reset.
        this.sendNet(conn, ev.to, ev.from, { kind: "synAck", ok: false });
        this.record({
          t: this.time,
          type: "connClose",
          conn: conn.id,
          from: ev.to,
          to: ev.from,
          reason: "refused",
        });
        return;
      }
      if (slot.stalledUntil > this.time) {
        this.queue.push({ ...ev, at: slot.stalledUntil });
        return;
      }
      const initiator = this.slots.get(ev.from);
      this.record({ t: this.time, type: "connOpen", conn: conn.id, from: ev.from, to: ev.to });
      this.deliverInput(slot, {
        kind: "accepted",
        conn: conn.id,
        peerIp: initiator?.ip ?? "",
        peerPort: conn.peerPort,
      });
      this.sendNet(conn, ev.to, ev.from, { kind: "synAck", ok: true });
      return;
    }
    if (!alive || !slot || !end.open) return;
    if (slot.stalledUntil > this.time) {
      this.queue.push({ ...ev, at: slot.stalledUntil });
      return;
    }
    switch (ev.kind) {
      case "synAck":
        if (ev.ok) {
          this.deliverInput(slot, { kind: "connected", conn: conn.id });
        } else {
          end.open = false;
          this.deliverInput(slot, { kind: "connectFailed", conn: conn.id });
        }
        break;
      case "deliver":
        this.record({
          t: this.time,
          type: "deliver",
          conn: conn.id,
          from: ev.from,
          to: ev.to,
          size: ev.bytes.length,
        });
        this.deliverInput(slot, { kind: "bytesReceived", conn: conn.id, bytes: ev.bytes });
        break;
      case "fin":
        end.open = false;
        this.deliverInput(slot, { kind: "connectionClosed", conn: conn.id });
        break;
    }
  }

  private sendNet(
    conn: Conn,
    from: string,
    to: string,
    body: { kind: "synAck"; ok: boolean } | { kind: "fin" } | { kind: "syn" },
  ): void {
    const dir = this.direction(conn, from);
    const path = this.network.path(from, to);
    const at = Math.max(
      this.time + path.latencyUs + this.jitter(from, to, path.jitterUs),
      dir.lastDeliverAt,
    );
    dir.lastDeliverAt = at;
    const src = this.slots.get(from);
    const key = { at, source: src?.rank ?? -1, seq: src ? src.seq++ : this.harnessSeq++ };
    this.queue.push({ ...key, ...body, conn: conn.id, from, to });
  }

  private direction(conn: Conn, from: string): Direction & { held: NetEvent[] } {
    let dir = conn.dirs.get(from);
    if (!dir) {
      dir = { busyUntil: 0, lastDeliverAt: 0, held: [] };
      conn.dirs.set(from, dir);
    }
    return dir;
  }

  /** Jitter comes from one stream per direction, so no other traffic changes it. */
  private jitter(from: string, to: string, maxUs: number): number {
    if (maxUs <= 0) return 0;
    const key = `${from}>${to}`;
    let stream = this.jitterStreams.get(key);
    if (!stream) {
      stream = new Random(hashString(`${this.seed}/jitter/${key}`));
      this.jitterStreams.set(key, stream);
    }
    return Math.floor(stream.next() * (maxUs + 1));
  }

  private pushLocal(slot: ProcessSlot, body: LocalBody, at: VirtualTime): void {
    this.queue.push({ ...body, at, source: slot.rank, seq: slot.seq++ });
  }

  private applyOutputs(slot: ProcessSlot, outputs: readonly ProcessOutput[]): void {
    for (let i = 0; i < outputs.length; i++) {
      const out = outputs[i];
      if (!out) continue;
      if (!slot.server) return;
      switch (out.kind) {
        case "send":
          this.send(slot, out.conn, out.bytes, out.label ?? "", out.notifySent === true);
          break;
        case "connect":
          this.connect(slot, out.conn, out.host);
          break;
        case "close":
          this.close(slot, out.conn);
          break;
        case "reply": {
          this.record({
            t: this.time,
            type: "reply",
            node: slot.name,
            client: out.client,
            reply: out.reply,
          });
          const inbox = this.replies.get(`${slot.name}/${out.client}`);
          if (inbox) inbox.push(out.reply);
          break;
        }
        case "timer":
          slot.timerAt = out.at;
          this.pushLocal(
            slot,
            { kind: "timer", node: slot.name, incarnation: slot.incarnation },
            out.at,
          );
          break;
        case "stall": {
          slot.stalledUntil = Math.max(slot.stalledUntil, out.until);
          this.record({ t: this.time, type: "stall", node: slot.name, until: out.until });
          const rest = outputs.slice(i + 1);
          if (rest.length > 0) {
            this.pushLocal(
              slot,
              { kind: "outputs", node: slot.name, incarnation: slot.incarnation, outputs: rest },
              out.until,
            );
          }
          return;
        }
        case "event":
          this.record({ t: this.time, type: "process", node: slot.name, event: out.event });
          break;
      }
    }
  }

  private send(
    slot: ProcessSlot,
    connId: ConnId,
    bytes: ByteString,
    label: string,
    notifySent: boolean,
  ): void {
    const conn = this.conns.get(connId);
    if (!conn) return;
    const mine = conn.a.node === slot.name ? conn.a : conn.b;
    const peer = mine === conn.a ? conn.b : conn.a;
    if (!mine.open) return;
    const dir = this.direction(conn, slot.name);
    const path = this.network.path(slot.name, peer.node);
    const { pieces, deliverAt } = scheduleSend(dir, this.time, bytes.length, path, () =>
      this.jitter(slot.name, peer.node, path.jitterUs),
    );
    this.record({
      t: this.time,
      type: "send",
      conn: connId,
      from: slot.name,
      to: peer.node,
      bytes: this.traceBytes ? bytes : "",
      label,
      deliverAt,
    });
    let pos = 0;
    for (const piece of pieces) {
      this.queue.push({
        at: piece.at,
        source: slot.rank,
        seq: slot.seq++,
        kind: "deliver",
        conn: connId,
        from: slot.name,
        to: peer.node,
        bytes: bytes.slice(pos, pos + piece.size),
      });
      pos += piece.size;
    }
    if (notifySent) {
      this.pushLocal(
        slot,
        {
          kind: "input",
          node: slot.name,
          incarnation: slot.incarnation,
          input: { kind: "sent", conn: connId },
        },
        sentAt(this.time, dir.busyUntil, path),
      );
    }
  }

  private connect(slot: ProcessSlot, connId: ConnId, host: string): void {
    const target = this.resolve(host);
    if (!target) {
      this.pushLocal(
        slot,
        {
          kind: "input",
          node: slot.name,
          incarnation: slot.incarnation,
          input: { kind: "connectFailed", conn: connId },
        },
        this.time,
      );
      return;
    }
    const conn: Conn = {
      id: connId,
      peerPort: slot.nextEphemeralPort++,
      a: { node: slot.name, incarnation: slot.incarnation, open: true },
      b: { node: target.name, incarnation: target.incarnation, open: true },
      dirs: new Map(),
    };
    this.conns.set(connId, conn);
    this.sendNet(conn, slot.name, target.name, { kind: "syn" });
  }

  private close(slot: ProcessSlot, connId: ConnId): void {
    const conn = this.conns.get(connId);
    if (!conn) return;
    const mine = conn.a.node === slot.name ? conn.a : conn.b;
    const peer = mine === conn.a ? conn.b : conn.a;
    if (!mine.open) return;
    mine.open = false;
    this.record({
      t: this.time,
      type: "connClose",
      conn: connId,
      from: slot.name,
      to: peer.node,
      reason: "close",
    });
    if (peer.open) this.sendNet(conn, slot.name, peer.node, { kind: "fin" });
    else this.conns.delete(connId);
  }

  private reset(a: string, b: string): void {
    this.record({ t: this.time, type: "fault", fault: "reset", nodes: [a, b] });
    for (const conn of [...this.conns.values()]) {
      const between =
        (conn.a.node === a && conn.b.node === b) || (conn.a.node === b && conn.b.node === a);
      if (!between) continue;
      this.queue.removeWhere((e) => "conn" in e && e.conn === conn.id);
      this.conns.delete(conn.id);
      for (const end of [conn.a, conn.b]) {
        if (!end.open) continue;
        end.open = false;
        const slot = this.slots.get(end.node);
        if (!slot?.server || slot.incarnation !== end.incarnation) continue;
        this.record({
          t: this.time,
          type: "connClose",
          conn: conn.id,
          from: end === conn.a ? conn.b.node : conn.a.node,
          to: end.node,
          reason: "reset",
        });
        this.pushLocal(
          slot,
          {
            kind: "input",
            node: slot.name,
            incarnation: slot.incarnation,
            input: { kind: "connectionClosed", conn: conn.id },
          },
          this.time,
        );
      }
    }
  }

  private crash(name: string): void {
    const slot = this.requireNode(name);
    const server = slot.server;
    if (!server) throw new ClusterError(`${name} is not running`);
    slot.restartSpec = {
      name,
      ...(server.masterHost !== null ? { replicaOf: server.masterHost } : {}),
      config: new Map(server.config),
    };
    slot.server = null;
    slot.timerAt = null;
    this.record({ t: this.time, type: "nodeCrashed", node: name });
    for (const conn of this.conns.values()) {
      const mine = conn.a.node === name ? conn.a : conn.b.node === name ? conn.b : null;
      if (!mine?.open) continue;
      mine.open = false;
      const peer = mine === conn.a ? conn.b : conn.a;
      this.record({
        t: this.time,
        type: "connClose",
        conn: conn.id,
        from: name,
        to: peer.node,
        reason: "crash",
      });
      if (peer.open) this.sendNet(conn, name, peer.node, { kind: "fin" });
    }
  }

  private restart(name: string): void {
    const slot = this.requireNode(name);
    if (slot.server) throw new ClusterError(`${name} is running; crash it first`);
    slot.incarnation++;
    this.boot(slot, slot.restartSpec);
  }

  private releaseHeld(x: string, y: string): void {
    for (const conn of this.conns.values()) {
      for (const [from, dir] of conn.dirs) {
        const to = from === conn.a.node ? conn.b.node : conn.a.node;
        if (!((from === x && to === y) || (from === y && to === x))) continue;
        const held = dir.held;
        dir.held = [];
        const path = this.network.path(from, to);
        let at = this.time;
        for (const ev of held) {
          at = Math.max(at, this.time + path.latencyUs);
          dir.lastDeliverAt = Math.max(dir.lastDeliverAt, at);
          this.queue.push({ ...ev, at });
        }
      }
    }
  }

  private record(event: TraceEvent): void {
    this.events.push(event);
    for (const listener of this.listeners) listener([event]);
  }
}

/**
 * The `settle` condition: no full sync in progress, nothing in flight on a
 * path that is not cut, and every replica whose master runs and is reachable
 * is connected, caught up, and acknowledged. Crashed processes and replicas
 * cut off from their master are left out.
 */
function isQuiet(cluster: LegacyInProcessCluster): boolean {
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
