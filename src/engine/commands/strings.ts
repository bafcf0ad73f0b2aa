import type { ByteString } from "../bytes";
import {
  WRONG_TYPE,
  checkAlreadyExpired,
  dbAdd,
  dbDelete,
  dbOverwrite,
  lookupKeyRead,
  lookupKeyWrite,
  readTyped,
  setKey,
} from "../keyspace/lookup";
import type { Reply } from "../reply";
import { ERR, NIL, OK, arityError, array, bulk, error, integer } from "../reply";
import { WRONGTYPE, checkStringLength, eqi, longArg, longLongArg } from "./args";
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

/** String commands of `t_string.c` (Redis 7.0). */

const EMPTY_BULK = bulk("");

// parseExtendedStringArgumentsOrReply flags.
const NX = 1 << 0;
const XX = 1 << 1;
const EX = 1 << 2;
const PX = 1 << 3;
const KEEPTTL = 1 << 4;
const GET = 1 << 5;
const EXAT = 1 << 6;
const PXAT = 1 << 7;
const PERSIST = 1 << 8;

interface ExtendedArgs {
  flags: number;
  /** The EX/PX/EXAT/PXAT argument. */
  expire?: ByteString;
  unitSeconds: boolean;
}

/**
 * `parseExtendedStringArgumentsOrReply`: SET options (NX XX GET KEEPTTL and
 * the four expiries) or GETEX options (PERSIST and the expiries). Any
 * repeated-but-compatible option is accepted; conflicts are a syntax error.
 */
function parseExtendedArgs(argv: readonly ByteString[], forSet: boolean): ExtendedArgs | Reply {
  const out: ExtendedArgs = { flags: 0, unitSeconds: true };
  for (let j = forSet ? 3 : 2; j < argv.length; j++) {
    const opt = argv[j];
    const next = argv[j + 1];
    const noExpiry =
      !isSet(out.flags, EX) &&
      !isSet(out.flags, PX) &&
      !isSet(out.flags, EXAT) &&
      !isSet(out.flags, PXAT);
    if (forSet && eqi(opt, "nx") && !isSet(out.flags, XX)) {
      out.flags |= NX;
    } else if (forSet && eqi(opt, "xx") && !isSet(out.flags, NX)) {
      out.flags |= XX;
    } else if (forSet && eqi(opt, "get")) {
      out.flags |= GET;
    } else if (forSet && eqi(opt, "keepttl") && !isSet(out.flags, PERSIST) && noExpiry) {
      out.flags |= KEEPTTL;
    } else if (!forSet && eqi(opt, "persist") && noExpiry && !isSet(out.flags, KEEPTTL)) {
      out.flags |= PERSIST;
    } else if (
      next !== undefined &&
      !isSet(out.flags, KEEPTTL) &&
      !isSet(out.flags, PERSIST) &&
      ((eqi(opt, "ex") &&
        !isSet(out.flags, EXAT) &&
        !isSet(out.flags, PX) &&
        !isSet(out.flags, PXAT)) ||
        (eqi(opt, "px") &&
          !isSet(out.flags, EX) &&
          !isSet(out.flags, EXAT) &&
          !isSet(out.flags, PXAT)) ||
        (eqi(opt, "exat") &&
          !isSet(out.flags, EX) &&
          !isSet(out.flags, PX) &&
          !isSet(out.flags, PXAT)) ||
        (eqi(opt, "pxat") &&
          !isSet(out.flags, EX) &&
          !isSet(out.flags, EXAT) &&
          !isSet(out.flags, PX)))
    ) {
      const flag = eqi(opt, "ex") ? EX : eqi(opt, "px") ? PX : eqi(opt, "exat") ? EXAT : PXAT;
      out.flags |= flag;
      if (flag === PX || flag === PXAT) out.unitSeconds = false;
      out.expire = next;
      j++;
    } else {
      return error(ERR.syntax);
    }
  }
  return out;
}

