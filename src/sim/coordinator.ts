import type { ByteString } from "../engine/bytes";
import type { ProcessInput, VirtualTime } from "../engine/io";
import type { Reply } from "../engine/reply";
import type { NodeView } from "../engine/server/view";
import type { SentinelView } from "../engine/sentinel/view";
import type { ClientSpec, Cluster, Fault, NodeSnapshot, NodeSpec } from "./cluster";
import type { LedgerNodeState, LedgerSummary } from "./ledger";
import { Ledger } from "./ledger";
import { ClusterError, listenPort } from "./cluster";
import type { QueueKey } from "./eventQueue";
import { InputQueue } from "./inputQueue";
import { ChannelCounts } from "./channelCounts";
import type { HostSet } from "./hostSet";
import { emptyHostState } from "./hostState";
import type {
  ExportedHost,
  HarnessInput,
  HostAction,
  HostAnswer,
  HostReport,
  HostStep,
  PeerInfo,
  TraceRecord,
} from "./hostStep";
import { INPUTS_PER_STEP } from "./hostStep";
import { NetworkModel } from "./network";
import { earlierKey, endOf, startOf } from "./order";
import { isQuiet, trafficInFlight } from "./quiet";
import { mergeRecords } from "./traceMerge";
import type { TraceEvent } from "./trace";

/** Default Unix time at virtual time 0: 2026-01-01T00:00:00Z. */
export const DEFAULT_EPOCH_MS = 1767225600000;

/**
 * The most processes one run holds, servers, Sentinels and clients together:
 * in the page each is a Web Worker, and every window of time steps them all
 * (docs/limits.md). Scripts get the same limit everywhere, so a run that
 * works in `npm run sim` works in the page.
 */
export const MAX_PROCESSES = 16;

export interface CoordinatorOptions {
  readonly seed: number;
  readonly epochMs?: number;
  readonly version?: "7.0" | "6.2";
  /**
   * Keep only about this many of the newest trace events (the page, which
   * streams the trace to its store through `onTrace` and must not grow
   * without bound in a long run). Unset: keep every event (the runner's
   * `--trace`, the determinism tests).
   */
  readonly traceLimit?: number;
}

/** A process slot as the coordinator knows it: a name and address that outlive crashes. */
interface Slot {
  readonly name: string;
  readonly ip: string;
  /** 6379 for a server, 26379 for a Sentinel, 0 for a client (it listens nowhere). */
  readonly port: number;
  /** A slot keeps its kind across crashes and restarts. */
  readonly kind: "server" | "sentinel" | "client";
  readonly rank: number;
  /** How it was started, for a host whose worker failed. */
  readonly spec: NodeSpec;
  incarnation: number;
  running: boolean;
}

/** What `slotView` tells. */
export interface SlotView {
  readonly name: string;
  readonly ip: string;
  readonly port: number;
  readonly kind: "server" | "sentinel" | "client";
  readonly rank: number;
  readonly incarnation: number;
  readonly running: boolean;
  readonly stalledUntil: VirtualTime;
}

const IDLE: HostAction = { kind: "idle" };

/**
 * The lockstep clock of a cluster (conservative parallel discrete-event
 * simulation), over hosts that run in this thread or in workers:
 *
 * - Time advances in windows no longer than the lookahead (the smallest path
 *   latency), so nothing a host sends in a window can be due in it; empty time
 *   is skipped by starting each window at the earliest pending event.
 * - Every step goes to every host with the number of messages each peer has
 *   sent it so far; a host starts only when it holds them all.
 * - Faults, commands and process starts are steps too, applied between
 *   windows, when every host stands at the same instant.
 * - Hosts tag trace events with their place in the canonical order, and each
 *   window's events are merged by it, so the trace is the same whatever order
 *   the hosts ran in.
 */
