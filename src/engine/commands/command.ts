import type { ByteString } from "../bytes";
import type { Db, Keyspace } from "../keyspace/db";
import type { Reply } from "../reply";

/**
 * Command flags, as in Redis's command table (`commands/*.json`), limited to
 * the ones that change what the server does around the handler.
 */
export type CommandFlag =
  | "write" // changes the dataset: refused on read-only replicas and by NOREPLICAS
  | "readonly" // reads the dataset
  | "denyoom" // refused under maxmemory (we model none, kept for fidelity)
  | "admin" // server administration (CONFIG, DEBUG, REPLICAOF, ...)
  | "noscript" // not callable from scripts
  | "loading" // allowed while loading the dataset
  | "stale" // allowed on a replica whose link is down with replica-serve-stale-data no
  | "fast" // O(1) / O(log N)
  | "no-multi" // refused inside MULTI
  | "touches-arbitrary-keys" // lazy-expire DELs are not wrapped in MULTI/EXEC
  | "server"; // handled by the server itself, not by a data handler

/**
 * What a data-command handler sees. The server builds one per command call;
 * handlers never reach the server or the clock any other way.
 */
export interface ExecContext {
  readonly keyspace: Keyspace;
  /** The client's selected database. */
  readonly db: Db;
  /** Unix time in milliseconds (the virtual clock plus the run's epoch). */
  readonly nowMs: number;
  /**
   * True when the server is a replica and the caller is not its master link:
   * logically expired keys read as missing but are not deleted (§6.1).
   * False on a master, where expired keys are deleted and a DEL propagated.
   */
  readonly expiryIsReadOnly: boolean;
  /** True when the caller is this replica's master link: keys never count as expired. */
  readonly fromMaster: boolean;
  /**
   * True while clients are paused (FAILOVER's write pause): the dataset stays
   * as it is, so an expired key reads as missing but is not deleted
   * (`checkClientPauseTimeoutAndReturnIfPaused` in `expireIfNeeded`).
   */
  readonly expiryPaused: boolean;
  /** `lazyfree-lazy-expire` / `lazyfree-lazy-server-del`: propagate UNLINK instead of DEL. */
  readonly lazyfreeLazyExpire: boolean;
  readonly lazyfreeLazyServerDel: boolean;
  /** `lazyfree-lazy-user-del`: DEL behaves as UNLINK (and propagates as UNLINK). */
  readonly lazyfreeLazyUserDel: boolean;
  /** A draw in [0, 1) from the process's seeded stream (SPOP, SRANDMEMBER, RANDOMKEY). */
  random(): number;
  /** Records dataset changes; a command propagates only if it made some (Redis's `server.dirty`). */
  markDirty(changes?: number): void;
  /** Replaces what this command propagates (Redis's `rewriteClientCommandVector`). */
  rewrite(argv: readonly ByteString[]): void;
  /** Propagates an extra command after this one, in the same execution unit (`alsoPropagate`). */
  alsoPropagate(argv: readonly ByteString[]): void;
  /** Propagates even if nothing changed (FLUSHDB/FLUSHALL on empty databases). */
  forcePropagation(): void;
  /** Propagates nothing for this command (`preventCommandPropagation`). */
  preventPropagation(): void;
  /** Deletes an expired key the way the server does: counts `expired_keys` and propagates DEL. */
  expireKey(db: Db, key: ByteString): void;
}

export type CommandHandler = (ctx: ExecContext, argv: readonly ByteString[]) => Reply;

export interface CommandSpec {
  /** Lower-case name as Redis's command table spells it. */
  readonly name: string;
  /** Positive: exact argc; negative: at least -arity (argv[0] included), as in Redis. */
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  readonly handler: CommandHandler;
}

export function hasFlag(spec: CommandSpec, flag: CommandFlag): boolean {
  return spec.flags.includes(flag);
}
