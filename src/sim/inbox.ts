/**
 * What a host has received on its channels, and how much of it belongs to the
 * steps so far. Channels keep order (a MessageChannel does), so counting is
 * enough: a step that expects n messages from a peer takes its first n, and
 * anything posted later (a fast peer already in the next step) waits.
 */
export class Inbox<T> {
  private readonly queues = new Map<string, T[]>();
  private readonly taken = new Map<string, number>();

  /** A message arrived from `peer`. */
  push(peer: string, item: T): void {
    let queue = this.queues.get(peer);
    if (!queue) {
      queue = [];
      this.queues.set(peer, queue);
    }
    queue.push(item);
  }

  /** A new channel to `peer` replaces the old one: counting starts over. */
  reset(peer: string): void {
    this.queues.delete(peer);
    this.taken.delete(peer);
  }

  /**
   * The messages that bring every peer's count up to `expect` (in the order
   * of `expect`'s peers, then arrival), or null while some have not arrived.
   */
  take(expect: Readonly<Record<string, number>>): T[] | null {
    for (const [peer, total] of Object.entries(expect)) {
      const missing = total - (this.taken.get(peer) ?? 0);
      if (missing > (this.queues.get(peer)?.length ?? 0)) return null;
    }
    const out: T[] = [];
    for (const [peer, total] of Object.entries(expect)) {
      const missing = total - (this.taken.get(peer) ?? 0);
      if (missing <= 0) continue;
      const queue = this.queues.get(peer) ?? [];
      out.push(...queue.splice(0, missing));
      this.taken.set(peer, total);
    }
    return out;
  }
}
