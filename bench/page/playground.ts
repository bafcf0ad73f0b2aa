/// <reference lib="dom" />
/**
 * The playground page itself (the same App, Runtime and store as index.html)
 * with a load driver, for the workloads that measure the page as a reader
 * sees it: drawing under load, and the long run. Exposed as
 * `window.__playgroundBench` (see api.ts); src/cli/bench/browser.ts and
 * src/cli/longrun.ts drive it through Playwright.
 */
import { StrictMode, createElement } from "react";
import { createRoot } from "react-dom/client";
import { WorkerCluster } from "../../src/host/workerCluster";
import type { Fault } from "../../src/sim/cluster";
import { ActionsContext } from "../../src/ui/actionsContext";
import { App } from "../../src/ui/App";
import type { PageCluster } from "../../src/ui/runtime";
import { Runtime, createCluster } from "../../src/ui/runtime";
import { NODE_CONFIG } from "../../src/ui/pageDefaults";
import { anyStreaming } from "../../src/ui/packets/flows";
import { setupScript } from "../../src/ui/script/actionScript";
import { playgroundStore } from "../../src/ui/store/store";
import "../../src/ui/styles.css";
import type {
  DrawingResult,
  FrameStats,
  LongRunOptions,
  LongRunProgress,
  PlaygroundBenchApi,
  PlaygroundBenchWindow,
} from "./api";

const SEED = 1;
/** Keys the load cycles over, so the dataset stays the same size however long it runs. */
const KEY_SPACE = 10_000;
const VALUE = "v".repeat(32);

/** Every cluster the page has created (the session builds a fresh one per run). */
const clusters: PageCluster[] = [];
let runtime: Runtime | null = null;

/** The cluster the page shows: the newest one with processes in it. */
function live(): PageCluster {
  for (let i = clusters.length - 1; i >= 0; i--) {
    const c = clusters[i];
    if (c && c.nodes().length > 0) return c;
  }
  throw new Error("the page has not started its nodes");
}

async function make(seed: number): Promise<PageCluster> {
  const cluster = await createCluster(seed);
  clusters.push(cluster);
  return cluster;
}

/**
 * Starts the page with a master `m` and `replicas` replicas (and, with
 * `appClient`, an application client `app` on a host of its own writing to
 * `m`, so the Ledger panel shows), and waits until they are in sync.
 */
