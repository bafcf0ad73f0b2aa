import type { ByteString } from "../engine/bytes";
import type { ConnId, ProcessInput, ProcessOutput, VirtualTime } from "../engine/io";
import { hashString } from "../engine/random";
import { genInfo, infoFields } from "../engine/server/info";
import { Server } from "../engine/server/server";
import { nodeView } from "../engine/server/view";
import { genSentinelInfo } from "../engine/sentinel/commands";
import { SENTINEL_PORT, currentMasterAddress } from "../engine/sentinel/instance";
import { Sentinel } from "../engine/sentinel/sentinel";
import { sentinelView } from "../engine/sentinel/view";
import type { ClientSpec, NodeSpec, SentinelSpec, ServerSpec } from "./cluster";
import { AppClient } from "../engine/client/appClient";
import { REDIS_PORT } from "./cluster";
import type { QueueKey } from "./eventQueue";
import { HostQueue, isSegment } from "./hostQueue";
import type { ConnEnd, HostConn, HostEvent, HostState, LocalEvent } from "./hostState";
import type {
  ExportedHost,
  HostAction,
  HostAnswer,
  HostQuery,
  HostReport,
  HostStep,
  PeerInfo,
  QuietSummary,
  ReleasedDir,
} from "./hostStep";
import { EVENTS_PER_STEP } from "./hostStep";
import { JitterStream } from "./jitter";
import { compareSortKeys, keyBefore, keyTuple, startOf } from "./order";
import { keyspaceDigest } from "./keyspaceDigest";
import type { Direction } from "./network";
import { NetworkModel, scheduleSend, sentAt } from "./network";
import { serverQuietView } from "./quietView";
import { TraceRecorder } from "./traceRecorder";
import type { Segment, SegmentBody } from "./segments";
import type { TraceEvent } from "./trace";
import type { Reply } from "../engine/reply";

export { REDIS_PORT, SENTINEL_PORT };

export { EVENTS_PER_STEP };

export interface HostOptions {
  /** The run seed: process seeds and jitter streams are split from it. */
  readonly seed: number;
  /** Keep payload bytes in `send` trace events (the page draws them). */
  readonly traceBytes: boolean;
  /**
   * An exception from the engine: rethrow it (the in-process runner, so a
   * test shows the stack) or crash that process and carry on (the page).
   */
  readonly engineErrors: "throw" | "crash";
}

/** What a step produced: the report for the coordinator and the segments to post, by receiver. */
export interface StepResult {
  readonly report: Omit<HostReport, "sent">;
  readonly outgoing: ReadonlyMap<string, readonly Segment[]>;
}

/**
 * One machine of the simulated network: a process slot (one Server or one
 * Sentinel, or none after a crash) with its own event queue, the scheduling of what it sends
 * (latency, jitter, bandwidth, FIFO), its ends of connections, and what is
 * held on cut paths into it. Pure and deterministic: the coordinator steps
 * it, whether it lives in this thread or in a worker.
 */
export class ProcessHost {
  readonly name: string;
  readonly ip: string;
  readonly rank: number;
  private incarnation = 0;
  private seq = 0;
  private nextEphemeralPort = 40000;
  private now: VirtualTime = 0;
  private stalledUntil: VirtualTime = 0;
  private timerAt: VirtualTime | null = null;
  private restartSpec: NodeSpec | null = null;
  private process: Server | Sentinel | AppClient | null = null;
  private queue = new HostQueue();
  private readonly conns = new Map<ConnId, HostConn>();
  private readonly jitterStreams = new Map<string, JitterStream>();
  private network = new NetworkModel();
  private peers: readonly PeerInfo[] = [];

  // What the current step has produced.
  private round = 0;
  private current: QueueKey = startOf(0);
  private createdInStep = 0;
  private readonly trace = new TraceRecorder();
  private outgoing = new Map<string, Segment[]>();
  /** The stream write of this step that a later one on the same connection may extend. */
  private openWrites = new Map<ConnId, OpenWrite>();
  /** The writes of this step that were extended: their parts are joined when it ends. */
  private extendedWrites: OpenWrite[] = [];
  private sentTo = new Map<string, number>();
  private minSentAt: VirtualTime | null = null;
  private stopClient: string | null = null;
  /** The effective key of the last event `run` fired, for a `resume`. */
  private lastFired: QueueKey | null = null;
  private answered = false;
  /** The last reply event recorded (see `replyEvent`). */
  private lastReply: ReplyEvent | null = null;

