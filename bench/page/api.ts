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
