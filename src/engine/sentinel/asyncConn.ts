import type { ByteString } from "../bytes";
import type { ConnId } from "../io";
import type { Reply } from "../reply";
import { ReplyParser } from "../resp/parser";
import type { Instance, InstanceLink } from "./instance";

/**
 * A reply callback, as hiredis calls it: with the reply, or with null when
 * the connection went away before the reply came.
 */
export type ReplyCallback = (conn: AsyncConn, reply: Reply | null) => void;

/** A queued callback and the instance it was registered for (hiredis's `privdata`). */
export interface PendingCallback {
  readonly owner: Instance | null;
  fn: ReplyCallback;
}

/** Pub/Sub pushes go to the subscription callback, not to the queue. */
const PUSH_KINDS: ReadonlySet<string> = new Set([
  "message",
  "pmessage",
  "subscribe",
  "unsubscribe",
  "psubscribe",
  "punsubscribe",
]);

/**
 * One outbound connection as a `redisAsyncContext` sees it: commands are
 * accepted at once and written when the connection is up (hiredis buffers
 * them meanwhile), and replies are handed to callbacks in the order the
 * commands were sent.
 */
export class AsyncConn {
  /** `c->data`: the link this connection belongs to; null once the Sentinel dropped it. */
  data: InstanceLink | null;
  connected = false;
  readonly parser = new ReplyParser();
  /** Bytes accepted before the connection was established. */
  outbox: ByteString[] = [];
  readonly callbacks: PendingCallback[] = [];
  /** The SUBSCRIBE callback: it receives every push on this connection. */
  subscriber: PendingCallback | null = null;

  constructor(
    readonly id: ConnId,
    link: InstanceLink,
  ) {
    this.data = link;
  }

  /** Which callback a reply belongs to. */
  takeCallback(reply: Reply): PendingCallback | undefined {
    if (this.subscriber && reply.type === "array" && reply.value) {
      const kind = reply.value[0];
      if (kind?.type === "bulk" && kind.value !== null && PUSH_KINDS.has(kind.value)) {
        return this.subscriber;
      }
    }
    return this.callbacks.shift();
  }

  /** Every callback still waiting, in order, for a disconnection to answer with null. */
  drain(): PendingCallback[] {
    const all = this.callbacks.splice(0);
    if (this.subscriber) all.push(this.subscriber);
    this.subscriber = null;
    return all;
  }
}

/** `sentinelDiscardReplyCallback`: the reply is not looked at, only counted. */
export const discardReply: ReplyCallback = (c) => {
  if (c.data) c.data.pendingCommands--;
};
