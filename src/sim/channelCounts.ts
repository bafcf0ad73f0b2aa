/**
 * How many messages each host has posted to each other host on their
 * current channel, as the hosts report it. A step tells a host these
 * numbers for the channels into it, and the host waits until it has that
 * many: then it holds everything sent to it before the step.
 */
export class ChannelCounts {
  private readonly counts = new Map<string, number>();

  /** A host's report: its running totals, by receiver. */
  update(from: string, sent: Readonly<Record<string, number>>): void {
    for (const [to, n] of Object.entries(sent)) this.counts.set(`${from}>${to}`, n);
  }

  /**
   * `name` got new channels to every peer: counting starts over both ways,
   * except the one message it posts on start to each of `deferredTo`.
   */
  restart(name: string, peers: Iterable<string>, deferredTo: Iterable<string>): void {
    for (const peer of peers) {
      this.counts.delete(`${name}>${peer}`);
      this.counts.delete(`${peer}>${name}`);
    }
    for (const peer of deferredTo) this.counts.set(`${name}>${peer}`, 1);
  }

  /** What `name` must have received from each peer before its next step. */
  expect(name: string, peers: Iterable<string>): Record<string, number> {
    const expect: Record<string, number> = {};
    for (const peer of peers)
      if (peer !== name) expect[peer] = this.counts.get(`${peer}>${name}`) ?? 0;
    return expect;
  }
}
