import type { ByteString } from "../bytes";
import type { CommandFlag, CommandSpec, ExecContext } from "../commands/command";
import { DATA_COMMANDS } from "../commands/index";
import type { Db, Keyspace } from "../keyspace/db";
import type { Reply } from "../reply";
import { ERR, arityError, unknownCommandError } from "../reply";
import type { Client } from "./client";
import type { ExecutionUnit } from "./executionUnit";
import { NO_OPS, addOp } from "./executionUnit";
import { enoughGoodReplicas } from "./masterSide";
import { postponeIfPaused } from "./failover";
import type { Server } from "./server";
import { SERVER_COMMANDS } from "./serverCommands";

export type { ExecutionUnit };

/** A command the server implements itself, with access to the whole server. */
export interface ServerCommandSpec {
  readonly name: string;
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  /** Returns the reply, or null when the command answers later or not at all. */
  readonly run: (
    s: Server,
    client: Client,
    argv: readonly ByteString[],
    unit: ExecutionUnit,
  ) => Reply | null;
}

/** A command table entry, with the flags `processCommand` asks about on every call read once. */
type AnySpec = (
  | { readonly kind: "data"; readonly spec: CommandSpec }
  | { readonly kind: "server"; readonly spec: ServerCommandSpec }
) & {
  readonly write: boolean;
  readonly stale: boolean;
  readonly noMulti: boolean;
  readonly touchesArbitraryKeys: boolean;
};

function entryFlags(flags: readonly CommandFlag[]) {
  return {
    write: flags.includes("write"),
    stale: flags.includes("stale"),
    noMulti: flags.includes("no-multi"),
    touchesArbitraryKeys: flags.includes("touches-arbitrary-keys"),
  };
}

const TABLE = new Map<string, AnySpec>();
for (const spec of DATA_COMMANDS)
  TABLE.set(spec.name, { kind: "data", spec, ...entryFlags(spec.flags) });
for (const spec of SERVER_COMMANDS)
  TABLE.set(spec.name, { kind: "server", spec, ...entryFlags(spec.flags) });

/**
 * Names as clients spelled them (`SET`, `set`, `Set`), so a lookup need not
 * lower-case the name each time. Bounded, since a client may spell a name
 * in any of many ways.
 */
const BY_SPELLING = new Map<string, AnySpec>();
const MAX_SPELLINGS = 4096;

export function lookupCommand(name: ByteString): AnySpec | undefined {
  const known = BY_SPELLING.get(name);
  if (known !== undefined) return known;
  const entry = TABLE.get(name.toLowerCase());
  if (entry !== undefined && BY_SPELLING.size < MAX_SPELLINGS) BY_SPELLING.set(name, entry);
  return entry;
}

/** Every command name the server knows, for a console's completion. */
export function commandNames(): string[] {
  return [...TABLE.keys()].sort();
}

/** What a client in the RESP2 pub/sub context may still send. */
const PUBSUB_CONTEXT = new Set([
  "subscribe",
  "unsubscribe",
  "psubscribe",
  "punsubscribe",
  "ping",
  "quit",
  "reset",
]);

const MULTI_PASSTHROUGH = new Set([
  "exec",
  "discard",
  "multi",
  "watch",
  "unwatch",
  "quit",
  "reset",
]);

/**
 * `processCommand`: lookup, arity, the replication-related refusals in Redis's
 * order (NOREPLICAS, READONLY, MASTERDOWN), MULTI queueing, then `call`.
 */
