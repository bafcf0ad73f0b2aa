import type { ExportedHost, HostAnswer, HostQuery, HostReport, HostStep } from "./hostStep";

/** How a new host starts: fresh, or from a host exported by a crash or a restart. */
export interface HostInit {
  readonly name: string;
  readonly ip: string;
  readonly rank: number;
  readonly from: ExportedHost | null;
}

/**
 * The coordinator's handle on its hosts, wherever they run. A step goes to
 * every host at once and resolves with every report; a host started (or
 * started again) gets fresh channels to all the others.
 */
export interface HostSet {
  spawn(init: HostInit): Promise<void>;
  /** Ends a host (a crash is `worker.terminate()`); spawn it again to go on. */
  terminate(name: string): void;
  step(steps: ReadonlyMap<string, HostStep>): Promise<ReadonlyMap<string, HostReport>>;
  query(name: string, query: HostQuery): Promise<HostAnswer>;
}
