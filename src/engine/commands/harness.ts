import type { ByteString } from "../bytes";
import type { Db } from "../keyspace/db";
import { Keyspace } from "../keyspace/db";
import type { Reply } from "../reply";
import { arityError, unknownCommandError } from "../reply";
import type { CommandSpec, ExecContext } from "./command";
import { DATA_COMMANDS } from "./index";

/**
 * A stand-in for the server around data commands, for tests: it looks the
 * command up, checks arity, builds an ExecContext and records what Redis's
 * `call()` would propagate, in order (lazy-expiry DELs and alsoPropagate
 * first, then the command itself or its rewrite). Time moves only by hand.
 */
export class Harness {
  readonly keyspace = new Keyspace();
  dbId = 0;
  /** Unix time in ms; tests move it by hand. */
  nowMs = 1_700_000_000_000;
  /** "replica": other clients see expired keys as missing but never delete them. */
  role: "master" | "replica" = "master";
  lazyfreeLazyExpire = false;
  lazyfreeLazyServerDel = false;
  lazyfreeLazyUserDel = false;
  /** `expired_keys` */
  expiredKeys = 0;
  /** What the last call propagated, each entry one command's argv. */
  propagated: ByteString[][] = [];
  /** `server.dirty` added by the last call. */
  dirty = 0;
  private seed = 0x2545f491;
  private readonly table = new Map<string, CommandSpec>(
    DATA_COMMANDS.map((spec) => [spec.name, spec]),
  );

  get db(): Db {
    return this.keyspace.db(this.dbId);
  }

  /** Runs a command as a normal client. */
  call(...argv: ByteString[]): Reply {
    return this.run(argv, false);
  }

  /** Runs a command as this replica's master link (keys never expire for it). */
  callFromMaster(...argv: ByteString[]): Reply {
    return this.run(argv, true);
  }

  /** A small LCG, so tests of random commands replay. */
  random(): number {
    this.seed = (Math.imul(this.seed, 1664525) + 1013904223) >>> 0;
    return this.seed / 4294967296;
  }

  private run(argv: readonly ByteString[], fromMaster: boolean): Reply {
    this.propagated = [];
    this.dirty = 0;
    const name = (argv[0] ?? "").toLowerCase();
    const spec = this.table.get(name);
    if (!spec) return { type: "error", value: unknownCommandError(argv) };
    if ((spec.arity > 0 && argv.length !== spec.arity) || argv.length < -spec.arity) {
      return { type: "error", value: arityError(spec.name) };
    }
    const ops: ByteString[][] = [];
    let dirty = 0;
    let forced = false;
    let prevented = false;
    let rewritten: ByteString[] | null = null;
    const ctx: ExecContext = {
      keyspace: this.keyspace,
      db: this.db,
      nowMs: this.nowMs,
      expiryIsReadOnly: this.role === "replica" && !fromMaster,
      fromMaster,
      expiryPaused: false,
      lazyfreeLazyExpire: this.lazyfreeLazyExpire,
      lazyfreeLazyServerDel: this.lazyfreeLazyServerDel,
      lazyfreeLazyUserDel: this.lazyfreeLazyUserDel,
      random: () => this.random(),
      markDirty: (changes = 1) => {
        dirty += changes;
      },
      rewrite: (next) => {
        rewritten = [...next];
      },
      alsoPropagate: (extra) => {
        ops.push([...extra]);
      },
      forcePropagation: () => {
        forced = true;
      },
      preventPropagation: () => {
        prevented = true;
      },
      expireKey: (db, key) => {
        db.delete(key);
        this.expiredKeys++;
        ops.push([this.lazyfreeLazyExpire ? "UNLINK" : "DEL", key]);
      },
    };
    const reply = spec.handler(ctx, argv);
    if ((dirty > 0 || forced) && !prevented) ops.push(rewritten ?? [...argv]);
    this.dirty = dirty;
    this.propagated = ops;
    return reply;
  }
}