export class Coordinator implements Cluster {
  private time: VirtualTime = 0;
  private round = 0;
  private readonly slots = new Map<string, Slot>();
  private readonly networkModel = new NetworkModel();
  private networkVersion = 0;
  private peersVersion = 0;
  private readonly seenNetwork = new Map<string, number>();
  private readonly seenPeers = new Map<string, number>();
  private readonly inputs = new Map<string, InputQueue>();
  private harnessSeq = 0;
  private readonly reports = new Map<string, HostReport>();
  private readonly counts = new ChannelCounts();
  private events: TraceEvent[] = [];
  private droppedEvents = 0;
  private readonly traceLimit: number;
  private readonly listeners = new Set<(events: readonly TraceEvent[]) => void>();
  private busy: Promise<unknown> = Promise.resolve();
  private readonly counters = { steps: 0, windows: 0 };
  private epochMs: number;
  private version: "7.0" | "6.2";
  private readonly ledgerBook = new Ledger();

  constructor(
    private readonly hosts: HostSet,
    options: CoordinatorOptions,
  ) {
    this.epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    this.version = options.version ?? "7.0";
    this.traceLimit = options.traceLimit ?? Infinity;
  }

  // ---- the Cluster interface ---------------------------------------------

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

  /** The trace: every event, or with a `traceLimit` the newest ones (at least that many). */
  trace(): readonly TraceEvent[] {
    return this.events;
  }

  /** How many of the oldest trace events a `traceLimit` let go (0 without one). */
  traceDropped(): number {
    return this.droppedEvents;
  }

  /** Steps sent to the hosts (each reaches every host) and windows run, so far. */
  stats(): { readonly steps: number; readonly windows: number } {
    return { ...this.counters };
  }

  /** The network's settings and partitions (read only: change them with `fault`). */
  get network(): Pick<NetworkModel, "path" | "isCut" | "cutPairs" | "minLatencyUs"> {
    return this.networkModel;
  }

