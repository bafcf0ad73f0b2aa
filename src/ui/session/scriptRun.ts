import type { ByteString } from "../../engine/bytes";
import type { VirtualTime } from "../../engine/io";
import type { Reply } from "../../engine/reply";
import type { NodeView } from "../../engine/server/view";
import type { Script } from "../../scenario/ast";
import { Interpreter } from "../../scenario/interpreter";
import type { RunResult, TranscriptEntry } from "../../scenario/interpreter";
import type { Cluster, Fault, NodeSnapshot, NodeSpec } from "../../sim/cluster";
import type { LedgerSummary } from "../../sim/ledger";
import type { TraceEvent } from "../../sim/trace";
import type { PageCluster } from "./gatedCluster";

/** Where a script stands between two bursts of lines. */
export type Block =
  /** Waiting for virtual time to reach `at` (an `advance`, or one instant of a `settle`). */
  | { readonly kind: "time"; readonly at: VirtualTime }
  /** Before a `step` line, until the reader says Next. */
  | { readonly kind: "step"; readonly title: string; readonly line: number }
  /** Every line ran, or one failed. */
  | { readonly kind: "done"; readonly result: RunResult };

/**
 * One execution of a script, by the runner's own interpreter, on one cluster
 * whose clock the script never moves itself: where the runner would advance
 * time, the script blocks, and whoever drives it (the playback at the
 * reader's pace, or a replay as fast as possible) moves the clock to the
 * moment asked for and calls `resume`. The lines between two blocks run at
 * once, as one burst, so nothing else can slip in between them; the run is
 * the runner's run event for event, however time was sliced.
 */
export class ScriptRun {
  private current: Block | null = null;
  private wake: (() => void) | null = null;
  private onBlock: (() => void) | null = null;
  /** Blocks passed so far: recorded actions say after which one they happened. */
  bursts = 0;
  /** `step` lines reached so far. */
  stepsReached = 0;

  constructor(
    private readonly script: Script,
    readonly cluster: PageCluster,
    private readonly onEntry: (entry: TranscriptEntry) => void,
    /** After each fault a line applied (the page shows the paths' settings a `link` line set). */
    readonly onFault: (fault: Fault) => void = () => {},
  ) {}

  get block(): Block | null {
    return this.current;
  }

  /** Starts the interpreter; resolves when the script first blocks. */
  start(): Promise<void> {
    const blocked = this.nextBlock();
    const interpreter = new Interpreter(this.script, new ScriptCluster(this), {
      beforeStep: (title, line) => this.waitFor({ kind: "step", title, line }),
      onEntry: (entry) => this.onEntry(entry),
    });
    interpreter.run().then(
      (result) => this.setBlock({ kind: "done", result }),
      (e: unknown) =>
        this.setBlock({
          kind: "done",
          result: { ok: false, line: 0, message: e instanceof Error ? e.message : String(e) },
        }),
    );
    return blocked;
  }

  /** Whether the script may go on now without the reader: its time has come. */
  due(): boolean {
    return this.current?.kind === "time" && this.current.at <= this.cluster.now();
  }

  /** Lets the script go on (its time has come, or the reader said Next); resolves at its next block. */
  resume(): Promise<void> {
    const wake = this.wake;
    if (!wake) return Promise.resolve();
    this.wake = null;
    this.current = null;
    this.bursts++;
    const blocked = this.nextBlock();
    wake();
    return blocked;
  }

  /** The runner's `advance` to `t`: at once when no time is to pass, else a block. */
  async waitUntil(t: VirtualTime): Promise<void> {
    // `advance 0` still runs what is due at this instant, as the runner's does.
    if (t <= this.cluster.now()) return this.cluster.advance(0);
    return this.waitFor({ kind: "time", at: t });
  }

  private waitFor(block: Block): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.setBlock(block);
    });
  }

  private nextBlock(): Promise<void> {
    return new Promise((resolve) => {
      this.onBlock = resolve;
    });
  }

  private setBlock(block: Block): void {
    this.current = block;
    if (block.kind === "step") this.stepsReached++;
    const resolve = this.onBlock;
    this.onBlock = null;
    resolve?.();
  }
}

/**
 * The cluster as the interpreter sees it in the page: the run's cluster,
 * except that `advance` and `settle` wait for the driver to move the clock.
 */
class ScriptCluster implements Cluster {
  private readonly c: PageCluster;

  constructor(private readonly run: ScriptRun) {
    this.c = run.cluster;
  }

  advance(durationUs: VirtualTime): Promise<void> {
    return this.run.waitUntil(this.c.now() + durationUs);
  }

  /**
   * The coordinator's `settle`, one instant at a time: `settle(0)` is exactly
   * its loop's test (run what is due now, then say whether all is quiet).
   */
  async settle(maxUs: VirtualTime): Promise<boolean> {
    const deadline = this.c.now() + maxUs;
    for (;;) {
      if (await this.c.settle(0)) return true;
      const next = this.c.nextEventTime();
      if (next === null || next > deadline) {
        await this.run.waitUntil(deadline);
        return this.c.settle(0);
      }
      await this.run.waitUntil(next);
    }
  }

  now(): VirtualTime {
    return this.c.now();
  }
  setEpoch(epochMs: number): void {
    this.c.setEpoch(epochMs);
  }
  setVersion(version: "7.0" | "6.2"): void {
    this.c.setVersion(version);
  }
  startNode(spec: NodeSpec): Promise<void> {
    return this.c.startNode(spec);
  }
  command(
    node: string,
    client: string,
    argv: readonly ByteString[],
    maxWaitUs?: number,
  ): Promise<Reply> {
    return this.c.command(node, client, argv, maxWaitUs);
  }
  async fault(fault: Fault): Promise<void> {
    await this.c.fault(fault);
    this.run.onFault(fault);
  }
  infoText(node: string, section: string): Promise<string> {
    return this.c.infoText(node, section);
  }
  snapshot(node: string): Promise<NodeSnapshot> {
    return this.c.snapshot(node);
  }
  keyspaceDigest(node: string): Promise<string> {
    return this.c.keyspaceDigest(node);
  }
  nodes(): readonly string[] {
    return this.c.nodes();
  }
  trace(): readonly TraceEvent[] {
    return this.c.trace();
  }
  submit(node: string, client: string, argv: readonly ByteString[]): Promise<void> {
    return this.c.submit(node, client, argv);
  }
  dumpRdb(node: string): Promise<ByteString> {
    return this.c.dumpRdb(node);
  }
  loadRdb(node: string, bytes: ByteString): Promise<void> {
    return this.c.loadRdb(node, bytes);
  }
  /** The ledger of acknowledged writes (`expect ledger`), from the run's cluster. */
  ledger(): Promise<LedgerSummary> {
    const cluster = this.c;
    if (!cluster.ledger) return Promise.reject(new Error("this cluster keeps no ledger"));
    return cluster.ledger();
  }
  views(): Promise<readonly NodeView[]> {
    return this.c.views();
  }
  onTrace(listener: (events: readonly TraceEvent[]) => void): () => void {
    return this.c.onTrace(listener);
  }
}
