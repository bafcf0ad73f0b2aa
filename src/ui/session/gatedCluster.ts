import type { ByteString } from "../../engine/bytes";
import type { VirtualTime } from "../../engine/io";
import type { Reply } from "../../engine/reply";
import type { NodeView } from "../../engine/server/view";
import type { Cluster, Fault, NodeSnapshot, NodeSpec } from "../../sim/cluster";
import type { LedgerSummary } from "../../sim/ledger";
import type { TraceEvent } from "../../sim/trace";

/** A cluster that can say when its next event is due (both implementations can). */
export type PageCluster = Cluster & { nextEventTime(): VirtualTime | null };

/** The script's stops one `advance` may pass (a thousand-line burst of `advance 1ms` at 100×, say). */
const MAX_STOPS_PER_ADVANCE = 256;

/**
 * The page's cluster as the playback and the components see it: it forwards
 * to the cluster of the current run (replaced on a seek or a new script), and
 * lets time pass only up to the moment the script or a recorded action is due
 * (`limit`), so the playback's slices end exactly there, as the runner's
 * `advance` would. While the limit is the present (a script standing before a
 * `step`), time stands still whatever the playback asks.
 */
export class GatedCluster implements PageCluster {
  private listeners = new Set<(events: readonly TraceEvent[]) => void>();
  private unsubscribe: () => void;

  constructor(
    private current: PageCluster,
    /** The furthest time the playback may reach now, or null for no limit. */
    private readonly limit: () => VirtualTime | null,
    /**
     * After time moved, still within the playback's slice: the session runs
     * whatever came due (the script's next lines, a recorded action) at once,
     * so a `settle` moves on instant by instant without waiting a frame each.
     */
    private readonly moved: () => Promise<void>,
  ) {
    this.unsubscribe = this.subscribe(current);
  }

  /** The cluster of the current run (the session drives it directly, between slices). */
  get inner(): PageCluster {
    return this.current;
  }

  /** Switches to another run's cluster; the previous one's workers are terminated. */
  replace(next: PageCluster): void {
    this.unsubscribe();
    const previous = this.current;
    this.current = next;
    this.unsubscribe = this.subscribe(next);
    if (previous !== next && "dispose" in previous && typeof previous.dispose === "function") {
      (previous as { dispose(): void }).dispose();
    }
  }

  private subscribe(cluster: PageCluster): () => void {
    return cluster.onTrace((events) => {
      for (const l of this.listeners) l(events);
    });
  }

  now(): VirtualTime {
    return this.current.now();
  }

  nextEventTime(): VirtualTime | null {
    const next = this.current.nextEventTime();
    const limit = this.limit();
    if (limit === null) return next;
    if (limit <= this.current.now()) return null;
    return next === null ? limit : Math.min(next, limit);
  }

  /**
   * Moves time by `durationUs`, stopping at each moment the script or a
   * recorded action is due to let it run (`moved`), then going on: a slice
   * of a frame covers its whole duration, so a script's `advance 1ms` lines
   * keep pace with the playback instead of moving one a frame. It stops early
   * only where the run waits for the reader (the limit stays at the present)
   * or after MAX_STOPS_PER_ADVANCE stops, so one frame never runs away.
   */
  async advance(durationUs: VirtualTime): Promise<void> {
    const end = this.current.now() + durationUs;
    for (let stops = 0; stops < MAX_STOPS_PER_ADVANCE; stops++) {
      const now = this.current.now();
      const limit = this.limit();
      const target = limit === null ? end : Math.min(end, limit);
      if (target <= now && (limit !== null || stops > 0)) return;
      await this.current.advance(target - now);
      await this.moved();
      if (target >= end) return;
    }
  }

  onTrace(listener: (events: readonly TraceEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // Everything else goes to the current run's cluster as it is.
  setEpoch(epochMs: number): void {
    this.current.setEpoch(epochMs);
  }
  setVersion(version: "7.0" | "6.2"): void {
    this.current.setVersion(version);
  }
  startNode(spec: NodeSpec): Promise<void> {
    return this.current.startNode(spec);
  }
  command(
    node: string,
    client: string,
    argv: readonly ByteString[],
    maxWaitUs?: number,
  ): Promise<Reply> {
    return this.current.command(node, client, argv, maxWaitUs);
  }
  fault(fault: Fault): Promise<void> {
    return this.current.fault(fault);
  }
  settle(maxUs: VirtualTime): Promise<boolean> {
    return this.current.settle(maxUs);
  }
  infoText(node: string, section: string): Promise<string> {
    return this.current.infoText(node, section);
  }
  snapshot(node: string): Promise<NodeSnapshot> {
    return this.current.snapshot(node);
  }
  keyspaceDigest(node: string): Promise<string> {
    return this.current.keyspaceDigest(node);
  }
  nodes(): readonly string[] {
    return this.current.nodes();
  }
  trace(): readonly TraceEvent[] {
    return this.current.trace();
  }
  submit(node: string, client: string, argv: readonly ByteString[]): Promise<void> {
    return this.current.submit(node, client, argv);
  }
  dumpRdb(node: string): Promise<ByteString> {
    return this.current.dumpRdb(node);
  }
  loadRdb(node: string, bytes: ByteString): Promise<void> {
    return this.current.loadRdb(node, bytes);
  }
  /** The ledger of acknowledged writes (`expect ledger`), from the run's cluster. */
  ledger(): Promise<LedgerSummary> {
    const cluster = this.current;
    if (!cluster.ledger) return Promise.reject(new Error("this cluster keeps no ledger"));
    return cluster.ledger();
  }
  views(): Promise<readonly NodeView[]> {
    return this.current.views();
  }
}
