import type { HostReport, HostStep } from "./hostStep";
import { Inbox } from "./inbox";
import type { ProcessHost } from "./processHost";
import type { Segment, SegmentBatch } from "./segments";

/**
 * The thin shell around a ProcessHost that both runtimes share: it keeps what
 * arrives on the channels, starts a step only when every message the step
 * counts on is there, posts what the step sent (one batch per peer) and
 * counts it. A worker wires it to MessagePorts; the in-process cluster to
 * arrays.
 */
export class HostShell {
  private readonly inbox = new Inbox<SegmentBatch>();
  private readonly sent = new Map<string, number>();
  /** Steps posted and not yet run, oldest first (see `step`). */
  private readonly pending: HostStep[] = [];

  constructor(
    readonly host: ProcessHost,
    private readonly post: (peer: string, batch: SegmentBatch) => void,
    private readonly report: (report: HostReport) => void,
  ) {}

  /** A batch arrived on the channel from `peer`. */
  receive(peer: string, batch: SegmentBatch): void {
    this.inbox.push(peer, batch);
    this.tryRun();
  }

  /** A new channel to `peer` replaces the old one: both directions count from zero. */
  rewire(peer: string): void {
    this.inbox.reset(peer);
    this.sent.delete(peer);
  }

  /** Posts what an exported host still had to send, on the new channels. */
  postDeferred(deferred: Readonly<Record<string, readonly Segment[]>>): void {
    for (const [peer, segments] of Object.entries(deferred)) this.postBatch(peer, segments);
  }

  /**
   * Runs the step as soon as everything it counts on has arrived (maybe now).
   * Steps run in the order they came: the coordinator may post a host's next
   * step before this one has reported (a burst's next inputs), so the worker
   * finds it waiting when it is done.
   */
  step(step: HostStep): void {
    this.pending.push(step);
    this.tryRun();
  }

  private tryRun(): void {
    for (;;) {
      const step = this.pending[0];
      if (!step) return;
      const batches = this.inbox.take(step.expect);
      if (!batches) return;
      this.pending.shift();
      const { report, outgoing } = this.host.step(
        step,
        batches.flatMap((b) => b.segments),
      );
      for (const [peer, segments] of outgoing) this.postBatch(peer, segments);
      this.report({ ...report, sent: Object.fromEntries(this.sent) });
    }
  }

  private postBatch(peer: string, segments: readonly Segment[]): void {
    if (segments.length === 0) return;
    this.sent.set(peer, (this.sent.get(peer) ?? 0) + 1);
    this.post(peer, { segments });
  }
}
