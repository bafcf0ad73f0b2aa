import type { ByteString } from "../bytes";
import type { Reply } from "../reply";
import { array, bulk, integer } from "../reply";
import type { Client } from "./client";
import type { ExecutionUnit } from "./executionUnit";
import { addOp } from "./executionUnit";
import type { Server } from "./server";

/** SUBSCRIBE channel …: one confirmation per channel, then messages as they are published. */
export function subscribeCommand(s: Server, client: Client, argv: readonly ByteString[]): null {
  for (const channel of argv.slice(1)) {
    client.subscriptions.add(channel);
    s.reply(client, array([bulk("subscribe"), bulk(channel), integer(client.subscriptions.size)]));
  }
  return null;
}

/** UNSUBSCRIBE [channel …]: without channels, from every channel. */
export function unsubscribeCommand(
  s: Server,
  client: Client,
  argv: readonly ByteString[],
): Reply | null {
  const channels = argv.length > 1 ? argv.slice(1) : [...client.subscriptions];
  if (channels.length === 0) return array([bulk("unsubscribe"), bulk(null), integer(0)]);
  for (const channel of channels) {
    client.subscriptions.delete(channel);
    s.reply(
      client,
      array([bulk("unsubscribe"), bulk(channel), integer(client.subscriptions.size)]),
    );
  }
  return null;
}

/**
 * PUBLISH channel message: delivered to this server's subscribers, and
 * propagated to replicas as it is (non-cluster mode forces propagation).
 */
export function publishCommand(
  s: Server,
  client: Client,
  argv: readonly ByteString[],
  unit: ExecutionUnit,
): Reply {
  const channel = argv[1] ?? "";
  const message = argv[2] ?? "";
  let receivers = 0;
  for (const c of s.clients.values()) {
    if (!c.subscriptions.has(channel)) continue;
    receivers++;
    s.reply(c, array([bulk("message"), bulk(channel), bulk(message)]));
  }
  addOp(unit, client.db, argv);
  return integer(receivers);
}