  constructor(
    identity: { readonly name: string; readonly ip: string; readonly rank: number },
    private readonly options: HostOptions,
    state?: HostState,
  ) {
    this.name = identity.name;
    this.ip = identity.ip;
    this.rank = identity.rank;
    if (state) this.restore(state);
  }

  /** The live redis-server, for in-process views and checks (read only); null for a Sentinel. */
  get server(): Server | null {
    return this.process instanceof Server ? this.process : null;
  }

  /** The live Sentinel, for in-process views and checks (read only); null for a server. */
  get sentinel(): Sentinel | null {
    return this.process instanceof Sentinel ? this.process : null;
  }

  // ---- a step ------------------------------------------------------------

  /** Takes in what peers sent, carries out one action, and reports. */
  step(step: HostStep, incoming: readonly Segment[]): StepResult {
    this.begin(step);
    for (const seg of incoming) this.receive(seg);
    for (const input of step.inputs) this.queue.push(input);
    let extra: Partial<HostReport> = {};
    let outgoing: ReadonlyMap<string, readonly Segment[]> = this.outgoing;
    const action: HostAction = step.action;
    switch (action.kind) {
      case "idle":
        break;
      case "run": {
        const { stoppedAt, more } = this.run(
          action.bound,
          action.stopOnReplyTo ?? null,
          action.resume === true,
        );
        if (stoppedAt) extra = { stoppedAt };
        if (more) extra = { ...extra, more };
        break;
      }
      case "boot":
        this.boot(action.spec ?? this.restartSpec, action.epochMs, action.version);
        break;
      case "openEnds":
        extra = { openEnds: this.openEndsWith(action.peer) };
        break;
      case "crash":
        this.crashProcess(new Set(action.peerOpen), null);
        extra = { exported: this.exportHost() };
        outgoing = new Map();
        break;
      case "export":
        extra = { exported: this.exportHost() };
        break;
      case "reset":
        this.reset(action.peer);
        break;
      case "release":
        extra = { released: this.release(action.pairs) };
        break;
      case "bump":
        this.bump(action.dirs);
        break;
      case "sleep":
        this.stalledUntil = Math.max(this.stalledUntil, this.now + action.durationUs);
        this.trace.record({
          t: this.now,
          type: "stall",
          node: this.name,
          until: this.stalledUntil,
        });
        break;
    }
    this.joinOpenWrites();
    return { report: { ...this.baseReport(), ...extra }, outgoing };
  }

  private begin(step: HostStep): void {
    this.now = Math.max(this.now, step.now);
    this.round = step.round;
    this.current = startOf(this.now);
    this.createdInStep = 0;
    this.trace.clear();
    this.outgoing = new Map();
    this.openWrites = new Map();
    this.extendedWrites = [];
    this.sentTo = new Map();
    this.minSentAt = null;
    if (step.network) this.network = NetworkModel.fromState(step.network);
    if (step.peers) this.peers = step.peers;
  }

  private baseReport(): Omit<HostReport, "sent"> {
    return {
      name: this.name,
      now: this.now,
      running: this.process !== null,
      nextAt: this.queue.peek()?.at ?? null,
      minSentAt: this.minSentAt,
      quiet: this.summary(),
      records: this.trace.take(),
    };
  }

  private summary(): QuietSummary {
    return {
      stalledUntil: this.stalledUntil,
      queuedFrom: this.queue.segmentCounts(),
      sentTo: Object.fromEntries(this.sentTo),
      // A Sentinel never holds the cluster back: see `isQuiet`.
      server: this.process instanceof Server ? serverQuietView(this.process) : null,
    };
  }

  /**
   * Answers a question about the process; null when it is not running or is
   * not of the kind asked about (a Sentinel has no keyspace and no NodeView).
   */
  query(query: HostQuery): HostAnswer {
    const p = this.process;
    const s = p instanceof Server ? p : null;
    const sentinel = p instanceof Sentinel ? p : null;
    const sections = query.kind === "info" && query.section ? [query.section] : [];
    switch (query.kind) {
      case "view":
        return { kind: "view", view: s ? nodeView(s) : null };
      case "sentinelView":
        return { kind: "sentinelView", view: sentinel ? sentinelView(sentinel) : null };
      case "info":
        return {
          kind: "info",
          text: s ? genInfo(s, sections) : sentinel ? genSentinelInfo(sentinel, sections) : null,
        };
      case "fields":
        return {
          kind: "fields",
          fields: s
            ? infoFields(s)
            : sentinel
              ? infoTextFields(genSentinelInfo(sentinel, []))
              : null,
        };
      case "digest":
        return { kind: "digest", digest: s ? keyspaceDigest(s.keyspace) : null };
      case "rdb":
        return { kind: "rdb", rdb: s ? s.dumpRdb() : null };
    }
  }

