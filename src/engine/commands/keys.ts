import type { ByteString } from "../bytes";
import type { Db } from "../keyspace/db";
import {
  checkAlreadyExpired,
  dbAdd,
  dbDelete,
  expireIfNeeded,
  isKeyExpired,
  lookupKeyRead,
  lookupKeyWrite,
  typeName,
} from "../keyspace/lookup";
import type { RedisValue } from "../keyspace/value";
import { byCodeUnits, smallest } from "../keyspace/smallest";
import { hashString } from "../random";
import type { Reply } from "../reply";
import { ERR, NIL, OK, array, bulk, error, integer, simple } from "../reply";
import { eqi, longArg, longLongArg, rangeLongArg } from "./args";
import type { CommandSpec, ExecContext } from "./command";
import { stringMatchLen } from "./globPattern";
import { LLONG_MAX, LLONG_MIN, cString } from "./numbers";

/** Keyspace commands of `db.c` and `expire.c` (Redis 7.0). SELECT, MOVE and SWAPDB are the server's. */

function delGeneric(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  let deleted = 0;
  for (const key of argv.slice(1)) {
    // On a replica a logically expired key is still there, and DEL counts it.
    expireIfNeeded(ctx, ctx.db, key, false);
    if (dbDelete(ctx.db, key)) {
      ctx.markDirty();
      deleted++;
    }
  }
  return integer(deleted);
}

/** TOUCH: like EXISTS (it only updates access times, which we do not model). */
function existsCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  let count = 0;
  for (const key of argv.slice(1)) if (lookupKeyRead(ctx, key) !== undefined) count++;
  return integer(count);
}

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

/** `parseExtendedExpireArgumentsOrReply`: NX XX GT LT (7.0). */
function parseExpireFlags(argv: readonly ByteString[]): number | Reply {
  let flags = 0;
  for (const opt of argv.slice(3)) {
    if (eqi(opt, "nx")) flags |= EXPIRE_NX;
    else if (eqi(opt, "xx")) flags |= EXPIRE_XX;
    else if (eqi(opt, "gt")) flags |= EXPIRE_GT;
    else if (eqi(opt, "lt")) flags |= EXPIRE_LT;
    else return error(`ERR Unsupported option ${cString(opt)}`);
  }
  if (flags & EXPIRE_NX && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) {
    return error("ERR NX and XX, GT or LT options at the same time are not compatible");
  }
  if (flags & EXPIRE_GT && flags & EXPIRE_LT) {
    return error("ERR GT and LT options at the same time are not compatible");
  }
  return flags;
}

/**
 * `expireGenericCommand`: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT. Propagates as
 * `PEXPIREAT key <abs-ms> [options as sent]` (a PEXPIREAT goes as sent), or as
 * DEL/UNLINK (lazyfree-lazy-expire) when the time is already past on a master.
 */
function expireFamily(command: string, relative: boolean, unitSeconds: boolean) {
  return (ctx: ExecContext, argv: readonly ByteString[]): Reply => {
    const key = argv[1] ?? "";
    const flags = parseExpireFlags(argv);
    if (typeof flags !== "number") return flags;
    const parsed = longLongArg(argv[2] ?? "");
    if (typeof parsed !== "bigint") return parsed;
    const invalid = error(`ERR invalid expire time in '${command}' command`);
    let when = parsed;
    if (unitSeconds) {
      if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) return invalid;
      when *= 1000n;
    }
    const basetime = relative ? BigInt(ctx.nowMs) : 0n;
    if (when > LLONG_MAX - basetime) return invalid;
    when += basetime;

    if (lookupKeyWrite(ctx, key) === undefined) return integer(0);
    if (flags) {
      const current = ctx.db.expires.get(key);
      if (flags & EXPIRE_NX && current !== undefined) return integer(0);
      if (flags & EXPIRE_XX && current === undefined) return integer(0);
      // No TTL counts as an infinite one.
      if (flags & EXPIRE_GT && (current === undefined || Number(when) <= current))
        return integer(0);
      if (flags & EXPIRE_LT && current !== undefined && Number(when) >= current) return integer(0);
    }
    if (checkAlreadyExpired(ctx, Number(when))) {
      dbDelete(ctx.db, key);
      ctx.markDirty();
      ctx.rewrite([ctx.lazyfreeLazyExpire ? "UNLINK" : "DEL", key]);
      return integer(1);
    }
    ctx.db.expires.set(key, Number(when));
    if (relative || unitSeconds) ctx.rewrite(["PEXPIREAT", key, when.toString(), ...argv.slice(3)]);
    ctx.markDirty();
    return integer(1);
  };
}

