import type { Server } from "../engine/server/server";
import type { Sentinel } from "../engine/sentinel/sentinel";
import type { SlotView } from "./coordinator";
import { Coordinator } from "./coordinator";
import type { Scheduling } from "./localHosts";
import { LocalHostSet } from "./localHosts";

export { DEFAULT_EPOCH_MS } from "./coordinator";
export { REDIS_PORT } from "./processHost";

export interface InProcessClusterOptions {
  readonly seed: number;
  readonly epochMs?: number;
  readonly version?: "7.0" | "6.2";
  /** Keep payload bytes in the trace (the page draws them); off for big benchmarks. */
  readonly traceBytes?: boolean;
  /** An engine exception: rethrow it (default, so tests show the stack) or crash that process. */
  readonly engineErrors?: "throw" | "crash";
  /** Keep only about this many of the newest trace events (default: all of them). */
  readonly traceLimit?: number;
  /** How the hosts are scheduled; shuffled only to prove it does not matter. */
  readonly scheduling?: Scheduling;
}

/**
 * Every process in one thread: the coordinator and one host per process,
 * exactly as the worker runtime runs them, with the channels replaced by
 * arrays. The reference the worker runtime must match event for event.
 */
export class InProcessCluster extends Coordinator {
  private readonly local: LocalHostSet;

  constructor(options: InProcessClusterOptions) {
    const local = new LocalHostSet(
      {
        seed: options.seed,
        traceBytes: options.traceBytes ?? true,
        engineErrors: options.engineErrors ?? "throw",
      },
      options.scheduling,
    );
    super(local, options);
    this.local = local;
  }

  /** A process slot: address, incarnation, whether it runs, until when it stalls. */
  slot(name: string): SlotView | undefined {
    return this.slotView(name);
  }

  /** The live server objects, for views and invariant checks (read only). */
  server(name: string): Server | null {
    return this.local.host(name)?.server ?? null;
  }

  /** The live Sentinel objects, for views and checks (read only). */
  sentinel(name: string): Sentinel | null {
    return this.local.host(name)?.sentinel ?? null;
  }
}