/** Whether option flag `f` is among `flags`. */
function isSet(flags: number, f: number): boolean {
  return (flags & f) !== 0;
}

/** An absolute unix time in ms, with the decimal text Redis propagates for it. */
interface Deadline {
  readonly ms: number;
  readonly text: string;
}

/**
 * `getExpireMillisecondsOrReply`: the EX/PX/EXAT/PXAT argument as an absolute
 * time; zero, negative or overflowing values are "invalid expire time".
 */
function expireDeadline(
  ctx: ExecContext,
  arg: ByteString,
  relative: boolean,
  unitSeconds: boolean,
  command: string,
): Deadline | Reply {
  const value = longLongArg(arg);
  if (typeof value !== "bigint") return value;
  const invalid = error(`ERR invalid expire time in '${command}' command`);
  if (value <= 0n || (unitSeconds && value > LLONG_MAX / 1000n)) return invalid;
  let ms = unitSeconds ? value * 1000n : value;
  if (relative) ms += BigInt(ctx.nowMs);
  // In C the addition wraps to a negative number; either way it is refused.
  if (ms <= 0n || ms > LLONG_MAX) return invalid;
  return { ms: Number(ms), text: ms.toString() };
}

/** `getGenericCommand`: the GET reply, WRONGTYPE included. */
function getGeneric(ctx: ExecContext, key: ByteString): Reply {
  const value = readTyped(ctx, key, "string");
  if (value === WRONG_TYPE) return WRONGTYPE;
  return value === undefined ? NIL : bulk(value);
}

/**
 * `setGenericCommand`: SET and its variants. A SET with an expiry propagates
 * as `SET key value PXAT <ms>` (other options dropped); a SET with GET and
 * no expiry propagates without the GET arguments.
 */
function setGeneric(
  ctx: ExecContext,
  argv: readonly ByteString[],
  opts: {
    flags: number;
    key: ByteString;
    value: ByteString;
    expire?: ByteString | undefined;
    unitSeconds: boolean;
    command: string;
    okReply?: Reply;
    abortReply?: Reply;
  },
): Reply {
  const { flags, key, value, expire } = opts;
  let deadline: Deadline | undefined;
  if (expire !== undefined) {
    const d = expireDeadline(
      ctx,
      expire,
      (flags & (EX | PX)) !== 0,
      opts.unitSeconds,
      opts.command,
    );
    if (!("ms" in d)) return d;
    deadline = d;
  }
  let oldValue: Reply | undefined;
  if (flags & GET) {
    oldValue = getGeneric(ctx, key);
    if (oldValue.type === "error") return oldValue;
  }
  const found = lookupKeyWrite(ctx, key) !== undefined;
  if ((flags & NX && found) || (flags & XX && !found)) {
    return oldValue ?? opts.abortReply ?? NIL;
  }
  setKey(ctx, key, value, { keepTtl: (flags & KEEPTTL) !== 0, exists: found });
  ctx.markDirty();
  if (deadline) {
    ctx.db.expires.set(key, deadline.ms);
    ctx.rewrite(["SET", key, value, "PXAT", deadline.text]);
  } else if (flags & GET) {
    ctx.rewrite(argv.filter((arg, j) => j < 3 || !eqi(arg, "get")));
  }
  return oldValue ?? opts.okReply ?? OK;
}

function setCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  if (argv.length === 3) return setPlain(ctx, argv[1] ?? "", argv[2] ?? "");
  const parsed = parseExtendedArgs(argv, true);
  if ("type" in parsed) return parsed;
  const { flags, expire, unitSeconds } = parsed;
  return setGeneric(ctx, argv, {
    flags,
    key: argv[1] ?? "",
    value: argv[2] ?? "",
    expire,
    unitSeconds,
    command: "set",
  });
}

