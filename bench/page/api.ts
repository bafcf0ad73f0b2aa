/**
 * What the benchmark page (bench/page/index.html) exposes as `window.__bench`,
 * for src/cli/bench/browser.ts to drive through Playwright. Plain data in and out.
 */
export interface WorkerWritesResult {
  /** Replicated writes per second of wall time, until every replica's offset equals the master's. */
  readonly writesPerSec: number;
  readonly windows: number;
  readonly steps: number;
  /** The longest main-thread task seen while the writes ran (0 when none passed 50 ms). */
  readonly longestTaskMs: number;
}

export interface BigSyncResult {
  /** Wall time from REPLICAOF until the cluster settled. */
  readonly syncMs: number;
  /** The longest main-thread task during the sync (Long Tasks API: only tasks over 50 ms are seen). */
  readonly longestTaskMs: number;
  readonly longTasks: number;
}

export interface BenchApi {
  /** `n` SETs through a WorkerCluster of one master and `replicas` replicas. */
  workerWrites(n: number, replicas: number): Promise<WorkerWritesResult>;
  /** Messages per second from one worker to another over a MessageChannel, one message per write. */
  channelRate(n: number): Promise<number>;
  /** A master with `keys` keys (DEBUG POPULATE) syncs a new replica, all in workers. */
  bigSync(keys: number): Promise<BigSyncResult>;
}

/** The global the page sets. */
export interface BenchWindow {
  __bench?: BenchApi;
}

/** Frame intervals and long tasks over a stretch of time, in the page. */
export interface FrameStats {
  readonly frames: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  /** The longest main-thread task (Long Tasks API: 0 when none passed 50 ms). */
  readonly longestTaskMs: number;
  readonly longTasks: number;
}

export interface DrawingResult {
  /** The page running its nodes with nothing written (the same views open, switched alike). */
  readonly idle: FrameStats;
  /** The same page while the master takes writes, measured once the links stream. */
  readonly load: FrameStats;
  /** Writes submitted while `load` was measured. */
  readonly writes: number;
  /** Of those, the writes the master acknowledged (OK) by the end of the measurement. */
  readonly ackedWrites: number;
  /** Virtual time that passed while `load` was measured. */
  readonly virtualSeconds: number;
  /** Wall time that `load` was measured over. */
  readonly wallSeconds: number;
  /** Wall time from the first write until a link streamed (slow motion gave way); null if none did. */
  readonly streamAfterMs: number | null;
  /** Link directions drawn as streams at the end, and packets drawn one by one. */
  readonly streams: number;
  readonly packetsDrawn: number;
  /** The master's offset minus the furthest-behind replica's, in the views at the end. */
  readonly replicaLagBytes: number;
  /** Writes per second of virtual time of the application client beside the load (so the Ledger shows). */
  readonly appWritesPerSec: number;
  /** The views open (tabs switched every few seconds in both halves). */
  readonly views: readonly string[];
}

export interface LongRunOptions {
  readonly replicas: number;
  readonly virtualSeconds: number;
  readonly writesPerSecond: number;
  readonly faultEverySeconds: number;
}

export interface LongRunProgress {
  readonly virtualSeconds: number;
  readonly wallSeconds: number;
  readonly writes: number;
  readonly faults: number;
  readonly done: boolean;
  /** Since the last look. */
  readonly frames: FrameStats;
  /** How late a zero-delay timeout ran, now. */
  readonly timeoutDelayMs: number;
  /** Sizes of the store's growing parts. */
  readonly store: {
    readonly packets: number;
    readonly wire: number;
    readonly log: number;
    readonly actions: number;
  };
  /** Trace events the page's cluster keeps, and the ones it let go, kept in counts. */
  readonly traceKept: number;
  readonly traceSummarised: number;
  /** Trace events the log's summary covers, and the summaries it keeps per kept entry. */
  readonly logSummarised: number;
  readonly logSegments: number;
}

/** What bench/page/playground.html exposes as `window.__playgroundBench`. */
export interface PlaygroundBenchApi {
  /**
   * Starts the page with 1 master, `replicas` replicas and an application
   * client, and returns the page's height (the harness then shows all of it).
   */
  prepareDrawing(replicas: number): Promise<number>;
  /**
   * At 1× speed with every view open: frame intervals for `seconds` idle,
   * then, once the load streams, for `seconds` at `perSecond` writes per
   * second of virtual time.
   */
  drawingUnderLoad(seconds: number, perSecond: number): Promise<DrawingResult>;
  /** Mounts the page with its nodes in sync, paused, before `startLongRun` (the idle baseline). */
  mountLongRun(options: LongRunOptions): Promise<void>;
  /** Starts the long run at the fastest speed; it stops by itself after `virtualSeconds`. */
  startLongRun(options: LongRunOptions): Promise<void>;
  longRunProgress(): Promise<LongRunProgress>;
}

export interface PlaygroundBenchWindow {
  __playgroundBench?: PlaygroundBenchApi;
}
