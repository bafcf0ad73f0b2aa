import type { ByteString } from "../bytes";
import type { ConnId } from "../io";
import type { Reply } from "../reply";
import { ReplyParser } from "../resp/parser";

/** Where a connection of an application client goes, and what it is for. */
export interface Address {
  readonly ip: string;
  readonly port: number;
}

export type ConnPurpose =
  | "sentinel" // asks a Sentinel for the master's address and the replicas
  | "subscribe" // SUBSCRIBE +switch-master on a Sentinel
  | "data"; // commands to a redis-server

/** A reply callback; null when the connection went away first. */
export type OnReply = (reply: Reply | null) => void;

/**
 * One connection as a client library holds it: commands written at once (or
 * buffered until the connection is up), replies handed to callbacks in order,
 * Pub/Sub pushes to the subscriber.
 */
export class AppConn {
  connected = false;
  closed = false;
  readonly parser = new ReplyParser();
  outbox: ByteString[] = [];
  readonly callbacks: OnReply[] = [];
  subscriber: ((message: readonly ByteString[]) => void) | null = null;

  constructor(
    readonly id: ConnId,
    readonly addr: Address,
    readonly purpose: ConnPurpose,
  ) {}

  /** Hands one reply to its callback (a push goes to the subscriber). */
  dispatch(reply: Reply): void {
    if (this.subscriber && reply.type === "array" && reply.value) {
      const words = reply.value.map((r) => (r.type === "bulk" ? (r.value ?? "") : ""));
      if (words[0] === "message" || words[0] === "subscribe") {
        if (words[0] === "message") this.subscriber(words);
        return;
      }
    }
    this.callbacks.shift()?.(reply);
  }

  /** Every callback still waiting, answered with null. */
  fail(): void {
    this.closed = true;
    for (const cb of this.callbacks.splice(0)) cb(null);
  }
}

export const addrKey = (a: Address): string => `${a.ip}:${a.port}`;
