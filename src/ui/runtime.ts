import type { ByteString } from "../engine/bytes";
import type { SentinelView } from "../engine/sentinel/view";
import { utf8ToBytes } from "../engine/bytes";
import type { VirtualTime } from "../engine/io";
import { Playback } from "../host/playback";
import type { Speed } from "../host/playback";
import { WorkerCluster } from "../host/workerCluster";
import type { WorkerFactory } from "../host/workerHosts";
import type { Fault } from "../sim/cluster";
import { ClusterError } from "../sim/cluster";
import type { TraceEvent } from "../sim/trace";
import { readConsoleLine } from "./nodes/consoleInput";
import type { Flight } from "./playback/pacing";
import { SPEEDS, nextArrival, virtualRate } from "./playback/pacing";
import { anyStreaming } from "./packets/flows";
import { setupScript } from "./script/actionScript";
import type { PageCluster } from "./session/gatedCluster";
import type { PageAction } from "./session/pageActions";
import { Session } from "./session/session";
import type { NextPress } from "./session/session";
import { ingestWithinBudget } from "./traceIngest";
import { flushDelayMs } from "./runtimeFlush";
import { appendConsole, clearConsole, reduceViews } from "./store/reduceTrace";
import type { PlaygroundState } from "./store/state";
import { pairKey } from "./store/state";
import type { PlaygroundStore } from "./store/store";
import { DEFAULT_SEED, NODE_CONFIG } from "./pageDefaults";

export type { PageCluster };

/**
 * The one place that chooses how the cluster runs: one Web Worker per node
 * (`WorkerCluster`, the page's default), or every node in the page's own
 * thread (`?cluster=inprocess`, for comparing and debugging). Everything else
 * talks to the `Cluster` interface.
 */
export async function createCluster(
  seed: number,
  search = "",
  createWorker?: WorkerFactory,
): Promise<PageCluster> {
  if (inProcess(search)) {
    // Loaded only when asked for: the engine otherwise lives in the node workers alone.
    const { InProcessCluster } = await import("../sim/inProcessCluster");
    return new InProcessCluster({ seed });
  }
  return new WorkerCluster(createWorker ? { seed, createWorker } : { seed });
}

/** `?cluster=inprocess`: every node in the page's own thread. */
export function inProcess(search: string): boolean {
  return new URLSearchParams(search).get("cluster") === "inprocess";
}

/** What the components may ask of the running cluster. */
export interface PlaygroundActions {
  /** Runs a line typed into a node's console, as redis-cli would send it. */
  submitLine(node: string, line: string): void;
  /** Sends a command on a node's console, echoing it there first (buttons use this). */
  runCommand(node: string, argv: readonly string[]): void;
  fault(fault: Fault): void;
  addReplica(master: string): void;
  /** Crashes the node (a `crash` line) and hides it from every view. */
  removeNode(node: string): void;
  /** Starts a Sentinel watching `master` (quorum: a majority of the page's Sentinels). */
  addSentinel(master: string): void;
  /** Writes keys with sizeable values on a master, to move its backlog (not echoed). */
  writeBurst(master: string, count: number, valueBytes: number): void;
  /** The node's dataset as a `dump.rdb` file, now (a query: it changes nothing). */
  dumpRdb(node: string): Promise<ByteString>;
  /** The current run's trace, as far as the page keeps it (for the export; a query). */
  traceEvents(): Promise<readonly TraceEvent[]>;
  /** The guided Next presses of the run shown, up to now (for a share link; a query). */
  nextPresses(): readonly NextPress[];
  /** Loads a `dump.rdb` into the node at the current virtual time (the outcome shows in the log). */
  loadRdb(node: string, bytes: ByteString): void;
  setPaused(paused: boolean): void;
  setSpeed(speed: Speed): void;
  /** Pauses, then runs until the next thing the page shows happens (a send, a delivery, a log line). */
  step(): void;

  // ---- scripts and time travel (src/ui/session/) ---------------------------
  // Stable API: the share links and the embed's postMessage API call these.

  /**
   * Replaces the run with a fresh cluster running `text` (a scenario script)
   * from virtual time 0. Parse errors go to `state.scriptErrors` and the
   * current run goes on; it never throws. `name` is the built-in's name or a
   * file name (`state.script.name`); `seekUs` then travels to that moment;
   * `autoplay: false` loads it paused.
   */
  loadScript(text: string, options?: LoadScriptOptions): void;
  /** Lets the run go past the `step` it stands before (the guided "Next"). */
  nextStep(): void;
  /** Rebuilds the run as it stood before the step shown now (the guided "Back"). */
  previousStep(): void;
  /** Time travel: rebuilds the cluster as it was at virtual time `tUs` (clamped to the run). */
  seek(tUs: number): void;
  /** Travels back to the last moment before now at which something visible happened. */
  stepBack(): void;
  /** Keeps the run as it was and continues from the moment shown, as a new run, with new actions. */
  fork(): void;
  /** Returns to a run kept by `fork` (`state.runs[].id`), at its end. */
  selectRun(id: number): void;
}