/**
 * `SET key value` with no option, the most common write: what setGeneric
 * does for it (a write lookup, `setKey` without KEEPTTL, dirty), without
 * parsing options. In a database with no TTL the write lookup has no effect,
 * and only a new key can meet the node's key limit: one dictionary operation
 * does it all, and the limit is counted (over all 16 databases) only when the
 * dictionary grew. A key past the limit is taken out again before `reserve`
 * throws, so the node dies with the keyspace it had, as Redis fails before
 * writing.
 */
function setPlain(ctx: ExecContext, key: ByteString, value: ByteString): Reply {
  const db = ctx.db;
  if (db.expires.size === 0) {
    const dict = db.dict;
    const size = dict.size;
    dict.set(key, value);
    if (dict.size !== size && !db.withinKeyLimit()) {
      dict.delete(key);
      db.reserve();
    }
  } else {
    if (lookupKeyWrite(ctx, key, db) === undefined) db.reserve();
    db.dict.set(key, value);
    db.expires.delete(key);
  }
  ctx.markDirty();
  return OK;
}

function setnxCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  return setGeneric(ctx, argv, {
    flags: NX,
    key: argv[1] ?? "",
    value: argv[2] ?? "",
    unitSeconds: true,
    command: "setnx",
    okReply: integer(1),
    abortReply: integer(0),
  });
}

function setexFamily(command: string, unitSeconds: boolean) {
  return (ctx: ExecContext, argv: readonly ByteString[]): Reply =>
    setGeneric(ctx, argv, {
      flags: unitSeconds ? EX : PX,
      key: argv[1] ?? "",
      value: argv[3] ?? "",
      expire: argv[2] ?? "",
      unitSeconds,
      command,
    });
}

function getCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  return getGeneric(ctx, argv[1] ?? "");
}

/**
 * GETEX: never propagated as itself; as PEXPIREAT, DEL/UNLINK (an EXAT/PXAT
 * already past), PERSIST (only if a TTL was removed), or not at all.
 */
function getexCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const parsed = parseExtendedArgs(argv, false);
  if ("type" in parsed) return parsed;
  const key = argv[1] ?? "";
  const value = readTyped(ctx, key, "string");
  if (value === undefined) return NIL;
  if (value === WRONG_TYPE) return WRONGTYPE;
  const { flags, expire } = parsed;
  let deadline: Deadline | undefined;
  if (expire !== undefined) {
    const d = expireDeadline(ctx, expire, (flags & (EX | PX)) !== 0, parsed.unitSeconds, "getex");
    if (!("ms" in d)) return d;
    deadline = d;
  }
  const reply = bulk(value);
  if (deadline && flags & (EXAT | PXAT) && checkAlreadyExpired(ctx, deadline.ms)) {
    dbDelete(ctx.db, key);
    ctx.rewrite([ctx.lazyfreeLazyExpire ? "UNLINK" : "DEL", key]);
    ctx.markDirty();
  } else if (deadline) {
    ctx.db.expires.set(key, deadline.ms);
    ctx.rewrite(["PEXPIREAT", key, deadline.text]);
    ctx.markDirty();
  } else if (flags & PERSIST) {
    if (ctx.db.expires.delete(key)) {
      ctx.rewrite(["PERSIST", key]);
      ctx.markDirty();
    }
  }
  return reply;
}

/** GETDEL: propagates as DEL when it deleted something. */
function getdelCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const key = argv[1] ?? "";
  const reply = getGeneric(ctx, key);
  if (reply.type === "error") return reply;
  if (dbDelete(ctx.db, key)) {
    ctx.rewrite(["DEL", key]);
    ctx.markDirty();
  }
  return reply;
}

/** GETSET: the old value; propagates as SET (and, like SET, clears the TTL). */
function getsetCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const key = argv[1] ?? "";
  const reply = getGeneric(ctx, key);
  if (reply.type === "error") return reply;
  setKey(ctx, key, argv[2] ?? "");
  ctx.markDirty();
  ctx.rewrite(["SET", key, argv[2] ?? ""]);
  return reply;
}