  // ---- the event loop ----------------------------------------------------

  /**
   * Fires, in canonical order, every event whose effective key is before
   * `bound`. The effective key is the largest key fired so far in this step:
   * an event queued for "now" while handling a later-keyed one fires right
   * after it, as it would from one global queue.
   */
  private run(
    bound: QueueKey,
    stopClient: string | null,
    resume: boolean,
  ): { stoppedAt?: QueueKey; more?: true } {
    this.stopClient = stopClient;
    let last: QueueKey | null = resume ? this.lastFired : null;
    let fired = 0;
    try {
      for (;;) {
        const next = this.queue.peek();
        if (!next) return {};
        // The event is its own key unless an earlier-keyed one fired after a later one.
        const eff: QueueKey = last && keyBefore(next, last) ? last : next;
        if (!keyBefore(eff, bound)) return {};
        // A big burst is reported in parts, so no message (and no main-thread task
        // reading it) grows with the burst; the window goes on where this one stops.
        if (fired === EVENTS_PER_STEP) return { more: true };
        this.queue.pop();
        last = eff;
        fired++;
        this.now = Math.max(this.now, eff.at);
        this.current = eff;
        this.trace.beginKeyGroup(eff);
        this.answered = false;
        this.fire(next);
        if (this.answered) return { stoppedAt: { at: eff.at, source: eff.source, seq: eff.seq } };
      }
    } finally {
      this.lastFired = last;
      this.stopClient = null;
    }
  }

  private fire(ev: HostEvent): void {
    if (isSegment(ev)) this.fireSegment(ev);
    else this.fireLocal(ev);
  }

  private fireLocal(ev: LocalEvent): void {
    if (!this.process || this.incarnation !== ev.incarnation) return;
    if (ev.kind === "timer" && this.timerAt !== ev.at) return; // superseded
    if (this.stalledUntil > this.now) {
      // A stalled process reads nothing; everything waits for it, in order.
      // Its timer moves too, or the wake-up would count as superseded and be lost.
      if (ev.kind === "timer") this.timerAt = this.stalledUntil;
      this.queue.push({ ...ev, at: this.stalledUntil });
      return;
    }
    if (ev.kind === "outputs") {
      this.applyOutputs(ev.outputs);
      return;
    }
    if (ev.kind === "timer") this.timerAt = null;
    this.deliverInput(ev.kind === "timer" ? { kind: "timerFired" } : ev.input);
  }

  private fireSegment(ev: Segment): void {
    const conn = this.conns.get(ev.conn);
    if (!conn) return;
    const held = conn.held[ev.from];
    if (this.network.isCut(ev.from, ev.to) || (held !== undefined && held.length > 0)) {
      (conn.held[ev.from] ??= []).push(ev);
      return;
    }
    const end = ev.to === conn.a.node ? conn.a : conn.b;
    const alive = this.process !== null && this.incarnation === end.incarnation;
    if (ev.kind === "syn") {
      if (!alive) {
        // Nobody listening: the initiator gets a reset.
        this.sendSegment(conn, ev.from, { kind: "synAck", ok: false });
        this.trace.record({
          t: this.now,
          type: "connClose",
          conn: conn.id,
          from: ev.to,
          to: ev.from,
          reason: "refused",
        });
        return;
      }
      if (this.stalledUntil > this.now) {
        this.queue.push({ ...ev, at: this.stalledUntil });
        return;
      }
      const initiator = this.peers.find((p) => p.name === ev.from);
      this.trace.record({ t: this.now, type: "connOpen", conn: conn.id, from: ev.from, to: ev.to });
      this.deliverInput({
        kind: "accepted",
        conn: conn.id,
        peerIp: initiator?.ip ?? "",
        peerPort: conn.peerPort,
      });
      this.sendSegment(conn, ev.from, { kind: "synAck", ok: true });
      return;
    }
    if (!alive || !end.open) return;
    if (this.stalledUntil > this.now) {
      this.queue.push({ ...ev, at: this.stalledUntil });
      return;
    }
    switch (ev.kind) {
      case "synAck":
        if (ev.ok) {
          this.deliverInput({ kind: "connected", conn: conn.id });
        } else {
          end.open = false;
          this.deliverInput({ kind: "connectFailed", conn: conn.id });
        }
        break;
      case "deliver":
        this.trace.record({
          t: this.now,
          type: "deliver",
          conn: conn.id,
          from: ev.from,
          to: ev.to,
          size: ev.bytes.length,
        });
        this.deliverInput({ kind: "bytesReceived", conn: conn.id, bytes: ev.bytes });
        break;
      case "fin":
        end.open = false;
        this.deliverInput({ kind: "connectionClosed", conn: conn.id });
        break;
    }
  }