/** `ttlGenericCommand`: -2 missing, -1 no TTL; seconds are rounded to the nearest. */
function ttlFamily(outputMs: boolean, outputAbsolute: boolean) {
  return (ctx: ExecContext, argv: readonly ByteString[]): Reply => {
    const key = argv[1] ?? "";
    if (lookupKeyRead(ctx, key) === undefined) return integer(-2);
    const expire = ctx.db.expires.get(key);
    if (expire === undefined) return integer(-1);
    let ttl = outputAbsolute ? expire : expire - ctx.nowMs;
    if (ttl < 0) ttl = 0;
    return integer(outputMs ? ttl : Math.floor((ttl + 500) / 1000));
  };
}

function persistCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const key = argv[1] ?? "";
  if (lookupKeyWrite(ctx, key) === undefined) return integer(0);
  if (!ctx.db.expires.delete(key)) return integer(0);
  ctx.markDirty();
  return integer(1);
}

function typeCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  return simple(typeName(lookupKeyRead(ctx, argv[1] ?? "")));
}

/** KEYS: every key matching, logically expired ones left out (but not deleted). */
function keysCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const pattern = argv[1] ?? "";
  const allKeys = pattern === "*";
  const out: Reply[] = [];
  for (const key of ctx.db.dict.keys()) {
    if ((allKeys || stringMatchLen(pattern, key)) && !isKeyExpired(ctx.db, key, ctx.nowMs))
      out.push(bulk(key));
  }
  return array(out);
}

const ULONG_MAX = (1n << 64n) - 1n;

/** `parseScanCursorOrReply`: `strtoul` on the whole (NUL-terminated) argument. */
function parseCursor(arg: ByteString): bigint | null {
  const text = cString(arg);
  if (text === "") return 0n;
  if (!/^[+-]?[0-9]+$/.test(text)) return null;
  const negative = text.startsWith("-");
  const magnitude = BigInt(text.replace(/^[+-]/, ""));
  if (magnitude > ULONG_MAX) return null;
  return negative && magnitude !== 0n ? ULONG_MAX + 1n - magnitude : magnitude;
}

/** A key's place in the deterministic scan order; cursors are places, 0 starts and ends. */
function scanPlace(key: ByteString): number {
  return hashString(key) + 1;
}

/**
 * The keys one SCAN call visits from `cursor`: the `count` first in scan
 * order, and every other key at the place of the last of them (or the cursor
 * could not resume between them), with the place to resume at (0: the end).
 * In two passes over the keys and without sorting them all: a SCAN of a
 * million keys used to sort the million at every call.
 */
function scanBatch(
  dict: ReadonlyMap<ByteString, unknown>,
  cursor: bigint,
  count: number,
): { batch: ByteString[]; next: number } {
  const from = cursor > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(cursor);
  function* placesFrom(): Generator<number> {
    for (const key of dict.keys()) {
      const place = scanPlace(key);
      if (place >= from) yield place;
    }
  }
  const first = smallest(placesFrom(), count, (a, b) => a - b);
  // Fewer than `count` keys from the cursor on: this call visits them all.
  const last = first.length < count ? Infinity : (first[first.length - 1] ?? Infinity);
  const visited: { key: ByteString; place: number }[] = [];
  let next = Infinity;
  for (const key of dict.keys()) {
    const place = scanPlace(key);
    if (place < from) continue;
    if (place <= last) visited.push({ key, place });
    else if (place < next) next = place;
  }
  visited.sort((a, b) => a.place - b.place || byCodeUnits(a.key, b.key));
  return { batch: visited.map((v) => v.key), next: next === Infinity ? 0 : next };
}

/**
 * SCAN with a deterministic cursor: keys are visited in order of a hash of
 * their name, and the cursor is the next hash to visit, so every key present
 * for the whole iteration is returned (once). Options and filters are
 * Redis's: MATCH, COUNT (≥ 1), TYPE, and expired keys (deleted on a master).
 */
function scanCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const cursor = parseCursor(argv[1] ?? "");
  if (cursor === null) return error("ERR invalid cursor");
  let count = 10;
  let pattern: ByteString | null = null;
  let type: ByteString | null = null;
  for (let i = 2; i < argv.length; i += 2) {
    const more = argv.length - i >= 2;
    const value = argv[i + 1] ?? "";
    if (eqi(argv[i], "count") && more) {
      const n = longArg(value);
      if (typeof n !== "number") return n;
      if (n < 1) return error(ERR.syntax);
      count = n;
    } else if (eqi(argv[i], "match") && more) {
      pattern = value === "*" ? null : value;
    } else if (eqi(argv[i], "type") && more) {
      type = value;
    } else {
      return error(ERR.syntax);
    }
  }

  const { batch, next } = scanBatch(ctx.db.dict, cursor, count);
  const keys = batch.filter((key) => {
    if (pattern !== null && !stringMatchLen(pattern, key)) return false;
    if (type !== null && !eqi(type, typeName(lookupKeyRead(ctx, key)))) return false;
    return !expireIfNeeded(ctx, ctx.db, key, false);
  });
  return array([bulk(String(next)), array(keys.map(bulk))]);
}

function dbsizeCommand(ctx: ExecContext): Reply {
  return integer(ctx.db.size);
}

/** `getFlushCommandFlags`: only a lone SYNC or ASYNC. */
function flushArgsOk(argv: readonly ByteString[]): boolean {
  return (
    argv.length === 1 || (argv.length === 2 && (eqi(argv[1], "sync") || eqi(argv[1], "async")))
  );
}

/** FLUSHDB: always propagated, even on an empty database. */
function flushdbCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  if (!flushArgsOk(argv)) return error(ERR.syntax);
  const removed = ctx.db.size;
  ctx.db.clear();
  ctx.markDirty(removed);
  ctx.forcePropagation();
  return OK;
}

/** FLUSHALL: always propagated. (Redis also kills an RDB child and saves if `save` is set: the server's part.) */
function flushallCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  if (!flushArgsOk(argv)) return error(ERR.syntax);
  const removed = ctx.keyspace.totalKeys();
  ctx.keyspace.flushAll();
  ctx.markDirty(removed + 1);
  ctx.forcePropagation();
  return OK;
}

function renameGeneric(ctx: ExecContext, argv: readonly ByteString[], nx: boolean): Reply {
  const src = argv[1] ?? "";
  const dst = argv[2] ?? "";
  const value = lookupKeyWrite(ctx, src);
  if (value === undefined) return error(ERR.noSuchKey);
  if (src === dst) return nx ? integer(0) : OK;
  const expire = ctx.db.expires.get(src);
  if (lookupKeyWrite(ctx, dst) !== undefined) {
    if (nx) return integer(0);
    dbDelete(ctx.db, dst);
  }
  // Redis adds dst before deleting src; the other way round ends the same and
  // never counts one key twice against the node's key limit.
  dbDelete(ctx.db, src);
  dbAdd(ctx.db, dst, value);
  if (expire !== undefined) ctx.db.expires.set(dst, expire);
  ctx.markDirty();
  return nx ? integer(1) : OK;
}

/** The most keys RANDOMKEY draws before settling for a deterministic pick. */
const RANDOMKEY_MAX_DRAWS = 1000;

/**
 * `dbRandomKey`: draws until it finds a key that is not expired (expired ones
 * are deleted on a master). On a replica whose keys all have a TTL it gives
 * up after 100 draws and may return a logically expired key, as Redis does.
 */
function randomkeyCommand(ctx: ExecContext): Reply {
  const db = ctx.db;
  const isReplica = ctx.expiryIsReadOnly || ctx.fromMaster;
  const allVolatile = db.dict.size === db.expires.size;
  let tries = 100;
  for (let draw = 0; draw < RANDOMKEY_MAX_DRAWS; draw++) {
    const size = db.dict.size;
    if (size === 0) return NIL;
    const key = nthKey(db, Math.min(size - 1, Math.floor(ctx.random() * size)));
    if (db.expires.has(key)) {
      if (allVolatile && isReplica && --tries === 0) return bulk(key);
      if (expireIfNeeded(ctx, db, key, false)) continue;
    }
    return bulk(key);
  }
  // A degenerate random source: take the first key that is not expired, if any.
  for (const key of db.dict.keys()) if (!isKeyExpired(db, key, ctx.nowMs)) return bulk(key);
  const first = db.dict.keys().next();
  return first.done === true ? NIL : bulk(first.value);
}

/** The key at `index` in the database's order, found by walking to it rather than copying every key. */
function nthKey(db: Db, index: number): ByteString {
  let i = 0;
  for (const key of db.dict.keys()) if (i++ === index) return key;
  return "";
}