export interface LoadScriptOptions {
  readonly name?: string;
  readonly seekUs?: number;
  /** Default true. */
  readonly autoplay?: boolean;
  /** Next presses to replay on the way to `seekUs` (a share link of a guided run). */
  readonly nexts?: readonly NextPress[];
}

/** How often node views are fetched when nothing happened (TTLs and INFO's seconds still move). */
const IDLE_VIEWS_EVERY_WALL_MS = 500;
/**
 * The most often they are fetched while things happen: ten times a second,
 * more than a reader can follow, and each fetch costs a round trip to every
 * node and a render of every panel.
 */
const BUSY_VIEWS_EVERY_WALL_MS = 100;
/**
 * While a link streams (hundreds of commands a second), offsets and keys
 * change faster than anyone reads them: four times a second is enough, and
 * every fetch redraws every panel.
 */
const STREAMING_VIEWS_EVERY_WALL_MS = 250;
/** How far a step looks for something visible before it gives up. */
const STEP_LIMIT_US = 30_000_000;

/**
 * Drives the cluster from the page: starts the nodes, lets the host's
 * `Playback` advance virtual time at the reader's pace (slowed while single
 * packets are in flight, so they can be seen crossing; not while a link
 * streams: playback/pacing.ts), turns trace events into store
 * updates through `reduceTrace`, and carries out the reader's actions, each
 * recorded as a scenario line. Every call into the cluster goes through the
 * playback's queue, so none runs in the middle of a slice of time.
 */