  private deliverInput(input: ProcessInput): void {
    const process = this.process;
    if (!process) return;
    let outputs: ProcessOutput[];
    try {
      outputs = process.handle(this.now, input);
    } catch (e) {
      // Running out of memory is the process's fate, not a bug: it dies in every mode.
      const outOfMemory = e instanceof Error && e.name === "OutOfMemory";
      if (this.options.engineErrors === "throw" && !outOfMemory) throw e;
      this.crashProcess(null, e instanceof Error ? e.message : String(e));
      return;
    }
    this.applyOutputs(outputs);
  }

  private applyOutputs(outputs: readonly ProcessOutput[]): void {
    for (let i = 0; i < outputs.length; i++) {
      const out = outputs[i];
      if (!out) continue;
      if (!this.process) return;
      switch (out.kind) {
        case "send":
          this.send(out.conn, out.bytes, out.label ?? "", out.notifySent === true);
          break;
        case "connect":
          this.connect(out.conn, out.host, out.port);
          break;
        case "close":
          this.close(out.conn);
          break;
        case "reply":
          this.trace.record(this.replyEvent(out.client, out.reply));
          if (out.client === this.stopClient) this.answered = true;
          break;
        case "timer":
          this.timerAt = out.at;
          this.pushLocal({ kind: "timer", incarnation: this.incarnation }, out.at);
          break;
        case "stall": {
          this.stalledUntil = Math.max(this.stalledUntil, out.until);
          this.trace.record({ t: this.now, type: "stall", node: this.name, until: out.until });
          const rest = outputs.slice(i + 1);
          if (rest.length > 0)
            this.pushLocal(
              { kind: "outputs", incarnation: this.incarnation, outputs: rest },
              out.until,
            );
          return;
        }
        case "event":
          this.trace.record({ t: this.now, type: "process", node: this.name, event: out.event });
          break;
      }
    }
  }

  /**
   * The trace event for a reply. Trace events are read-only data, so a reply
   * equal to the previous one (a pipelined burst answered at one instant:
   * same time, client and reply object, such as the shared +OK) is recorded
   * as the same event: the trace reads the same, and a long burst keeps one
   * object instead of one per reply.
   */
  private replyEvent(client: string, reply: Reply): ReplyEvent {
    const last = this.lastReply;
    if (last !== null && last.t === this.now && last.client === client && last.reply === reply)
      return last;
    const event: ReplyEvent = { t: this.now, type: "reply", node: this.name, client, reply };
    this.lastReply = event;
    return event;
  }

  // ---- the process's lifecycle -------------------------------------------

  private boot(spec: NodeSpec | null, epochMs: number, version: "7.0" | "6.2"): void {
    if (!spec) throw new Error(`${this.name}: nothing to boot`);
    this.incarnation =
      this.peers.find((p) => p.name === this.name)?.incarnation ?? this.incarnation;
    this.restartSpec = spec;
    const process =
      spec.kind === "sentinel"
        ? this.startSentinel(spec, epochMs)
        : spec.kind === "client"
          ? this.startClient(spec)
          : this.startServer(spec, epochMs, version);
    this.process = process;
    this.stalledUntil = 0;
    this.timerAt = null;
    this.trace.record({
      t: this.now,
      type: "nodeStarted",
      node: this.name,
      ip: this.ip,
      runId: process.runId,
      replicaOf: spec.replicaOf ?? null,
      ...(spec.kind === "sentinel" || spec.kind === "client" ? { kind: spec.kind } : {}),
    });
    // Boot: the first serverCron is asked for by the process itself.
    this.timerAt = process.startTime + 1000;
    this.pushLocal({ kind: "timer", incarnation: this.incarnation }, this.timerAt);
  }

  private seedFor(): number {
    return hashString(`${this.options.seed}/${this.name}/${this.incarnation}`);
  }

  private startServer(spec: ServerSpec, epochMs: number, version: "7.0" | "6.2"): Server {
    return new Server({
      name: this.name,
      ip: this.ip,
      port: REDIS_PORT,
      incarnation: this.incarnation,
      seed: this.seedFor(),
      startTime: this.now,
      epochMs,
      version,
      config: spec.config,
      ...(spec.replicaOf !== undefined
        ? { replicaOf: { host: spec.replicaOf, port: REDIS_PORT } }
        : {}),
    });
  }