function copyValue(value: RedisValue): RedisValue {
  // Strings are immutable: the copy may share the original.
  if (typeof value === "string") return value;
  switch (value.type) {
    case "list":
      return { type: "list", value: [...value.value] };
    case "hash":
      return { type: "hash", value: new Map(value.value) };
    case "set":
      return { type: "set", value: new Set(value.value) };
    case "zset":
      return { type: "zset", value: new Map(value.value) };
  }
}

const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;

/** COPY source destination [DB db] [REPLACE]. */
function copyCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  let replace = false;
  let dst: Db = ctx.db;
  for (let j = 3; j < argv.length; j++) {
    if (eqi(argv[j], "replace")) {
      replace = true;
    } else if (eqi(argv[j], "db") && j + 1 < argv.length) {
      const id = rangeLongArg(argv[j + 1] ?? "", INT_MIN, INT_MAX);
      if (typeof id !== "number") return id;
      if (id < 0 || id >= ctx.keyspace.dbs.length) return error(ERR.selectRange);
      dst = ctx.keyspace.db(id);
      j++;
    } else {
      return error(ERR.syntax);
    }
  }
  const src = argv[1] ?? "";
  const newKey = argv[2] ?? "";
  if (dst === ctx.db && src === newKey)
    return error("ERR source and destination objects are the same");
  const value = lookupKeyRead(ctx, src);
  if (value === undefined) return integer(0);
  const expire = ctx.db.expires.get(src);
  if (lookupKeyWrite(ctx, newKey, dst) !== undefined) {
    if (!replace) return integer(0);
    dbDelete(dst, newKey);
  }
  dbAdd(dst, newKey, copyValue(value));
  if (expire !== undefined) dst.expires.set(newKey, expire);
  ctx.markDirty();
  return integer(1);
}

export const KEY_COMMANDS: readonly CommandSpec[] = [
  { name: "del", arity: -2, flags: ["write"], handler: delGeneric },
  { name: "unlink", arity: -2, flags: ["write", "fast"], handler: delGeneric },
  { name: "exists", arity: -2, flags: ["readonly", "fast"], handler: existsCommand },
  { name: "touch", arity: -2, flags: ["readonly", "fast"], handler: existsCommand },
  {
    name: "expire",
    arity: -3,
    flags: ["write", "fast"],
    handler: expireFamily("expire", true, true),
  },
  {
    name: "pexpire",
    arity: -3,
    flags: ["write", "fast"],
    handler: expireFamily("pexpire", true, false),
  },
  {
    name: "expireat",
    arity: -3,
    flags: ["write", "fast"],
    handler: expireFamily("expireat", false, true),
  },
  {
    name: "pexpireat",
    arity: -3,
    flags: ["write", "fast"],
    handler: expireFamily("pexpireat", false, false),
  },
  { name: "persist", arity: 2, flags: ["write", "fast"], handler: persistCommand },
  { name: "ttl", arity: 2, flags: ["readonly", "fast"], handler: ttlFamily(false, false) },
  { name: "pttl", arity: 2, flags: ["readonly", "fast"], handler: ttlFamily(true, false) },
  { name: "expiretime", arity: 2, flags: ["readonly", "fast"], handler: ttlFamily(false, true) },
  { name: "pexpiretime", arity: 2, flags: ["readonly", "fast"], handler: ttlFamily(true, true) },
  { name: "type", arity: 2, flags: ["readonly", "fast"], handler: typeCommand },
  { name: "keys", arity: 2, flags: ["readonly"], handler: keysCommand },
  { name: "scan", arity: -2, flags: ["readonly", "touches-arbitrary-keys"], handler: scanCommand },
  { name: "dbsize", arity: 1, flags: ["readonly", "fast"], handler: dbsizeCommand },
  { name: "flushdb", arity: -1, flags: ["write"], handler: flushdbCommand },
  { name: "flushall", arity: -1, flags: ["write"], handler: flushallCommand },
  {
    name: "rename",
    arity: 3,
    flags: ["write"],
    handler: (ctx, argv) => renameGeneric(ctx, argv, false),
  },
  {
    name: "renamenx",
    arity: 3,
    flags: ["write", "fast"],
    handler: (ctx, argv) => renameGeneric(ctx, argv, true),
  },
  {
    name: "randomkey",
    arity: 1,
    flags: ["readonly", "touches-arbitrary-keys"],
    handler: randomkeyCommand,
  },
  { name: "copy", arity: -3, flags: ["write", "denyoom"], handler: copyCommand },
];