  onTrace(listener: (events: readonly TraceEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Time of the next pending event anywhere, or null when nothing is scheduled. */
  nextEventTime(): VirtualTime | null {
    let next: VirtualTime | null = null;
    const consider = (t: VirtualTime | null) => {
      if (t !== null && (next === null || t < next)) next = t;
    };
    for (const r of this.reports.values()) {
      consider(r.nextAt);
      consider(r.minSentAt);
    }
    // Each host's inputs are queued in key order: the first is the earliest.
    for (const queue of this.inputs.values()) consider(queue.first()?.at ?? null);
    return next;
  }

  /** A process slot as of the last step: address, incarnation, whether it runs, until when it stalls. */
  slotView(name: string): SlotView | undefined {
    const slot = this.slots.get(name);
    if (!slot) return undefined;
    const { ip, port, kind, rank, incarnation, running } = slot;
    const stalledUntil = this.reports.get(name)?.quiet.stalledUntil ?? 0;
    return { name, ip, port, kind, rank, incarnation, running, stalledUntil };
  }

  /** Whether any byte, connect or close is in flight on a path that is not cut (Sentinel paths aside). */
  hasTrafficInFlight(): boolean {
    return trafficInFlight([...this.slots.values()], this.networkModel, this.summaries());
  }

  /**
   * Starts a server or a Sentinel. Either takes the next address of the
   * 10.0.0.N sequence. A Sentinel's monitors may name the master by node
   * name: it is replaced here by the node's address, so the Sentinel watches
   * an IP as it would from sentinel.conf.
   */
  startNode(spec: NodeSpec): Promise<void> {
    return this.exclusive(async () => {
      if (this.slots.has(spec.name)) throw new ClusterError(`node ${spec.name} already exists`);
      if (this.slots.size >= MAX_PROCESSES) {
        throw new ClusterError(
          `cannot start ${spec.name}: a run holds at most ${MAX_PROCESSES} processes (servers, Sentinels and clients)`,
        );
      }
      const resolved = this.resolveMonitors(spec);
      const rank = this.slots.size;
      const slot: Slot = {
        name: spec.name,
        ip: `10.0.0.${rank + 1}`,
        port: listenPort(spec),
        kind: spec.kind ?? "server",
        rank,
        spec: resolved,
        incarnation: 0,
        running: true,
      };
      this.slots.set(spec.name, slot);
      this.peersVersion++;
      await this.spawn(slot, null);
      await this.boundaryStep((s) => (s === slot ? this.bootAction(resolved) : IDLE));
    });
  }

  private resolveMonitors(spec: NodeSpec): NodeSpec {
    if (spec.kind === "client") return this.resolveRoute(spec);
    if (spec.kind !== "sentinel") return spec;
    const monitors = spec.monitors.map((m) => {
      const master = this.slots.get(m.masterHost);
      if (master?.kind === "sentinel")
        throw new ClusterError(`${m.masterHost} is a Sentinel, not a redis-server to monitor`);
      // An address is taken as it is (nothing may listen there); a name must be a node.
      if (!master && !/^\d+\.\d+\.\d+\.\d+$/.test(m.masterHost))
        throw new ClusterError(`unknown node ${m.masterHost}`);
      return master ? { ...m, masterHost: master.ip } : m;
    });
    return { ...spec, monitors };
  }

  /**
   * A client's route with addresses: every Sentinel monitoring its group (in
   * start order), or its node's address.
   */
  private resolveRoute(spec: ClientSpec): ClientSpec {
    const route = spec.route;
    if (route.kind === "node") {
      const node = this.slots.get(route.addr.ip);
      if (node?.kind !== "server") throw new ClusterError(`unknown node ${route.addr.ip}`);
      return { ...spec, route: { ...route, addr: { ip: node.ip, port: node.port } } };
    }
    const sentinels = [...this.slots.values()]
      .filter(
        (s) => s.spec.kind === "sentinel" && s.spec.monitors.some((m) => m.group === route.group),
      )
      .map((s) => ({ ip: s.ip, port: s.port }));
    if (sentinels.length === 0) {
      throw new ClusterError(`no Sentinel monitors a group named ${route.group}`);
    }
    return { ...spec, route: { ...route, sentinels } };
  }

  /** The ledger of writes acknowledged to application clients, checked now. */
  ledger(): Promise<LedgerSummary> {
    return this.exclusive(async () => {
      await this.checkLedger(true);
      return this.ledgerBook.summary();
    });
  }

  /**
   * After anything that may have discarded data, asks every running server
   * for its replication history and marks the writes no one holds as lost.
   */
  private async checkLedger(force = false): Promise<void> {
    if (!this.ledgerBook.needsCheck(this.time) && !force) return;
    const states: LedgerNodeState[] = [];
    for (const slot of this.slots.values()) {
      if (!slot.running || slot.kind !== "server") continue;
      const answer = await this.hosts.query(slot.name, { kind: "fields" });
      if (answer.kind !== "fields" || !answer.fields) continue;
      const f = answer.fields;
      states.push({
        node: slot.name,
        replId: f.get("master_replid") ?? "",
        replId2: f.get("master_replid2") ?? "",
        secondReplOffset: Number(f.get("second_repl_offset") ?? "-1"),
        offset: Number(f.get("master_repl_offset") ?? "0"),
      });
    }
    const changes = this.ledgerBook.check(this.time, states);
    if (changes.length > 0)
      this.record(changes.map((c) => ({ t: this.time, type: "ledger", ...c })));
  }

  command(
    node: string,
    client: string,
    argv: readonly ByteString[],
    maxWaitUs = 60_000_000,
  ): Promise<Reply> {
    return this.exclusive(async () => {
      const slot = this.requireRunningSlot(node);
      this.record([{ t: this.time, type: "command", node, client, argv }]);
      this.pushInput(slot, { kind: "clientCommand", client, argv });
      const deadline = this.time + maxWaitUs;
      for (;;) {
        const next = this.nextEventTime();
        if (next === null || next > deadline) {
          if (next !== null) await this.runUntil(deadline);
          throw new ClusterError(`no reply from ${node} within ${maxWaitUs / 1e6}s`);
        }
        const reply = await this.windowUntilReply(
          this.windowBound(next, endOf(deadline)),
          node,
          client,
        );
        if (reply) {
          await this.checkLedger();
          return reply;
        }
        if (!slot.running) throw new ClusterError(`${node} crashed before replying`);
      }
    });
  }

  submit(node: string, client: string, argv: readonly ByteString[]): Promise<void> {
    return this.exclusive(() => {
      const slot = this.requireRunningSlot(node);
      this.record([{ t: this.time, type: "command", node, client, argv }]);
      this.pushInput(slot, { kind: "clientCommand", client, argv });
      return Promise.resolve();
    });
  }

  /**
   * `submit` for many commands of one client at once: the same inputs and
   * the same trace as one `submit` per command, in one turn of the queue of
   * cluster operations instead of one per command (a page handing over a
   * burst of writes does it task by task, and each call costs main-thread time).
   */
  submitMany(
    node: string,
    client: string,
    commands: readonly (readonly ByteString[])[],
  ): Promise<void> {
    return this.exclusive(() => {
      const slot = this.requireRunningSlot(node);
      this.record(commands.map((argv) => ({ t: this.time, type: "command", node, client, argv })));
      for (const argv of commands) this.pushInput(slot, { kind: "clientCommand", client, argv });
      return Promise.resolve();
    });
  }

  loadRdb(node: string, bytes: ByteString): Promise<void> {
    return this.exclusive(() => {
      const slot = this.requireRunningSlot(node);
      if (slot.kind === "sentinel")
        throw new ClusterError(`${node} is a Sentinel: it has no keyspace`);
      this.record([{ t: this.time, type: "loadRdb", node, size: bytes.length }]);
      this.pushInput(slot, { kind: "loadRdb", bytes });
      return Promise.resolve();
    });
  }

  advance(durationUs: VirtualTime): Promise<void> {
    return this.exclusive(async () => {
      await this.runUntil(this.time + durationUs);
      await this.checkLedger();
    });
  }

  settle(maxUs: VirtualTime): Promise<boolean> {
    return this.exclusive(async () => {
      const deadline = this.time + maxUs;
      for (;;) {
        if (this.quiet()) {
          await this.checkLedger();
          return true;
        }
        const next = this.nextEventTime();
        if (next === null || next > deadline) {
          await this.runUntil(deadline);
          await this.checkLedger();
          return this.quiet();
        }
        // Finish every event of the next instant before looking again.
        await this.window(endOf(next));
      }
    });
  }

  fault(fault: Fault): Promise<void> {
    return this.exclusive(async () => {
      await this.applyFault(fault);
      await this.checkLedger();
    });
  }

  views(): Promise<readonly NodeView[]> {
    return this.exclusive(async () => {
      const views: NodeView[] = [];
      for (const slot of this.slots.values()) {
        if (!slot.running || slot.kind !== "server") continue;
        const answer = await this.hosts.query(slot.name, { kind: "view" });
        if (answer.kind === "view" && answer.view) views.push(answer.view);
      }
      return views;
    });
  }

  /** What the page draws of every running Sentinel, now. */
  sentinelViews(): Promise<readonly SentinelView[]> {
    return this.exclusive(async () => {
      const views: SentinelView[] = [];
      for (const slot of this.slots.values()) {
        if (!slot.running || slot.kind !== "sentinel") continue;
        const answer = await this.hosts.query(slot.name, { kind: "sentinelView" });
        if (answer.kind === "sentinelView" && answer.view) views.push(answer.view);
      }
      return views;
    });
  }

  infoText(node: string, section: string): Promise<string> {
    return this.exclusive(async () => {
      this.requireRunning(node);
      const answer = await this.hosts.query(node, { kind: "info", section });
      return answer.kind === "info" && answer.text !== null ? answer.text : notRunning(node);
    });
  }

  snapshot(node: string): Promise<NodeSnapshot> {
    return this.exclusive(async () => {
      const slot = this.requireSlot(node);
      if (!slot.running) return { name: node, running: false, info: new Map<string, string>() };
      const answer: HostAnswer = await this.hosts.query(node, { kind: "fields" });
      const info =
        answer.kind === "fields" && answer.fields ? answer.fields : new Map<string, string>();
      return { name: node, running: true, info };
    });
  }

  keyspaceDigest(node: string): Promise<string> {
    return this.exclusive(async () => {
      const slot = this.requireRunning(node);
      if (slot.kind === "sentinel")
        throw new ClusterError(`${node} is a Sentinel: it has no keyspace`);
      const answer = await this.hosts.query(node, { kind: "digest" });
      return answer.kind === "digest" && answer.digest !== null ? answer.digest : notRunning(node);
    });
  }

  dumpRdb(node: string): Promise<ByteString> {
    return this.exclusive(async () => {
      const slot = this.requireRunning(node);
      if (slot.kind === "sentinel")
        throw new ClusterError(`${node} is a Sentinel: it has no keyspace`);
      const answer = await this.hosts.query(node, { kind: "rdb" });
      return answer.kind === "rdb" && answer.rdb !== null ? answer.rdb : notRunning(node);
    });
  }

  // ---- windows -----------------------------------------------------------

  /** Runs every event up to and including time `t`, window by window. */
  private async runUntil(t: VirtualTime): Promise<void> {
    for (;;) {
      const next = this.nextEventTime();
      if (next === null || next > t) break;
      await this.window(this.windowBound(next, endOf(t)));
    }
    this.time = Math.max(this.time, t);
  }

  /** A window from `start` no longer than the lookahead, and not past `limit`. */
  private windowBound(start: VirtualTime, limit: QueueKey): QueueKey {
    const lookahead = this.networkModel.minLatencyUs();
    if (!(lookahead > 0))
      throw new ClusterError("every path needs a latency above 0: it is the lookahead");
    return earlierKey(startOf(start + lookahead), limit);
  }

  /** One window: every host fires its events before `bound`. */
  private async window(bound: QueueKey): Promise<void> {
    this.round++;
    this.counters.windows++;
    const reports = await this.runSteps(() => ({ kind: "run", bound }));
    this.advanceClock(reports);
    this.appendRecords(reports);
  }

  /**
   * Steps every host with `action`, then again (resuming) those that stopped
   * with `more` before their bound, until none has: one part of a window,
   * however long its burst. Returns every report, in step order.
   *
   * Only the unfinished hosts take part in the resuming steps. The others
   * would be idle in them (everything they could fire lies past the bound),
   * and an idle step only takes in what was sent: that can wait for one
   * closing idle step, which gives their reports what the resumed hosts
   * sent, for the next window and the settle condition. In a burst of
   * 20,000 writes this spares 3 replicas 9 round trips to the main thread
   * each, which on a busy machine waited for each replica's worker to be
   * scheduled.
   */
  private async runSteps(action: (slot: Slot) => HostAction): Promise<HostReport[]> {
    let reports = await this.stepAll(action);
    const all = [...reports.values()];
    const unfinished = (s: Slot) =>
      action(s).kind === "run" && (reports.get(s.name)?.more === true || this.inputs.has(s.name));
    const resume = (s: Slot): HostAction => {
      const a = action(s);
      return a.kind === "run" ? { ...a, resume: true } : IDLE;
    };
    let again = new Set([...this.slots.values()].filter(unfinished));
    let resumed = false;
    let ahead: Promise<ReadonlyMap<string, HostReport>> | null = null;
    while (again.size > 0) {
      const stepped = again;
      const current = ahead ?? this.stepAll(resume, stepped);
      // A host resumed alone that still holds inputs is stepped again whatever
      // it reports, and that step does not depend on the report (the others
      // stand still, so the counts into it do not change): post it now, and
      // the worker finds it waiting instead of idling while this thread reads
      // its report and packs the next inputs.
      const [only] = stepped;
      ahead =
        stepped.size === 1 && only && this.inputs.has(only.name)
          ? this.stepAll(resume, stepped)
          : null;
      reports = await current;
      all.push(...reports.values());
      resumed = true;
      // A step posted ahead is the next one (those hosts held inputs, so they were unfinished).
      again = ahead ? stepped : new Set([...stepped].filter(unfinished));
    }
    if (resumed) {
      const last = new Set(reports.keys());
      const rest = new Set([...this.slots.values()].filter((s) => !last.has(s.name)));
      if (rest.size > 0) all.push(...(await this.stepAll(() => IDLE, rest)).values());
    }
    return all;
  }

  /**
   * A window while a command waits: the node runs first and stops right after
   * the event that answers the client; the others then run up to that point
   * of the canonical order, as one global queue would have stopped there.
   */
  private async windowUntilReply(
    bound: QueueKey,
    node: string,
    client: string,
  ): Promise<Reply | null> {
    this.round++;
    this.counters.windows++;
    const first = await this.runSteps((s) =>
      s.name === node ? { kind: "run", bound, stopOnReplyTo: client } : IDLE,
    );
    const answered = first.filter((r) => r.name === node).pop();
    const stop = answered?.stoppedAt;
    const rest = await this.runSteps((s) =>
      s.name === node ? IDLE : { kind: "run", bound: stop ?? bound },
    );
    this.advanceClock([...first, ...rest]);
    this.appendRecords([...first, ...rest]);
    if (!stop || !answered) return null;
    const last = answered.records[answered.records.length - 1];
    for (const e of last?.events ?? [])
      if (e.type === "reply" && e.client === client) return e.reply;
    return null;
  }

  private advanceClock(reports: Iterable<HostReport>): void {
    for (const r of reports) this.time = Math.max(this.time, r.now);
  }

  // ---- faults ------------------------------------------------------------

  private async applyFault(fault: Fault): Promise<void> {
    switch (fault.kind) {
      case "cut":
        this.requireSlot(fault.a);
        if (fault.b !== undefined) {
          this.requireSlot(fault.b);
          this.networkModel.cut(fault.a, fault.b);
        } else {
          for (const other of this.slots.keys())
            if (other !== fault.a) this.networkModel.cut(fault.a, other);
        }
        this.networkVersion++;
        this.record([
          {
            t: this.time,
            type: "fault",
            fault: "cut",
            nodes: fault.b ? [fault.a, fault.b] : [fault.a],
          },
        ]);
        return;
      case "heal": {
        const healed =
          fault.a !== undefined && fault.b !== undefined
            ? this.networkModel.heal(fault.a, fault.b)
              ? [[fault.a, fault.b] as const]
              : []
            : this.networkModel.healAll(fault.a);
        this.networkVersion++;
        if (healed.length > 0) await this.release(healed);
        const nodes = [fault.a, fault.b].filter((n): n is string => !!n);
        this.record([{ t: this.time, type: "fault", fault: "heal", nodes }]);
        return;
      }
      case "reset": {
        this.requireSlot(fault.a);
        this.requireSlot(fault.b);
        this.record([{ t: this.time, type: "fault", fault: "reset", nodes: [fault.a, fault.b] }]);
        const { a, b } = fault;
        await this.boundaryStep((s) =>
          s.name === a
            ? { kind: "reset", peer: b }
            : s.name === b
              ? { kind: "reset", peer: a }
              : IDLE,
        );
        return;
      }
      case "crash":
        return this.crash(fault.node);
      case "restart":
        return this.restart(fault.node);
      case "sleep": {
        const slot = this.requireSlot(fault.node);
        await this.boundaryStep((s) =>
          s === slot ? { kind: "sleep", durationUs: fault.durationUs } : IDLE,
        );
        return;
      }
      case "network":
        this.networkModel.setDefaults(fault.settings);
        this.networkVersion++;
        return;
      case "link":
        this.requireSlot(fault.a);
        this.requireSlot(fault.b);
        this.networkModel.setPath(fault.a, fault.b, fault.settings);
        this.networkVersion++;
        return;
    }
  }

  /** A heal: receivers deliver what they held, then senders queue later bytes behind it. */
  private async release(pairs: readonly (readonly [string, string])[]): Promise<void> {
    const reports = await this.boundaryStep(() => ({ kind: "release", pairs }));
    const released = [...reports.values()].flatMap((r) => r.released ?? []);
    if (released.length === 0) return;
    await this.boundaryStep((s) => {
      const dirs = released.filter((d) => d.from === s.name);
      return dirs.length > 0 ? { kind: "bump", dirs } : IDLE;
    });
  }

  /** `crash`: the process dies (the worker is terminated); its machine lives on in a new one. */
  private async crash(name: string): Promise<void> {
    const slot = this.requireRunning(name);
    // Which far ends are open decides where a FIN goes: read it while everyone stands still.
    const ends = await this.boundaryStep((s) =>
      s === slot ? IDLE : { kind: "openEnds", peer: name },
    );
    const peerOpen = [...ends.values()].flatMap((r) => r.openEnds ?? []);
    const reports = await this.boundaryStep((s) =>
      s === slot ? { kind: "crash", peerOpen } : IDLE,
    );
    slot.running = false;
    await this.respawn(slot, reports.get(name)?.exported ?? null);
  }

  /** `restart`: a new process (in a new worker) at the same address. */
  private async restart(name: string): Promise<void> {
    const slot = this.requireSlot(name);
    if (slot.running) throw new ClusterError(`${name} is running; crash it first`);
    const reports = await this.boundaryStep((s) => (s === slot ? { kind: "export" } : IDLE));
    await this.respawn(slot, reports.get(name)?.exported ?? null);
    slot.incarnation++;
    this.peersVersion++;
    slot.running = true;
    await this.boundaryStep((s) => (s === slot ? this.bootAction() : IDLE));
  }

  private bootAction(spec?: NodeSpec): HostAction {
    return {
      kind: "boot",
      ...(spec ? { spec } : {}),
      epochMs: this.epochMs,
      version: this.version,
    };
  }

  // ---- steps -------------------------------------------------------------

  /** A step between windows (a fault, a start): its trace follows at once. */
  private async boundaryStep(
    action: (slot: Slot) => HostAction,
  ): Promise<ReadonlyMap<string, HostReport>> {
    this.round++;
    const reports = await this.stepAll(action);
    this.appendRecords([...reports.values()]);
    return reports;
  }

  /**
   * One step on every host (or on `only` those); records what the reports say
   * about channels and processes.
   */
  private async stepAll(
    action: (slot: Slot) => HostAction,
    only?: ReadonlySet<Slot>,
  ): Promise<ReadonlyMap<string, HostReport>> {
    const steps = new Map<string, HostStep>();
    const peers = this.peerTable();
    for (const slot of this.slots.values()) {
      if (only && !only.has(slot)) continue;
      const network =
        this.seenNetwork.get(slot.name) !== this.networkVersion
          ? this.networkModel.state()
          : undefined;
      const newPeers = this.seenPeers.get(slot.name) !== this.peersVersion ? peers : undefined;
      this.seenNetwork.set(slot.name, this.networkVersion);
      this.seenPeers.set(slot.name, this.peersVersion);
      const inputs = this.takeInputs(slot.name);
      let hostAction = action(slot);
      // Inputs go over in parts (one message must not grow with a burst), so a
      // run may not pass the first input still held here.
      const held = this.inputs.get(slot.name)?.first();
      if (held && hostAction.kind === "run")
        hostAction = { ...hostAction, bound: earlierKey(hostAction.bound, held) };
      steps.set(slot.name, {
        round: this.round,
        now: this.time,
        expect: this.counts.expect(slot.name, this.slots.keys()),
        inputs,
        ...(network ? { network } : {}),
        ...(newPeers ? { peers: newPeers } : {}),
        action: hostAction,
      });
    }
    this.counters.steps++;
    const reports = await this.hosts.step(steps);
    const failed: Slot[] = [];
    for (const slot of this.slots.values()) {
      const r = reports.get(slot.name);
      if (!r) continue;
      this.reports.set(slot.name, r);
      if (r.failed !== undefined) {
        if (slot.running) failed.push(slot);
        slot.running = false;
        continue;
      }
      this.counts.update(slot.name, r.sent);
      slot.running = r.running;
    }
    for (const slot of failed) await this.hostFailed(slot, reports.get(slot.name)?.failed ?? "");
    return reports;
  }

  /**
   * A worker failed outside the engine (a bug in the host, or it ran out of
   * memory): show its process as crashed with the message and give the slot
   * an empty machine, so the rest of the cluster carries on.
   */
  private async hostFailed(slot: Slot, message: string): Promise<void> {
    this.record([{ t: this.time, type: "nodeCrashed", node: slot.name, error: message }]);
    await this.respawn(slot, {
      state: emptyHostState(slot, this.time, slot.spec),
      deferred: {},
    });
  }

  /** Replaces a slot's host with a new one started from `from`. */
  private async respawn(slot: Slot, from: ExportedHost | null): Promise<void> {
    this.hosts.terminate(slot.name);
    await this.spawn(slot, from);
  }

  /** Starts a host with fresh channels to every other host. */
  private async spawn(slot: Slot, from: ExportedHost | null): Promise<void> {
    const deferredTo = Object.entries(from?.deferred ?? {}).filter(
      ([, segments]) => segments.length > 0,
    );
    this.counts.restart(
      slot.name,
      this.slots.keys(),
      deferredTo.map(([peer]) => peer),
    );
    this.seenNetwork.delete(slot.name);
    this.seenPeers.delete(slot.name);
    await this.hosts.spawn({ name: slot.name, ip: slot.ip, rank: slot.rank, from });
  }

  /** The inputs a step hands a host: the oldest, at most `INPUTS_PER_STEP` of them. */
  private takeInputs(name: string): HarnessInput[] {
    const queue = this.inputs.get(name);
    if (!queue) return [];
    const taken = queue.take(INPUTS_PER_STEP);
    if (queue.size === 0) this.inputs.delete(name);
    return taken;
  }

  private pushInput(slot: Slot, input: ProcessInput): void {
    let queue = this.inputs.get(slot.name);
    if (!queue) this.inputs.set(slot.name, (queue = new InputQueue()));
    queue.push({
      at: this.time,
      source: -1,
      seq: this.harnessSeq++,
      kind: "input",
      incarnation: slot.incarnation,
      input,
    });
  }

  private peerTable(): PeerInfo[] {
    return [...this.slots.values()].map((s) => ({
      name: s.name,
      ip: s.ip,
      port: s.port,
      rank: s.rank,
      incarnation: s.incarnation,
    }));
  }

  private summaries() {
    return new Map([...this.reports].map(([name, r]) => [name, r.quiet] as const));
  }

  /** Nothing left to run: no host busy, nothing in flight, no input handed over but not yet run. */
  private quiet(): boolean {
    return (
      this.inputs.size === 0 &&
      isQuiet(this.time, [...this.slots.values()], this.networkModel, this.summaries())
    );
  }

  // ---- trace -------------------------------------------------------------

  /**
   * Merges the hosts' records of one step (or of the steps of one window, a
   * host's in the order it made them) into the canonical order and appends them.
   */
  private appendRecords(reports: readonly HostReport[]): void {
    const byHost = new Map<string, { name: string; records: TraceRecord[] }>();
    for (const r of reports) {
      const host = byHost.get(r.name) ?? { name: r.name, records: [] };
      byHost.set(r.name, host);
      for (const record of r.records) host.records.push(record);
    }
    const events = mergeRecords([...byHost.values()], (name) => this.slots.get(name)?.rank ?? 0);
    if (events.length > 0) this.record(events);
  }

  private record(events: readonly TraceEvent[]): void {
    for (const e of events) this.events.push(e);
    // Dropped in halves, so each event is moved at most once on average.
    if (this.events.length >= 2 * this.traceLimit) {
      const drop = this.events.length - this.traceLimit;
      this.events = this.events.slice(drop);
      this.droppedEvents += drop;
    }
    for (const listener of this.listeners) listener(events);
    const changes = this.ledgerBook.ingest(events);
    if (changes.length > 0)
      this.record(changes.map((c) => ({ t: this.time, type: "ledger", ...c })));
  }

  // ---- helpers -----------------------------------------------------------

  private requireSlot(name: string): Slot {
    const slot = this.slots.get(name);
    if (!slot) throw new ClusterError(`unknown node ${name}`);
    return slot;
  }

  /** An existing node that must be running. */
  private requireRunning(name: string): Slot {
    const slot = this.requireSlot(name);
    if (!slot.running) throw new ClusterError(`${name} is not running`);
    return slot;
  }

  /** A node a client can talk to (an unknown one is "not running" too, as a refused connection). */
  private requireRunningSlot(name: string): Slot {
    const slot = this.slots.get(name);
    if (!slot?.running) throw new ClusterError(`${name} is not running`);
    return slot;
  }

  /** Runs cluster operations one at a time, in call order. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.busy.then(task, task);
    this.busy = run.catch(() => undefined);
    return run;
  }
}

function notRunning(node: string): never {
  throw new ClusterError(`${node} is not running`);
}