  /**
   * A Sentinel resolves host names (a replica that was started with
   * `replicaof m` reports `master_host:m`) from the peer table, which is
   * plain data that every host holds, in a worker too. It reads the table
   * when it resolves, so processes started later are known as well.
   */
  private startSentinel(spec: SentinelSpec, epochMs: number): Sentinel {
    return new Sentinel({
      name: this.name,
      ip: this.ip,
      port: SENTINEL_PORT,
      incarnation: this.incarnation,
      seed: this.seedFor(),
      startTime: this.now,
      epochMs,
      config: spec.sentinelConfig,
      monitors: spec.monitors,
      resolveHost: (host) => this.peers.find((p) => p.name === host)?.ip,
    });
  }

  /** An application client: addresses were resolved when the coordinator started it. */
  private startClient(spec: ClientSpec): AppClient {
    return new AppClient({
      name: this.name,
      ip: this.ip,
      incarnation: this.incarnation,
      seed: this.seedFor(),
      startTime: this.now,
      route: spec.route,
    });
  }

  /**
   * The process dies: its ends close, and the machine sends a FIN for each.
   * `peerOpen` names the connections whose other end is open (read at a step
   * boundary); null when the engine threw mid-step, where only a FIN can tell.
   */
  private crashProcess(peerOpen: ReadonlySet<ConnId> | null, error: string | null): void {
    const process = this.process;
    if (!process) return;
    this.restartSpec = this.specToRestart(process);
    this.process = null;
    this.timerAt = null;
    this.trace.record(
      error === null
        ? { t: this.now, type: "nodeCrashed", node: this.name }
        : { t: this.now, type: "nodeCrashed", node: this.name, error },
    );
    for (const conn of this.connsInOrder()) {
      const mine = conn.a.node === this.name ? conn.a : conn.b.node === this.name ? conn.b : null;
      if (!mine?.open) continue;
      mine.open = false;
      const peer = mine === conn.a ? conn.b : conn.a;
      this.trace.record({
        t: this.now,
        type: "connClose",
        conn: conn.id,
        from: this.name,
        to: peer.node,
        reason: "crash",
      });
      const peerIsOpen = peer.node === this.name ? peer.open : (peerOpen?.has(conn.id) ?? true);
      if (peerIsOpen) this.sendSegment(conn, peer.node, { kind: "fin" });
    }
  }

  /**
   * What `restart` starts: a server with the role and configuration it had;
   * a Sentinel monitoring each group's current master, as the config file
   * that Sentinel rewrites after a failover would say. (Its id, epoch and
   * the replicas and Sentinels it knew are not kept: it finds them again.)
   */
  private specToRestart(process: Server | Sentinel | AppClient): NodeSpec {
    if (process instanceof AppClient)
      return { kind: "client", name: this.name, route: process.route };
    if (process instanceof Server) {
      return {
        name: this.name,
        ...(process.masterHost !== null ? { replicaOf: process.masterHost } : {}),
        config: new Map(process.config),
      };
    }
    const before = this.restartSpec;
    return {
      kind: "sentinel",
      name: this.name,
      monitors: [...process.masters.values()].map((m) => {
        const addr = currentMasterAddress(m);
        return { group: m.name, masterHost: addr.ip, masterPort: addr.port, quorum: m.quorum };
      }),
      sentinelConfig: before?.kind === "sentinel" ? before.sentinelConfig : {},
    };
  }

  // ---- connections -------------------------------------------------------