export class Runtime implements PlaygroundActions {
  private readonly cluster: PageCluster;
  private readonly playback: Playback;
  /** The script, the reader's actions and time travel (src/ui/session/). */
  private readonly session: Session;
  private pending: TraceEvent[] = [];
  private viewsStale = true;
  private lastViewsAt = -Infinity;
  private viewsInFlight = false;
  private viewsFrame = 0;
  private stopped = false;
  private unsubscribe: () => void = () => undefined;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  /** Wall time of the last flush, and the flush a slice of time at "max" waits for. */
  private lastFlushWallMs = -Infinity;
  private sliceFlushTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly store: PlaygroundStore,
    cluster: PageCluster,
    seed = DEFAULT_SEED,
    /** A fresh cluster for a replay (time travel) or another script. */
    createFresh: (seed: number) => Promise<PageCluster> = (s) => createCluster(s),
  ) {
    this.session = new Session(store, cluster, seed, {
      run: (task) => this.enqueue(task),
      flush: () => this.flush(),
      discardPending: () => {
        this.pending = [];
      },
      refreshViews: () => this.refreshViews(),
      createCluster: createFresh,
      setPaused: (paused) => this.setPaused(paused),
    });
    // The playback and the views see the session's gated cluster, which follows the current run.
    this.cluster = this.session.gate;
    this.store.setState({ seed });
    this.playback = new Playback(this.cluster, {
      rate: (now) => {
        const s = this.store.getState();
        return virtualRate(now, flying(s), anyStreaming(s.flows, now));
      },
      // While a stream runs the pace is steady: a frame's time goes in one slice.
      boundary: (now) => {
        const s = this.store.getState();
        return anyStreaming(s.flows, now) ? null : nextArrival(now, flying(s));
      },
      steady: (now) => {
        const s = this.store.getState();
        return anyStreaming(s.flows, now);
      },
      onAdvance: () => this.afterSlice(),
      onError: (e) => this.report(e),
    });
  }

  /**
   * Starts the playback and the view refreshes, and runs `script`, or by
   * default a script that starts `nodes` (the page's default run is a script
   * too); returns `stop`.
   */
  start(
    nodes: readonly { name: string; replicaOf?: string }[],
    script?: LoadScriptOptions & { readonly text: string },
  ): () => void {
    this.unsubscribe = this.cluster.onTrace((events) => {
      for (const e of events) this.pending.push(e);
    });
    const seed = this.store.getState().seed;
    const loaded =
      script !== undefined &&
      this.session.load(script.text, script.name ?? null, script.seekUs, script.nexts);
    if (!loaded) this.session.load(setupScript({ seed, config: NODE_CONFIG, nodes }), null);
    this.playback.start();
    const refresh = (wallMs: number) => {
      if (this.stopped) return;
      const s = this.store.getState();
      const every = !this.viewsStale
        ? IDLE_VIEWS_EVERY_WALL_MS
        : anyStreaming(s.flows, s.now)
          ? STREAMING_VIEWS_EVERY_WALL_MS
          : BUSY_VIEWS_EVERY_WALL_MS;
      if (!this.viewsInFlight && wallMs - this.lastViewsAt >= every) {
        this.lastViewsAt = wallMs;
        this.enqueue(() => this.refreshViews());
      }
      this.viewsFrame = requestAnimationFrame(refresh);
    };
    this.viewsFrame = requestAnimationFrame(refresh);
    return () => {
      this.stopped = true;
      this.playback.stop();
      cancelAnimationFrame(this.viewsFrame);
      this.unsubscribe();
    };
  }

  // ---- actions -------------------------------------------------------------

  submitLine(node: string, line: string): void {
    const input = readConsoleLine(line);
    switch (input.kind) {
      case "empty":
        return;
      case "clear":
        this.store.setState((s) => clearConsole(s, node));
        return;
      case "error":
        this.store.setState((s) =>
          appendConsole(s, node, [
            { kind: "input", text: input.echo },
            { kind: "error", text: input.message },
          ]),
        );
        return;
      case "command":
        this.send(node, line, input.argv);
        return;
    }
  }

  runCommand(node: string, argv: readonly string[]): void {
    const line = argv.map((a) => (/^[\x21-\x7e]+$/.test(a) ? a : JSON.stringify(a))).join(" ");
    this.send(node, line, argv.map(utf8ToBytes));
  }

  private send(node: string, line: string, argv: readonly string[]): void {
    if (!this.store.getState().nodes[node]?.running) {
      this.store.setState((s) =>
        appendConsole(s, node, [
          { kind: "input", text: line },
          { kind: "error", text: `Could not connect to Redis at ${node}:6379: Connection refused` },
        ]),
      );
      return;
    }
    this.perform({ kind: "command", node, text: line, argv });
  }

  fault(fault: Fault): void {
    this.perform({ kind: "fault", fault });
  }

  addReplica(master: string): void {
    this.perform({ kind: "addReplica", master, config: NODE_CONFIG });
  }

  removeNode(node: string): void {
    this.perform({ kind: "removeNode", node });
  }

  addSentinel(master: string): void {
    const s = this.store.getState();
    const sentinels = Object.values(s.nodes).filter((n) => n.kind === "sentinel").length;
    let n = 1;
    while (s.nodes[`s${n}`]) n++;
    const quorum = Math.floor((sentinels + 1) / 2) + 1;
    this.perform({ kind: "addSentinel", name: `s${n}`, master, quorum });
  }

  writeBurst(master: string, count: number, valueBytes: number): void {
    this.perform({ kind: "writeBurst", master, count, valueBytes });
  }

  /** Every action goes through the session, which applies and records it (session/pageActions.ts). */
  private perform(action: PageAction): void {
    this.session.perform(action);
  }

  dumpRdb(node: string): Promise<ByteString> {
    return this.playback.run(() => this.cluster.dumpRdb(node));
  }

  traceEvents(): Promise<readonly TraceEvent[]> {
    return this.playback.run(() => Promise.resolve(this.cluster.trace()));
  }

  nextPresses(): readonly NextPress[] {
    return this.session.nextPresses();
  }

  loadRdb(node: string, bytes: ByteString): void {
    this.perform({ kind: "loadRdb", node, bytes });
    this.enqueue(() => this.refreshViews());
  }

  setPaused(paused: boolean): void {
    if (paused) this.playback.pause();
    else this.playback.resume();
    this.store.setState({ paused });
  }

  setSpeed(speed: Speed): void {
    if (speed !== "max" && !SPEEDS.includes(speed)) return;
    this.playback.setSpeed(speed);
    this.store.setState({ speed });
  }

  step(): void {
    this.setPaused(true);
    this.enqueue(async () => {
      const start = this.cluster.now();
      for (;;) {
        const now = this.cluster.now();
        const next = this.nextBoundary(now);
        if (next === null || next - start > STEP_LIMIT_US) {
          await this.cluster.advance(
            next === null ? 1000 : Math.max(0, start + STEP_LIMIT_US - now),
          );
          break;
        }
        await this.cluster.advance(Math.max(0, next - now));
        if (this.pending.some(visibleEvent)) break;
      }
      this.flush();
      await this.refreshViews();
    });
  }

  // ---- scripts and time travel ---------------------------------------------

  loadScript(text: string, options: LoadScriptOptions = {}): void {
    if (!this.session.load(text, options.name ?? null, options.seekUs, options.nexts)) return;
    if (options.autoplay !== undefined) this.setPaused(!options.autoplay);
  }

  nextStep(): void {
    this.session.perform({ kind: "next" });
  }

  previousStep(): void {
    this.session.previousStep();
  }

  seek(tUs: number): void {
    this.setPaused(true);
    this.session.seek(tUs);
  }

  stepBack(): void {
    this.setPaused(true);
    this.session.stepBack();
  }

  fork(): void {
    this.session.fork();
  }

  selectRun(id: number): void {
    this.session.selectRun(id);
  }

  // ---- plumbing ------------------------------------------------------------

  /** The next time anything is due: an event in the cluster, or a packet's arrival. */
  private nextBoundary(now: VirtualTime): VirtualTime | null {
    const event = this.cluster.nextEventTime();
    const arrival = nextArrival(now, flying(this.store.getState()));
    if (event === null) return arrival;
    if (arrival === null) return event;
    return Math.min(event, arrival);
  }

  /** After a slice of time: flush now, or at "max" once the last flush is old enough (runtimeFlush.ts). */
  private afterSlice(): void {
    const delay = flushDelayMs(this.playback.state.speed, performance.now() - this.lastFlushWallMs);
    if (delay <= 0) {
      this.flush();
      return;
    }
    this.sliceFlushTimer ??= setTimeout(() => {
      this.sliceFlushTimer = null;
      if (!this.stopped) this.flush();
    }, delay);
  }

  /** Moves buffered trace events into the store, and the clock with them. */
  private flush(): void {
    this.lastFlushWallMs = performance.now();
    const events = this.pending;
    this.pending = [];
    const now = this.cluster.now();
    if (events.length > 0) this.viewsStale = true;
    else if (now === this.store.getState().now) return;
    const timeline = this.session.timeline(now);
    // A burst is folded in over several tasks, a frame's budget each, so the page keeps drawing.
    const { state, rest } = ingestWithinBudget(this.store.getState(), events, now);
    this.pending = rest.concat(this.pending);
    this.store.setState({ ...state, timeline });
    if (this.pending.length > 0 && this.flushTimer === null)
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        if (!this.stopped) this.flush();
      }, 0);
  }

  private async refreshViews(): Promise<void> {
    this.viewsStale = false;
    this.viewsInFlight = true;
    try {
      const views = await this.cluster.views();
      const sentinels = await this.sentinelViews();
      this.store.setState((s) => reduceViews(s, views, sentinels));
    } finally {
      this.viewsInFlight = false;
    }
  }

  /** The Sentinels' views, when the page has Sentinels (the run's cluster can tell them). */
  private async sentinelViews(): Promise<readonly SentinelView[] | undefined> {
    const { nodes } = this.store.getState();
    if (!Object.values(nodes).some((n) => n.kind === "sentinel")) return undefined;
    const inner = this.session.gate.inner;
    return viewsSentinels(inner) ? inner.sentinelViews() : undefined;
  }

  /** Runs `task` between two slices of time, after every task before it. */
  private enqueue(task: () => Promise<unknown>): void {
    this.playback.run(task).catch((e: unknown) => this.report(e));
  }

  /** A ClusterError (restarting a node that runs, say) is logged; anything else is a bug, shown in a banner. */
  private report(e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.store.setState((s) => ({
      error: e instanceof ClusterError ? s.error : message,
      log: [
        ...s.log,
        {
          id: s.nextId,
          t: s.now,
          node: null,
          kind: "fault",
          level: null,
          text: `Error: ${message}`,
        },
      ],
      nextId: s.nextId + 1,
    }));
  }
}

/** Both of the page's clusters (workers and in-process) can describe their Sentinels. */
function viewsSentinels(
  cluster: object,
): cluster is { sentinelViews(): Promise<readonly SentinelView[]> } {
  return "sentinelViews" in cluster && typeof cluster.sentinelViews === "function";
}

/** Packets moving on a path that is not cut: these set the pace. */
function flying(state: PlaygroundState): readonly Flight[] {
  if (state.cuts.length === 0) return state.packets;
  const cuts = new Set(state.cuts);
  return state.packets.filter((p) => !cuts.has(pairKey(p.from, p.to)));
}

/** Events a step stops at: anything the page draws, not a silent timer. */
function visibleEvent(e: TraceEvent): boolean {
  return e.type !== "command";
}