function msetGeneric(ctx: ExecContext, argv: readonly ByteString[], nx: boolean): Reply {
  if (argv.length % 2 === 0) return error(arityError(nx ? "msetnx" : "mset"));
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) {
      if (lookupKeyWrite(ctx, argv[j] ?? "") !== undefined) return integer(0);
    }
  }
  for (let j = 1; j < argv.length; j += 2) {
    setKey(ctx, argv[j] ?? "", argv[j + 1] ?? "");
  }
  ctx.markDirty((argv.length - 1) / 2);
  return nx ? integer(1) : OK;
}

function mgetCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  return array(
    argv.slice(1).map((key) => {
      const value = lookupKeyRead(ctx, key);
      return typeof value === "string" ? bulk(value) : NIL;
    }),
  );
}

/** `incrDecrCommand`: 64-bit arithmetic on a canonical integer string; the TTL is kept. */
function incrDecr(ctx: ExecContext, key: ByteString, incr: bigint): Reply {
  const o = lookupKeyWrite(ctx, key);
  if (o !== undefined && typeof o !== "string") return WRONGTYPE;
  const old = o !== undefined ? parseLongLong(o) : 0n;
  if (old === null) return error(ERR.notInteger);
  if (
    (incr < 0n && old < 0n && incr < LLONG_MIN - old) ||
    (incr > 0n && old > 0n && incr > LLONG_MAX - old)
  ) {
    return error(ERR.overflow);
  }
  const value = old + incr;
  const stored = value.toString();
  if (o !== undefined) dbOverwrite(ctx.db, key, stored);
  else dbAdd(ctx.db, key, stored);
  ctx.markDirty();
  // Integer replies are JS numbers: exact up to 2^53.
  return integer(Number(value));
}

function incrByCommand(sign: 1n | -1n, fixed: bigint | null) {
  return (ctx: ExecContext, argv: readonly ByteString[]): Reply => {
    let incr = fixed;
    if (incr === null) {
      const parsed = longLongArg(argv[2] ?? "");
      if (typeof parsed !== "bigint") return parsed;
      if (sign < 0n && parsed === LLONG_MIN) return error("ERR decrement would overflow");
      incr = parsed;
    }
    return incrDecr(ctx, argv[1] ?? "", sign * incr);
  };
}

/**
 * INCRBYFLOAT: x87 long double arithmetic printed with `%.17Lf`; always
 * propagated as `SET key <result> KEEPTTL` so replicas cannot round differently.
 */
function incrbyfloatCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const key = argv[1] ?? "";
  const o = lookupKeyWrite(ctx, key);
  if (o !== undefined && typeof o !== "string") return WRONGTYPE;
  const value = parseLongDouble(o ?? "0");
  const incr = parseLongDouble(argv[2] ?? "");
  if (value === null || incr === null) return error(ERR.notFloat);
  const sum = addFloats(value, incr, EXTENDED);
  if (sum.kind !== "finite") return error("ERR increment would produce NaN or Infinity");
  const text = formatLongDoubleHuman(sum);
  const stored = text;
  if (o !== undefined) dbOverwrite(ctx.db, key, stored);
  else dbAdd(ctx.db, key, stored);
  ctx.markDirty();
  ctx.rewrite(["SET", key, text, "KEEPTTL"]);
  return bulk(text);
}

function appendCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const key = argv[1] ?? "";
  const suffix = argv[2] ?? "";
  const o = lookupKeyWrite(ctx, key);
  let total: number;
  if (o === undefined) {
    dbAdd(ctx.db, key, suffix);
    total = suffix.length;
  } else {
    if (typeof o !== "string") return WRONGTYPE;
    total = o.length + suffix.length;
    const tooLong = checkStringLength(ctx.fromMaster, total);
    if (tooLong) return tooLong;
    dbOverwrite(ctx.db, key, o + suffix);
  }
  ctx.markDirty();
  return integer(total);
}

function strlenCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const value = readTyped(ctx, argv[1] ?? "", "string");
  if (value === WRONG_TYPE) return WRONGTYPE;
  return integer(value === undefined ? 0 : value.length);
}

function getrangeCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  let start = longArg(argv[2] ?? "");
  if (typeof start !== "number") return start;
  let end = longArg(argv[3] ?? "");
  if (typeof end !== "number") return end;
  const value = readTyped(ctx, argv[1] ?? "", "string");
  if (value === undefined) return EMPTY_BULK;
  if (value === WRONG_TYPE) return WRONGTYPE;
  const len = value.length;
  if (start < 0 && end < 0 && start > end) return EMPTY_BULK;
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) return EMPTY_BULK;
  return bulk(value.slice(start, end + 1));
}

function setrangeCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const key = argv[1] ?? "";
  const patch = argv[3] ?? "";
  const offset = longArg(argv[2] ?? "");
  if (typeof offset !== "number") return offset;
  if (offset < 0) return error("ERR offset is out of range");
  const o = lookupKeyWrite(ctx, key);
  let current: ByteString;
  if (o === undefined) {
    if (patch.length === 0) return integer(0);
    const tooLong = checkStringLength(ctx.fromMaster, offset + patch.length);
    if (tooLong) return tooLong;
    current = "";
  } else {
    if (typeof o !== "string") return WRONGTYPE;
    if (patch.length === 0) return integer(o.length);
    const tooLong = checkStringLength(ctx.fromMaster, offset + patch.length);
    if (tooLong) return tooLong;
    current = o;
  }
  const padded = current.length < offset ? current + "\0".repeat(offset - current.length) : current;
  const next = padded.slice(0, offset) + patch + padded.slice(offset + patch.length);
  if (o !== undefined) dbOverwrite(ctx.db, key, next);
  else dbAdd(ctx.db, key, next);
  ctx.markDirty();
  return integer(next.length);
}

export const STRING_COMMANDS: readonly CommandSpec[] = [
  { name: "set", arity: -3, flags: ["write", "denyoom"], handler: setCommand },
  { name: "get", arity: 2, flags: ["readonly", "fast"], handler: getCommand },
  { name: "getex", arity: -2, flags: ["write", "fast"], handler: getexCommand },
  { name: "getdel", arity: 2, flags: ["write", "fast"], handler: getdelCommand },
  { name: "getset", arity: 3, flags: ["write", "denyoom", "fast"], handler: getsetCommand },
  { name: "setnx", arity: 3, flags: ["write", "denyoom", "fast"], handler: setnxCommand },
  { name: "setex", arity: 4, flags: ["write", "denyoom"], handler: setexFamily("setex", true) },
  { name: "psetex", arity: 4, flags: ["write", "denyoom"], handler: setexFamily("psetex", false) },
  {
    name: "mset",
    arity: -3,
    flags: ["write", "denyoom"],
    handler: (ctx, argv) => msetGeneric(ctx, argv, false),
  },
  {
    name: "msetnx",
    arity: -3,
    flags: ["write", "denyoom"],
    handler: (ctx, argv) => msetGeneric(ctx, argv, true),
  },
  { name: "mget", arity: -2, flags: ["readonly", "fast"], handler: mgetCommand },
  { name: "incr", arity: 2, flags: ["write", "denyoom", "fast"], handler: incrByCommand(1n, 1n) },
  { name: "decr", arity: 2, flags: ["write", "denyoom", "fast"], handler: incrByCommand(-1n, 1n) },
  {
    name: "incrby",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    handler: incrByCommand(1n, null),
  },
  {
    name: "decrby",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    handler: incrByCommand(-1n, null),
  },
  {
    name: "incrbyfloat",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    handler: incrbyfloatCommand,
  },
  { name: "append", arity: 3, flags: ["write", "denyoom", "fast"], handler: appendCommand },
  { name: "strlen", arity: 2, flags: ["readonly", "fast"], handler: strlenCommand },
  { name: "getrange", arity: 4, flags: ["readonly"], handler: getrangeCommand },
  { name: "setrange", arity: 4, flags: ["write", "denyoom"], handler: setrangeCommand },
];