  private send(connId: ConnId, bytes: ByteString, label: string, notifySent: boolean): void {
    if (label === STREAM_LABEL && !notifySent) {
      const open = this.openWrites.get(connId);
      if (open !== undefined && this.extendWrite(open, bytes)) return;
    }
    const conn = this.conns.get(connId);
    if (!conn) return;
    const mine = conn.a.node === this.name ? conn.a : conn.b;
    const peer = mine === conn.a ? conn.b : conn.a;
    if (!mine.open) return;
    const dir = this.direction(conn);
    const path = this.network.path(this.name, peer.node);
    const { pieces, deliverAt } = scheduleSend(dir, this.now, bytes.length, path, () =>
      this.jitter(peer.node, path.jitterUs),
    );
    const event: SendEvent = {
      t: this.now,
      type: "send",
      conn: connId,
      from: this.name,
      to: peer.node,
      bytes: this.options.traceBytes ? bytes : "",
      label,
      deliverAt,
    };
    this.trace.record(event);
    let pos = 0;
    let last: OpenWrite["segment"] | null = null;
    for (const piece of pieces) {
      last = {
        at: piece.at,
        source: this.rank,
        seq: this.seq++,
        kind: "deliver",
        conn: connId,
        from: this.name,
        to: peer.node,
        bytes: bytes.slice(pos, pos + piece.size),
      };
      this.emit(last);
      pos += piece.size;
    }
    this.openWrites.delete(connId);
    const queue = this.outgoing.get(peer.node);
    // Only a write on a path without jitter or a bandwidth limit can be extended.
    if (
      label === STREAM_LABEL &&
      pieces.length === 1 &&
      last &&
      queue &&
      path.jitterUs <= 0 &&
      path.bandwidthBytesPerSec <= 0
    ) {
      const latencyUs = path.latencyUs;
      this.openWrites.set(connId, {
        segment: last,
        event,
        parts: null,
        end: mine,
        dir,
        latencyUs,
        queue,
      });
    }
    if (notifySent) {
      // The sender learns when its kernel buffer drained: when the link finished sending.
      const input: ProcessInput = { kind: "sent", conn: connId };
      this.pushLocal(
        { kind: "input", incarnation: this.incarnation, input },
        sentAt(this.now, dir.busyUntil, path),
      );
    }
  }

  /**
   * Appends a replication-stream write to the previous one on the same
   * connection, when it would arrive at the same instant and nothing else was
   * sent to that peer in between: Redis, too, writes a replica's output
   * buffer once per event-loop turn, so a burst of commands leaves in one
   * write. The receiver then reads the bytes in one go, exactly where it
   * would have read the first part, and the next part right behind it.
   */
  private extendWrite(open: OpenWrite, bytes: ByteString): boolean {
    if (!open.end.open) return false;
    const queued = open.queue;
    if (queued[queued.length - 1] !== open.segment || open.event.t !== this.now) return false;
    const dir = open.dir;
    const at = Math.max(this.now + open.latencyUs, dir.lastDeliverAt);
    if (at !== open.segment.at) return false;
    dir.busyUntil = Math.max(this.now, dir.busyUntil);
    // Joined once when the step ends: appending to the string here would
    // leave the receiver a chain of thousands of pieces to flatten.
    if (open.parts === null) {
      open.parts = [open.segment.bytes];
      this.extendedWrites.push(open);
    }
    open.parts.push(bytes);
    return true;
  }

  /** Gives every extended write of this step its whole bytes, before anyone reads them. */
  private joinOpenWrites(): void {
    // A master streams the same commands to every replica: the writes of a
    // step then hold the same parts, and one joined string serves them all
    // (the same bytes, copied once and kept once).
    let lastParts: readonly ByteString[] | null = null;
    let lastBytes = "";
    for (const open of this.extendedWrites) {
      if (open.parts === null) continue;
      const bytes =
        lastParts !== null && sameParts(lastParts, open.parts) ? lastBytes : open.parts.join("");
      lastParts = open.parts;
      lastBytes = bytes;
      open.parts = null;
      open.segment.bytes = bytes;
      if (this.options.traceBytes) open.event.bytes = bytes;
    }
    this.extendedWrites = [];
  }

  private connect(connId: ConnId, host: string, port: number): void {
    const target = this.resolve(host, port);
    if (!target) {
      const input: ProcessInput = { kind: "connectFailed", conn: connId };
      this.pushLocal({ kind: "input", incarnation: this.incarnation, input }, this.now);
      return;
    }
    const conn: HostConn = {
      id: connId,
      peerPort: this.nextEphemeralPort++,
      a: { node: this.name, incarnation: this.incarnation, open: true },
      b: { node: target.name, incarnation: target.incarnation, open: true },
      created: [this.round, ...keyTuple(this.current), this.createdInStep++],
      dir: null,
      held: {},
    };
    this.conns.set(connId, conn);
    this.sendSegment(conn, target.name, {
      kind: "syn",
      peerPort: conn.peerPort,
      fromIncarnation: conn.a.incarnation,
      toIncarnation: conn.b.incarnation,
      created: conn.created,
    });
  }

