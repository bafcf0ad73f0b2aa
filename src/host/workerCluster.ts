import { Coordinator } from "../sim/coordinator";
import type { TraceEvent } from "../sim/trace";
import { TraceRetention } from "./traceRetention";
import type { TraceSummary } from "./traceSummary";
import type { WorkerFactory } from "./workerHosts";
import { WorkerHostSet } from "./workerHosts";

export interface WorkerClusterOptions {
  readonly seed: number;
  readonly epochMs?: number;
  readonly version?: "7.0" | "6.2";
  /** Keep payload bytes in the trace (the page draws them). */
  readonly traceBytes?: boolean;
  /** How a node worker is started (tests may count or wrap them). */
  readonly createWorker?: WorkerFactory;
  /** A worker that does not finish a step in this long is counted as crashed. */
  readonly stepTimeoutMs?: number;
  /**
   * How many of the newest trace events `trace()` keeps (default
   * `PAGE_TRACE_LIMIT`; the page reads the trace as it streams, through
   * `onTrace`). `Infinity` keeps all of it, as the determinism harness does.
   */
  readonly traceLimit?: number;
}

/**
 * What a page's cluster keeps of its trace: enough to look back a while,
 * bounded in a long run (what it lets go is summarised, traceRetention.ts).
 */
export const PAGE_TRACE_LIMIT = 50_000;

/**
 * The cluster of the page: each process in its own module Web Worker, the
 * processes talking over MessageChannels, driven by the same coordinator as
 * the in-process cluster, so a run is identical to it byte for byte. An
 * exception in a process's engine crashes that process (its trace event
 * carries the message); the rest keeps running.
 */
export class WorkerCluster extends Coordinator {
  private readonly workers: WorkerHostSet;
  private readonly retention: TraceRetention;

  constructor(options: WorkerClusterOptions) {
    const workers = new WorkerHostSet(
      { seed: options.seed, traceBytes: options.traceBytes ?? true, engineErrors: "crash" },
      options.createWorker,
      options.stepTimeoutMs,
    );
    // The coordinator keeps none of the trace: the retention keeps it, compact (traceRetention.ts).
    super(workers, { ...options, traceLimit: 0 });
    this.workers = workers;
    this.retention = new TraceRetention(this, options.traceLimit ?? PAGE_TRACE_LIMIT);
  }

  /** The newest trace events, at least `traceLimit` of them (all with `Infinity`); a new array. */
  override trace(): readonly TraceEvent[] {
    return this.retention.events();
  }

  /** How many trace events `trace()` would return, without decoding them. */
  traceKept(): number {
    return this.retention.kept();
  }

  /** How many of the oldest trace events the `traceLimit` let go. */
  override traceDropped(): number {
    return this.retention.droppedEvents();
  }

  /** The trace events the `traceLimit` let go, in counts (see traceRetention.ts). */
  traceSummary(): TraceSummary {
    return this.retention.summary();
  }

  /** Terminates every worker; the cluster is unusable afterwards. */
  dispose(): void {
    this.retention.dispose();
    this.workers.dispose();
  }
}
