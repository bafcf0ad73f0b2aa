import type { ByteString } from "../bytes";
import { WRONG_TYPE, dbAdd, dbDelete, readTyped, writeTyped } from "../keyspace/lookup";
import type { Reply } from "../reply";
import {
  EMPTY_ARRAY,
  ERR,
  NIL,
  OK,
  arityError,
  array,
  bulk,
  bulkArray,
  error,
  integer,
} from "../reply";
import { WRONGTYPE, longLongArg } from "./args";
import type { CommandSpec, ExecContext } from "./command";
import {
  EXTENDED,
  LLONG_MAX,
  LLONG_MIN,
  addFloats,
  formatLongDoubleHuman,
  parseLongDouble,
  parseLongLong,
} from "./numbers";

/** Hash commands of `t_hash.c` (Redis 7.0). Fields keep insertion order, as a listpack does. */

type Hash = Map<ByteString, ByteString>;

/** `hashTypeLookupWriteOrCreate`: the hash, created empty (and added to the db) if missing. */
function lookupWriteOrCreate(ctx: ExecContext, key: ByteString): Hash | Reply {
  const hash = writeTyped(ctx, key, "hash");
  if (hash === WRONG_TYPE) return WRONGTYPE;
  if (hash !== undefined) return hash;
  const created: Hash = new Map();
  dbAdd(ctx.db, key, { type: "hash", value: created });
  return created;
}

function isHash(value: Hash | Reply): value is Hash {
  return value instanceof Map;
}

/** HSET replies the number of new fields, HMSET +OK; both always propagate. */
function hsetCommand(name: "hset" | "hmset") {
  return (ctx: ExecContext, argv: readonly ByteString[]): Reply => {
    if (argv.length % 2 === 1) return error(arityError(name));
    const hash = lookupWriteOrCreate(ctx, argv[1] ?? "");
    if (!isHash(hash)) return hash;
    let created = 0;
    for (let i = 2; i < argv.length; i += 2) {
      const field = argv[i] ?? "";
      if (!hash.has(field)) created++;
      hash.set(field, argv[i + 1] ?? "");
    }
    ctx.markDirty((argv.length - 2) / 2);
    return name === "hset" ? integer(created) : OK;
  };
}

function hsetnxCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const hash = lookupWriteOrCreate(ctx, argv[1] ?? "");
  if (!isHash(hash)) return hash;
  const field = argv[2] ?? "";
  if (hash.has(field)) return integer(0);
  hash.set(field, argv[3] ?? "");
  ctx.markDirty();
  return integer(1);
}

function hgetCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const hash = readTyped(ctx, argv[1] ?? "", "hash");
  if (hash === undefined) return NIL;
  if (hash === WRONG_TYPE) return WRONGTYPE;
  return bulk(hash.get(argv[2] ?? "") ?? null);
}

function hmgetCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const hash = readTyped(ctx, argv[1] ?? "", "hash");
  if (hash === WRONG_TYPE) return WRONGTYPE;
  return bulkArray(argv.slice(2).map((field) => hash?.get(field) ?? null));
}

function hdelCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const key = argv[1] ?? "";
  const hash = writeTyped(ctx, key, "hash");
  if (hash === undefined) return integer(0);
  if (hash === WRONG_TYPE) return WRONGTYPE;
  let deleted = 0;
  for (const field of argv.slice(2)) {
    if (hash.delete(field)) {
      deleted++;
      if (hash.size === 0) {
        dbDelete(ctx.db, key);
        break;
      }
    }
  }
  if (deleted > 0) ctx.markDirty(deleted);
  return integer(deleted);
}

function hlenCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const hash = readTyped(ctx, argv[1] ?? "", "hash");
  if (hash === WRONG_TYPE) return WRONGTYPE;
  return integer(hash?.size ?? 0);
}

function hstrlenCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const hash = readTyped(ctx, argv[1] ?? "", "hash");
  if (hash === WRONG_TYPE) return WRONGTYPE;
  return integer(hash?.get(argv[2] ?? "")?.length ?? 0);
}

function hexistsCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const hash = readTyped(ctx, argv[1] ?? "", "hash");
  if (hash === WRONG_TYPE) return WRONGTYPE;
  return integer(hash?.has(argv[2] ?? "") === true ? 1 : 0);
}

/** HGETALL, HKEYS, HVALS. */
function hgetallFamily(keys: boolean, values: boolean) {
  return (ctx: ExecContext, argv: readonly ByteString[]): Reply => {
    const hash = readTyped(ctx, argv[1] ?? "", "hash");
    if (hash === undefined) return EMPTY_ARRAY;
    if (hash === WRONG_TYPE) return WRONGTYPE;
    const out: Reply[] = [];
    for (const [field, value] of hash) {
      if (keys) out.push(bulk(field));
      if (values) out.push(bulk(value));
    }
    return array(out);
  };
}

function hincrbyCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const incr = longLongArg(argv[3] ?? "");
  if (typeof incr !== "bigint") return incr;
  const hash = lookupWriteOrCreate(ctx, argv[1] ?? "");
  if (!isHash(hash)) return hash;
  const field = argv[2] ?? "";
  const current = hash.get(field);
  const old = current === undefined ? 0n : parseLongLong(current);
  if (old === null) return error("ERR hash value is not an integer");
  if (
    (incr < 0n && old < 0n && incr < LLONG_MIN - old) ||
    (incr > 0n && old > 0n && incr > LLONG_MAX - old)
  ) {
    return error(ERR.overflow);
  }
  const value = old + incr;
  hash.set(field, value.toString());
  ctx.markDirty();
  return integer(Number(value));
}

/** HINCRBYFLOAT: long double arithmetic like INCRBYFLOAT; propagates as `HSET key field <result>`. */
function hincrbyfloatCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const incr = parseLongDouble(argv[3] ?? "");
  if (incr === null) return error(ERR.notFloat);
  if (incr.kind !== "finite") return error("ERR value is NaN or Infinity");
  const key = argv[1] ?? "";
  const hash = lookupWriteOrCreate(ctx, key);
  if (!isHash(hash)) return hash;
  const field = argv[2] ?? "";
  const current = hash.get(field);
  const old = current === undefined ? parseLongDouble("0") : parseLongDouble(current);
  if (old === null) return error("ERR hash value is not a float");
  const sum = addFloats(old, incr, EXTENDED);
  if (sum.kind !== "finite") return error("ERR increment would produce NaN or Infinity");
  const text = formatLongDoubleHuman(sum);
  hash.set(field, text);
  ctx.markDirty();
  ctx.rewrite(["HSET", key, field, text]);
  return bulk(text);
}

export const HASH_COMMANDS: readonly CommandSpec[] = [
  { name: "hset", arity: -4, flags: ["write", "denyoom", "fast"], handler: hsetCommand("hset") },
  { name: "hmset", arity: -4, flags: ["write", "denyoom", "fast"], handler: hsetCommand("hmset") },
  { name: "hsetnx", arity: 4, flags: ["write", "denyoom", "fast"], handler: hsetnxCommand },
  { name: "hget", arity: 3, flags: ["readonly", "fast"], handler: hgetCommand },
  { name: "hmget", arity: -3, flags: ["readonly", "fast"], handler: hmgetCommand },
  { name: "hdel", arity: -3, flags: ["write", "fast"], handler: hdelCommand },
  { name: "hlen", arity: 2, flags: ["readonly", "fast"], handler: hlenCommand },
  { name: "hstrlen", arity: 3, flags: ["readonly", "fast"], handler: hstrlenCommand },
  { name: "hexists", arity: 3, flags: ["readonly", "fast"], handler: hexistsCommand },
  { name: "hgetall", arity: 2, flags: ["readonly"], handler: hgetallFamily(true, true) },
  { name: "hkeys", arity: 2, flags: ["readonly"], handler: hgetallFamily(true, false) },
  { name: "hvals", arity: 2, flags: ["readonly"], handler: hgetallFamily(false, true) },
  { name: "hincrby", arity: 4, flags: ["write", "denyoom", "fast"], handler: hincrbyCommand },
  {
    name: "hincrbyfloat",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    handler: hincrbyfloatCommand,
  },
];