  /**
   * The process closes its end: the peer sees a FIN after the path's latency,
   * behind the bytes sent before it. (The far end's state is not known here
   * mid-step, so the FIN always goes; a closed end ignores it.)
   */
  private close(connId: ConnId): void {
    const conn = this.conns.get(connId);
    if (!conn) return;
    const mine = conn.a.node === this.name ? conn.a : conn.b;
    const peer = mine === conn.a ? conn.b : conn.a;
    if (!mine.open) return;
    mine.open = false;
    this.trace.record({
      t: this.now,
      type: "connClose",
      conn: connId,
      from: this.name,
      to: peer.node,
      reason: "close",
    });
    if (peer.node !== this.name || peer.open) this.sendSegment(conn, peer.node, { kind: "fin" });
    else this.conns.delete(connId);
  }

  /** Which of my ends of connections with `peer` are open. */
  private openEndsWith(peer: string): ConnId[] {
    const open: ConnId[] = [];
    for (const conn of this.conns.values()) {
      const mine =
        conn.a.node === peer && conn.b.node === this.name
          ? conn.b
          : conn.b.node === peer && conn.a.node === this.name
            ? conn.a
            : null;
      if (mine?.open) open.push(conn.id);
    }
    return open;
  }

  /** `reset`: every connection with `peer` is gone, with what is in flight to me on it. */
  private reset(peer: string): void {
    for (const conn of this.connsInOrder()) {
      const between =
        (conn.a.node === this.name && conn.b.node === peer) ||
        (conn.a.node === peer && conn.b.node === this.name);
      if (!between) continue;
      this.queue.dropConnection(conn.id);
      this.conns.delete(conn.id);
      const ends: [ConnEnd, ConnEnd, number][] = [
        [conn.a, conn.b, 0],
        [conn.b, conn.a, 1],
      ];
      for (const [end, other, index] of ends) {
        if (end.node !== this.name || !end.open) continue;
        end.open = false;
        if (!this.process || this.incarnation !== end.incarnation) continue;
        this.trace.beginGroup([...conn.created, index]);
        this.trace.record({
          t: this.now,
          type: "connClose",
          conn: conn.id,
          from: other.node,
          to: end.node,
          reason: "reset",
        });
        const input: ProcessInput = { kind: "connectionClosed", conn: conn.id };
        this.pushLocal({ kind: "input", incarnation: this.incarnation, input }, this.now);
      }
    }
  }

  /** A heal: what was held on the healed paths into me is delivered, after the latency. */
  private release(pairs: readonly (readonly [string, string])[]): ReleasedDir[] {
    const released: ReleasedDir[] = [];
    const healed = (x: string, y: string) =>
      pairs.some(([p, q]) => (p === x && q === y) || (p === y && q === x));
    for (const conn of this.connsInOrder()) {
      for (const [from, held] of Object.entries(conn.held)) {
        if (!healed(from, this.name) || held.length === 0) continue;
        conn.held[from] = [];
        const at = this.now + this.network.path(from, this.name).latencyUs;
        for (const ev of held) this.queue.push({ ...ev, at });
        released.push({ conn: conn.id, from, at });
      }
    }
    return released;
  }

  /** The sending side of a release: later bytes are delivered after the released ones. */
  private bump(dirs: readonly ReleasedDir[]): void {
    for (const d of dirs) {
      const conn = this.conns.get(d.conn);
      if (d.from !== this.name || !conn) continue;
      const dir = this.direction(conn);
      dir.lastDeliverAt = Math.max(dir.lastDeliverAt, d.at);
    }
  }

  private connsInOrder(): HostConn[] {
    return [...this.conns.values()].sort((x, y) => compareSortKeys(x.created, y.created));
  }

  private sendSegment(
    conn: HostConn,
    to: string,
    body: DistributiveOmit<SegmentBody, "conn" | "from" | "to">,
  ): void {
    const dir = this.direction(conn);
    const path = this.network.path(this.name, to);
    const at = Math.max(
      this.now + path.latencyUs + this.jitter(to, path.jitterUs),
      dir.lastDeliverAt,
    );
    dir.lastDeliverAt = at;
    this.emit({
      at,
      source: this.rank,
      seq: this.seq++,
      ...body,
      conn: conn.id,
      from: this.name,
      to,
    });
  }

  private direction(conn: HostConn): Direction {
    return (conn.dir ??= { busyUntil: 0, lastDeliverAt: 0 });
  }

  /** Jitter comes from one stream per direction, so no other traffic changes it. */
  private jitter(to: string, maxUs: number): number {
    if (maxUs <= 0) return 0;
    let stream = this.jitterStreams.get(to);
    if (!stream) {
      stream = new JitterStream(this.options.seed, this.name, to);
      this.jitterStreams.set(to, stream);
    }
    return stream.next(maxUs);
  }