export function processCommand(s: Server, client: Client, argv: readonly ByteString[]): void {
  const entry = lookupCommand(argv[0] ?? "");
  if (!entry) {
    reject(s, client, unknownCommandError(argv));
    return;
  }
  const { arity, name } = entry.spec;
  if ((arity > 0 && argv.length !== arity) || argv.length < -arity) {
    reject(s, client, arityError(name));
    return;
  }
  const isExec = name === "exec";
  const isWrite = entry.write || (isExec && queuesWrite(client));
  const fromMaster = client.flag === "master";

  if (isWrite && !fromMaster && !enoughGoodReplicas(s)) {
    reject(s, client, ERR.noReplicas, isExec);
    return;
  }
  if (isWrite && !fromMaster && s.isReplica && s.configBool("replica-read-only")) {
    reject(s, client, ERR.readonly, isExec);
    return;
  }
  if (
    s.isReplica &&
    s.replState !== "connected" &&
    !entry.stale &&
    !s.configBool("replica-serve-stale-data")
  ) {
    reject(s, client, ERR.masterDown, isExec);
    return;
  }
  if (client.subscriptions.size > 0 && !PUBSUB_CONTEXT.has(name)) {
    reject(
      s,
      client,
      `ERR Can't execute '${name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
    );
    return;
  }
  // Replicas are never paused; the command runs again from scratch when the pause ends.
  if (postponeIfPaused(s, client, argv, name, isWrite)) return;
  if (client.multi !== null && !MULTI_PASSTHROUGH.has(name)) {
    if (entry.noMulti) {
      reject(s, client, "ERR Command not allowed inside a transaction");
      return;
    }
    client.multi.push([...argv]);
    s.reply(client, { type: "simple", value: "QUEUED" });
    return;
  }
  const unit: ExecutionUnit = { ops: NO_OPS };
  const reply = call(s, client, entry, argv, unit);
  finishUnit(s, client, unit, !entry.touchesArbitraryKeys, isWrite);
  if (reply !== null) s.reply(client, reply);
}

/** Whether a client's queued transaction holds a write (EXEC is then a write). */
function queuesWrite(client: Client): boolean {
  for (const queued of client.multi ?? []) if (lookupCommand(queued[0] ?? "")?.write) return true;
  return false;
}

function reject(s: Server, client: Client, message: string, isExec = false): void {
  if (isExec && client.multi !== null) {
    // `execCommandAbort`: the transaction is discarded with the reason.
    client.multi = null;
    client.multiDirty = false;
    s.reply(client, {
      type: "error",
      value: `EXECABORT Transaction discarded because of: ${message}`,
    });
    return;
  }
  if (client.multi !== null) client.multiDirty = true;
  s.reply(client, { type: "error", value: message });
}

/** Propagates what one top-level command produced and remembers the client's write offset. */
export function finishUnit(
  s: Server,
  client: Client,
  unit: ExecutionUnit,
  wrap: boolean,
  isWrite = false,
): void {
  const before = s.masterReplOffset;
  s.propagate(unit.ops, wrap);
  if (s.masterReplOffset !== before) client.woff = s.masterReplOffset;
  // A named client's write (not a PUBLISH, say) is reported for the ledger of acknowledged writes.
  if (isWrite && unit.ops.length > 0 && client.name !== "" && client.flag === "normal") {
    s.emit({ type: "write", client: client.name, replId: s.replId, offset: s.masterReplOffset });
  }
}

/** `call`: runs one command and records what it propagates into `unit`. */
export function call(
  s: Server,
  client: Client,
  entry: AnySpec,
  argv: readonly ByteString[],
  unit: ExecutionUnit,
): Reply | null {
  s.stats.totalCommandsProcessed++;
  if (entry.kind === "server") return entry.spec.run(s, client, argv, unit);
  // One context per server, reset for each call: a data command runs to its
  // end before the next call begins (EXEC is a server command and calls the
  // queued ones one after another), and no handler keeps its context.
  const ctx = (s.commandCall ??= new CommandCall(s));
  ctx.begin(client, unit);
  const reply = entry.spec.handler(ctx, argv);
  // A replica propagates none of its own commands (`propagate` proxies its
  // master's stream instead), so what its master sends needs no op.
  if ((ctx.dirty > 0 || ctx.forced) && !ctx.prevented && !(ctx.fromMaster && s.isReplica)) {
    addOp(unit, ctx.db.id, ctx.rewritten ?? argv);
  }
  return reply;
}

/**
 * What a data command sees of the server during one call: Redis's
 * `server.dirty`, `rewriteClientCommandVector`, `alsoPropagate` and friends.
 */
export class CommandCall implements ExecContext {
  readonly keyspace: Keyspace;
  db: Db;
  expiryIsReadOnly = false;
  fromMaster = false;
  expiryPaused = false;
  dirty = 0;
  forced = false;
  prevented = false;
  rewritten: readonly ByteString[] | null = null;
  private unit: ExecutionUnit = { ops: NO_OPS };

  constructor(private readonly s: Server) {
    this.keyspace = s.keyspace;
    this.db = s.keyspace.db(0);
  }

  /** Starts a call by `client` that propagates into `unit`. */
  begin(client: Client, unit: ExecutionUnit): void {
    const s = this.s;
    this.db = s.keyspace.db(client.db);
    this.fromMaster = client.flag === "master";
    this.expiryIsReadOnly = s.isReplica && !this.fromMaster;
    this.expiryPaused = s.failover.writesPaused;
    this.dirty = 0;
    this.forced = false;
    this.prevented = false;
    this.rewritten = null;
    this.unit = unit;
  }

  // Read when a command asks (few do), not for every call: the time is a
  // heap number, which would be allocated for every call.
  get nowMs(): number {
    return this.s.unixTimeMs();
  }

  get lazyfreeLazyExpire(): boolean {
    return this.s.configBool("lazyfree-lazy-expire");
  }

  get lazyfreeLazyServerDel(): boolean {
    return this.s.configBool("lazyfree-lazy-server-del");
  }

  get lazyfreeLazyUserDel(): boolean {
    return this.s.configBool("lazyfree-lazy-user-del");
  }

  random(): number {
    return this.s.random.next();
  }

  markDirty(changes = 1): void {
    this.dirty += changes;
  }

  rewrite(argv: readonly ByteString[]): void {
    this.rewritten = [...argv];
  }

  alsoPropagate(argv: readonly ByteString[]): void {
    addOp(this.unit, this.db.id, [...argv]);
  }

  forcePropagation(): void {
    this.forced = true;
  }

  preventPropagation(): void {
    this.prevented = true;
  }

  expireKey(db: Db, key: ByteString): void {
    deleteExpiredKey(this.s, db, key, this.unit);
  }
}

function deleteExpiredKey(s: Server, db: Db, key: ByteString, unit: ExecutionUnit): void {
  db.delete(key);
  s.stats.expiredKeys++;
  addOp(unit, db.id, [s.configBool("lazyfree-lazy-expire") ? "UNLINK" : "DEL", key]);
}

/** Deletes one expired key from the active expire cycle, propagated on its own. */
export function expireKeyNow(s: Server, dbid: number, key: ByteString): void {
  const unit: ExecutionUnit = { ops: NO_OPS };
  deleteExpiredKey(s, s.keyspace.db(dbid), key, unit);
  s.propagate(unit.ops, false);
}