async function mount(replicas: number, appClient = false): Promise<Runtime> {
  if (runtime) throw new Error("the playground is already mounted");
  const r = new Runtime(playgroundStore, await make(SEED), SEED, make);
  runtime = r;
  const names = Array.from({ length: replicas }, (_, i) => `r${i + 1}`);
  const nodes = [{ name: "m" }, ...names.map((name) => ({ name, replicaOf: "m" }))];
  if (appClient) {
    const text = `${setupScript({ seed: SEED, config: NODE_CONFIG, nodes })}client app node m\n`;
    r.start(nodes, { text });
  } else {
    r.start(nodes);
  }
  const root = document.getElementById("root");
  if (!root) throw new Error("playground.html has no #root");
  // As src/ui/main.tsx renders it (this file is not JSX: the bench's TypeScript settings have none).
  createRoot(root).render(
    createElement(
      StrictMode,
      null,
      createElement(ActionsContext.Provider, { value: r }, createElement(App)),
    ),
  );
  const deadline = performance.now() + 60_000;
  for (;;) {
    const nodes = playgroundStore.getState().nodes;
    if (names.every((n) => nodes[n]?.replState === "connected")) return r;
    if (performance.now() > deadline) throw new Error("the replicas did not sync within 60 s");
    await sleep(100);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Writes on the master at `perSecond` writes per second of virtual time,
 * spread over the run: every few milliseconds of wall time it submits the
 * writes that virtual time has come to since the last look. By default it is
 * a client on the master's own host (as redis-benchmark on that machine);
 * `through` names an application client process to send them through instead.
 */
class Writer {
  private timer: ReturnType<typeof setInterval> | null = null;
  private startUs = 0;
  private unsubscribe: () => void = () => undefined;
  written = 0;
  /** Writes answered OK (the replies arrive as trace events). */
  acked = 0;

  constructor(
    private readonly perSecond: number,
    private readonly through = "m",
    private readonly prefix = "load",
  ) {}

  start(): void {
    const cluster = live();
    this.startUs = cluster.now();
    this.unsubscribe = cluster.onTrace((events) => {
      for (const e of events)
        if (e.type === "reply" && e.client === this.prefix && e.reply.type !== "error")
          this.acked++;
    });
    this.timer = setInterval(() => this.tick(), 4);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe();
  }

  private tick(): void {
    const cluster = live();
    const due = Math.floor(((cluster.now() - this.startUs) * this.perSecond) / 1e6);
    for (; this.written < due; this.written++) {
      const key = `${this.prefix}:${this.written % KEY_SPACE}`;
      // A crashed master refuses; the writes of that moment are lost, as a client's would be.
      cluster.submit(this.through, this.prefix, ["SET", key, VALUE]).catch(() => undefined);
    }
  }
}

/** Frame intervals (requestAnimationFrame) and long tasks (over 50 ms) while it records. */
class FrameRecorder {
  private intervals: number[] = [];
  private last: number | null = null;
  private frame = 0;
  private longest = 0;
  private longTasks = 0;
  private readonly observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      this.longest = Math.max(this.longest, e.duration);
      this.longTasks++;
    }
  });

  start(): void {
    this.observer.observe({ type: "longtask" });
    const tick = (t: number) => {
      if (this.last !== null) this.intervals.push(t - this.last);
      this.last = t;
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  /** What was recorded since the last call (or the start), and starts over. */
  take(): FrameStats {
    for (const e of this.observer.takeRecords()) {
      this.longest = Math.max(this.longest, e.duration);
      this.longTasks++;
    }
    const sorted = [...this.intervals].sort((a, b) => a - b);
    const at = (q: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    const stats: FrameStats = {
      frames: sorted.length,
      p50Ms: at(0.5),
      p95Ms: at(0.95),
      maxMs: sorted[sorted.length - 1] ?? 0,
      longestTaskMs: this.longest,
      longTasks: this.longTasks,
    };
    this.intervals = [];
    this.longest = 0;
    this.longTasks = 0;
    return stats;
  }

  stop(): void {
    cancelAnimationFrame(this.frame);
    this.observer.disconnect();
  }
}

/** The tabbed views: each panel shows one tab at a time, so the bench switches them in turn. */
const TIMELINE_TABS = ["Log", "Wire", "Sequence", "Offsets", "Your actions"] as const;
const NODE_TABS = ["Console", "Keys", "INFO"] as const;
/** Wall time between two switches: over 8 s every tab of every panel is open at some point. */
const SWITCH_EVERY_MS = 1600;
/** Writes per second of virtual time of the application client (its writes fill the Ledger). */
const APP_WRITES_PER_SEC = 10;
/** How long the load may take to turn into streams before the run gives up on waiting. */
const STREAM_WAIT_MS = 15_000;

/** Clicks the tab named `name` (its text starts with it) in the tab list labelled `list`. */
function clickTab(list: string, name: string): void {
  const tabs = document.querySelector(`[role="tablist"][aria-label="${list}"]`);
  for (const tab of tabs?.querySelectorAll<HTMLElement>('[role="tab"]') ?? []) {
    if (tab.textContent?.startsWith(name) && tab.getAttribute("aria-selected") !== "true") {
      tab.click();
      return;
    }
  }
}

/** Switches every tabbed panel to its next tab every SWITCH_EVERY_MS, each node panel out of step. */
class ViewCycler {
  private turn = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  start(): void {
    this.show();
    this.timer = setInterval(() => {
      this.turn++;
      this.show();
    }, SWITCH_EVERY_MS);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private show(): void {
    clickTab("Timeline views", TIMELINE_TABS[this.turn % TIMELINE_TABS.length] ?? "Log");
    playgroundStore.getState().order.forEach((node, i) => {
      clickTab(`${node} views`, NODE_TABS[(this.turn + i) % NODE_TABS.length] ?? "Console");
    });
  }
}

/** Every view the page has, as the bench opens them. */
const VIEWS: readonly string[] = [
  "topology (packets, streams)",
  `node panels (${NODE_TABS.join(", ")} in turn)`,
  "backlog ring",
  "ledger",
  `timeline (${TIMELINE_TABS.join(", ")} in turn)`,
  "time scrubber",
  "playback controls",
  "guide",
];

async function prepareDrawing(replicas: number): Promise<number> {
  await mount(replicas, true);
  // Let the page lay out its panels before its height is read.
  await sleep(500);
  return document.documentElement.scrollHeight;
}

async function drawingUnderLoad(seconds: number, perSecond: number): Promise<DrawingResult> {
  const r = runtime;
  if (!r) throw new Error("prepareDrawing first");
  r.setSpeed(1);
  r.setPaused(false);
  const views = new ViewCycler();
  views.start();
  const frames = new FrameRecorder();
  frames.start();
  await sleep(1000);
  frames.take();
  await sleep(seconds * 1000);
  const idle = frames.take();

  const writer = new Writer(perSecond);
  const app = new Writer(APP_WRITES_PER_SEC, "app", "app");
  const loadFrom = performance.now();
  writer.start();
  app.start();
  // Slow motion gives way once the links stream (src/ui/packets/flows.ts); measure from there.
  let streamAfterMs: number | null = null;
  while (performance.now() - loadFrom < STREAM_WAIT_MS) {
    const s = playgroundStore.getState();
    if (anyStreaming(s.flows, s.now)) {
      streamAfterMs = performance.now() - loadFrom;
      break;
    }
    await sleep(50);
  }
  await sleep(1000);
  frames.take();
  const from = { us: live().now(), wall: performance.now(), written: writer.written };
  const ackedFrom = writer.acked;
  await sleep(seconds * 1000);
  const load = frames.take();
  const to = { us: live().now(), wall: performance.now(), written: writer.written };
  const acked = writer.acked - ackedFrom;
  writer.stop();
  app.stop();
  views.stop();
  frames.stop();
  const s = playgroundStore.getState();
  const masterOffset = s.views.m?.masterReplOffset ?? 0;
  const replicaOffsets = s.order
    .filter((n) => n !== "m" && s.views[n]?.role === "slave")
    .map((n) => s.views[n]?.masterReplOffset ?? 0);
  return {
    idle,
    load,
    writes: to.written - from.written,
    ackedWrites: acked,
    virtualSeconds: (to.us - from.us) / 1e6,
    wallSeconds: (to.wall - from.wall) / 1000,
    streamAfterMs,
    streams: document.querySelectorAll('[data-testid="stream"]').length,
    packetsDrawn: document.querySelectorAll('[data-testid="packet"]').length,
    replicaLagBytes: Math.max(0, ...replicaOffsets.map((o) => masterOffset - o)),
    appWritesPerSec: APP_WRITES_PER_SEC,
    views: VIEWS,
  };
}

/** The faults of the long run, one a minute, in this order, round and round. */
const FAULTS: readonly Fault[] = [
  { kind: "cut", a: "m", b: "r1" },
  { kind: "heal", a: "m", b: "r1" },
  { kind: "crash", node: "r2" },
  { kind: "restart", node: "r2" },
  { kind: "reset", a: "m", b: "r3" },
  { kind: "sleep", node: "r4", durationUs: 2_000_000 },
];

let longRunState: {
  readonly options: LongRunOptions;
  readonly writer: Writer;
  readonly frames: FrameRecorder;
  faults: number;
  readonly startUs: number;
  readonly startWall: number;
  timer: ReturnType<typeof setInterval> | null;
} | null = null;

/** Mounts the long run's page, its nodes in sync and paused: the idle baseline the run is measured against. */
async function mountLongRun(options: LongRunOptions): Promise<void> {
  const r = await mount(options.replicas);
  r.setSpeed("max");
  r.setPaused(true);
}

async function startLongRun(options: LongRunOptions): Promise<void> {
  const r = runtime ?? (await mount(options.replicas));
  r.setSpeed("max");
  r.setPaused(false);
  const writer = new Writer(options.writesPerSecond);
  const frames = new FrameRecorder();
  frames.start();
  const state = {
    options,
    writer,
    frames,
    faults: 0,
    startUs: live().now(),
    startWall: performance.now(),
    timer: null as ReturnType<typeof setInterval> | null,
  };
  longRunState = state;
  writer.start();
  state.timer = setInterval(() => {
    const elapsed = live().now() - state.startUs;
    if (elapsed >= options.virtualSeconds * 1e6) {
      writer.stop();
      r.setPaused(true);
      if (state.timer !== null) clearInterval(state.timer);
      state.timer = null;
      return;
    }
    const due = Math.floor(elapsed / (options.faultEverySeconds * 1e6));
    for (; state.faults < due; state.faults++) {
      const fault = FAULTS[state.faults % FAULTS.length];
      if (fault) r.fault(fault);
    }
  }, 20);
}

/** Event-loop delay: how late a zero-delay timeout runs. */
function timeoutDelay(): Promise<number> {
  const asked = performance.now();
  return new Promise((resolve) => setTimeout(() => resolve(performance.now() - asked), 0));
}

async function longRunProgress(): Promise<LongRunProgress> {
  const s = longRunState;
  if (!s) throw new Error("no long run started");
  const state = playgroundStore.getState();
  const cluster = live();
  return {
    virtualSeconds: (live().now() - s.startUs) / 1e6,
    wallSeconds: (performance.now() - s.startWall) / 1000,
    writes: s.writer.written,
    faults: s.faults,
    done: s.timer === null,
    frames: s.frames.take(),
    timeoutDelayMs: await timeoutDelay(),
    store: {
      packets: state.packets.length,
      wire: state.wire.length,
      log: state.log.length,
      actions: state.actions.length,
    },
    // Counted, not read: reading the kept trace decodes it.
    traceKept: cluster instanceof WorkerCluster ? cluster.traceKept() : cluster.trace().length,
    traceSummarised: cluster instanceof WorkerCluster ? cluster.traceSummary().events : 0,
    logSummarised: state.logHistory.earlier?.events ?? 0,
    logSegments: state.logHistory.segments.length,
  };
}

const api: PlaygroundBenchApi = {
  prepareDrawing,
  drawingUnderLoad,
  mountLongRun,
  startLongRun,
  longRunProgress,
};
(window as PlaygroundBenchWindow).__playgroundBench = api;
const status = document.getElementById("status");
if (status) status.textContent = "ready";