  /**
   * Finds the process listening at host name or IP and port, as the resolver
   * and the TCP stack would; none when nothing listens on that port there.
   */
  private resolve(host: string, port: number): PeerInfo | undefined {
    const peer = this.peers.find((p) => p.name === host) ?? this.peers.find((p) => p.ip === host);
    return peer?.port === port ? peer : undefined;
  }

  // ---- queue and outbox --------------------------------------------------

  /** A segment arriving from a peer (or from myself) joins the queue. */
  private receive(seg: Segment): void {
    if (seg.kind === "syn" && !this.conns.has(seg.conn)) {
      // The acceptor's end exists from the moment the SYN is on its way.
      this.conns.set(seg.conn, {
        id: seg.conn,
        peerPort: seg.peerPort,
        a: { node: seg.from, incarnation: seg.fromIncarnation, open: true },
        b: { node: seg.to, incarnation: seg.toIncarnation, open: true },
        created: seg.created,
        dir: null,
        held: {},
      });
    }
    this.queue.push(seg);
  }

  private emit(seg: Segment): void {
    if (seg.to === this.name) {
      this.receive(seg);
      return;
    }
    let out = this.outgoing.get(seg.to);
    if (!out) {
      out = [];
      this.outgoing.set(seg.to, out);
    }
    out.push(seg);
    this.sentTo.set(seg.to, (this.sentTo.get(seg.to) ?? 0) + 1);
    this.minSentAt = this.minSentAt === null ? seg.at : Math.min(this.minSentAt, seg.at);
  }

  private pushLocal(
    body: DistributiveOmit<LocalEvent, "at" | "source" | "seq">,
    at: VirtualTime,
  ): void {
    this.queue.push({ ...body, at, source: this.rank, seq: this.seq++ });
  }

  // ---- moving between workers --------------------------------------------

  private exportHost(): ExportedHost {
    this.joinOpenWrites();
    const deferred: Record<string, Segment[]> = {};
    for (const [to, segs] of this.outgoing) deferred[to] = segs;
    return { state: this.exportState(), deferred };
  }

  /** The host without its process, as plain data. */
  exportState(): HostState {
    return {
      name: this.name,
      ip: this.ip,
      rank: this.rank,
      incarnation: this.incarnation,
      seq: this.seq,
      nextEphemeralPort: this.nextEphemeralPort,
      now: this.now,
      stalledUntil: this.stalledUntil,
      timerAt: this.timerAt,
      restartSpec: this.restartSpec,
      queue: this.queue.items(),
      conns: [...this.conns.values()],
      jitterDraws: [...this.jitterStreams].map(([to, s]) => [to, s.draws] as const),
      network: this.network.state(),
      peers: this.peers,
    };
  }

  private restore(state: HostState): void {
    this.incarnation = state.incarnation;
    this.seq = state.seq;
    this.nextEphemeralPort = state.nextEphemeralPort;
    this.now = state.now;
    this.stalledUntil = state.stalledUntil;
    this.timerAt = state.timerAt;
    this.restartSpec = state.restartSpec;
    this.queue = new HostQueue(state.queue);
    for (const conn of state.conns) this.conns.set(conn.id, conn);
    for (const [to, draws] of state.jitterDraws) {
      this.jitterStreams.set(to, new JitterStream(this.options.seed, this.name, to, draws));
    }
    if (state.network) this.network = NetworkModel.fromState(state.network);
    this.peers = state.peers;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The label the engine gives the replication stream it propagates to replicas. */
const STREAM_LABEL = "stream";

type SendEvent = Mutable<Extract<TraceEvent, { type: "send" }>>;

type ReplyEvent = Extract<TraceEvent, { type: "reply" }>;

/**
 * A stream write still open in this step: its one segment and its trace
 * event, both extended in place, and the bytes appended to them so far
 * (null until the first), joined when the step ends.
 */
interface OpenWrite {
  readonly segment: Mutable<Extract<Segment, { kind: "deliver" }>>;
  readonly event: SendEvent;
  parts: ByteString[] | null;
  /** The sender's end, its direction and the path's latency (fixed for the step). */
  readonly end: ConnEnd;
  readonly dir: Direction;
  readonly latencyUs: number;
  /** What this step sends the peer so far: the write is extendable while it is the last. */
  readonly queue: readonly Segment[];
}

/** Whether two lists of parts hold equal strings in the same order (mostly the very same ones). */
function sameParts(a: readonly ByteString[], b: readonly ByteString[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `INFO` text as a field → value map (section headers and blank lines left out). */
function infoTextFields(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0 && !line.startsWith("#")) out.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return out;
}
