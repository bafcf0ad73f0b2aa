import type { ByteString } from "../bytes";
import { WRONG_TYPE, dbAdd, dbDelete, readTyped, writeTyped } from "../keyspace/lookup";
import type { Reply } from "../reply";
import {
  EMPTY_ARRAY,
  ERR,
  NIL,
  NIL_ARRAY,
  OK,
  arityError,
  array,
  bulk,
  bulkArray,
  error,
  integer,
} from "../reply";
import { WRONGTYPE, eqi, longArg, longLongArg, positiveLongArg } from "./args";
import type { CommandSpec, ExecContext } from "./command";
import { LLONG_MIN } from "./numbers";

/** List commands of `t_list.c` (Redis 7.0), without the blocking ones. */

type End = "head" | "tail";

function push(list: ByteString[], value: ByteString, where: End): void {
  if (where === "head") list.unshift(value);
  else list.push(value);
}

function pop(list: ByteString[], where: End): ByteString | undefined {
  return where === "head" ? list.shift() : list.pop();
}

/** `pushGenericCommand`: LPUSH RPUSH, and with `xx` LPUSHX RPUSHX. */
function pushCommand(where: End, xx: boolean) {
  return (ctx: ExecContext, argv: readonly ByteString[]): Reply => {
    const key = argv[1] ?? "";
    let list = writeTyped(ctx, key, "list");
    if (list === WRONG_TYPE) return WRONGTYPE;
    if (list === undefined) {
      if (xx) return integer(0);
      list = [];
      dbAdd(ctx.db, key, { type: "list", value: list });
    }
    for (const value of argv.slice(2)) {
      push(list, value, where);
      ctx.markDirty();
    }
    return integer(list.length);
  };
}

/** `listElementsRemoved`: an emptied list is deleted. */
function elementsRemoved(
  ctx: ExecContext,
  key: ByteString,
  list: ByteString[],
  count: number,
): void {
  if (list.length === 0) dbDelete(ctx.db, key);
  ctx.markDirty(count);
}

/** `popGenericCommand`: LPOP/RPOP key [count]; with a count the reply is an array (nil array if no key). */
function popCommand(where: End) {
  return (ctx: ExecContext, argv: readonly ByteString[]): Reply => {
    if (argv.length > 3) return error(arityError(where === "head" ? "lpop" : "rpop"));
    const hasCount = argv.length === 3;
    let count = 0;
    if (hasCount) {
      const n = positiveLongArg(argv[2] ?? "");
      if (typeof n !== "number") return n;
      count = n;
    }
    const key = argv[1] ?? "";
    const list = writeTyped(ctx, key, "list");
    if (list === undefined) return hasCount ? NIL_ARRAY : NIL;
    if (list === WRONG_TYPE) return WRONGTYPE;
    if (hasCount && count === 0) return EMPTY_ARRAY;
    if (!hasCount) {
      const value = pop(list, where) ?? "";
      elementsRemoved(ctx, key, list, 1);
      return bulk(value);
    }
    const n = Math.min(count, list.length);
    const values = where === "head" ? list.splice(0, n) : list.splice(list.length - n).reverse();
    elementsRemoved(ctx, key, list, n);
    return bulkArray(values);
  };
}

function llenCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const list = readTyped(ctx, argv[1] ?? "", "list");
  if (list === WRONG_TYPE) return WRONGTYPE;
  return integer(list?.length ?? 0);
}

/** `addListRangeReply` index arithmetic: the [start, end] slice, or null if empty. */
function normalizeRange(start: number, end: number, length: number): [number, number] | null {
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (start > end || start >= length) return null;
  if (end >= length) end = length - 1;
  return [start, end];
}

function lrangeCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const start = longArg(argv[2] ?? "");
  if (typeof start !== "number") return start;
  const end = longArg(argv[3] ?? "");
  if (typeof end !== "number") return end;
  const list = readTyped(ctx, argv[1] ?? "", "list");
  if (list === undefined) return EMPTY_ARRAY;
  if (list === WRONG_TYPE) return WRONGTYPE;
  const range = normalizeRange(start, end, list.length);
  return range ? bulkArray(list.slice(range[0], range[1] + 1)) : EMPTY_ARRAY;
}

function lindexCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const list = readTyped(ctx, argv[1] ?? "", "list");
  if (list === undefined) return NIL;
  if (list === WRONG_TYPE) return WRONGTYPE;
  const index = longArg(argv[2] ?? "");
  if (typeof index !== "number") return index;
  const i = index < 0 ? list.length + index : index;
  const value = i >= 0 ? list[i] : undefined;
  return value === undefined ? NIL : bulk(value);
}

function lsetCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const list = writeTyped(ctx, argv[1] ?? "", "list");
  if (list === undefined) return error(ERR.noSuchKey);
  if (list === WRONG_TYPE) return WRONGTYPE;
  const index = longArg(argv[2] ?? "");
  if (typeof index !== "number") return index;
  const i = index < 0 ? list.length + index : index;
  if (i < 0 || i >= list.length) return error(ERR.outOfRange);
  list[i] = argv[3] ?? "";
  ctx.markDirty();
  return OK;
}

/** LREM: count > 0 from the head, < 0 from the tail, 0 all. */
function lremCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const toRemove = longArg(argv[2] ?? "");
  if (typeof toRemove !== "number") return toRemove;
  const key = argv[1] ?? "";
  const list = writeTyped(ctx, key, "list");
  if (list === undefined) return integer(0);
  if (list === WRONG_TYPE) return WRONGTYPE;
  const element = argv[3] ?? "";
  const limit = toRemove === 0 ? Infinity : Math.abs(toRemove);
  let removed = 0;
  if (toRemove < 0) {
    for (let i = list.length - 1; i >= 0 && removed < limit; i--) {
      if (list[i] === element) {
        list.splice(i, 1);
        removed++;
      }
    }
  } else {
    for (let i = 0; i < list.length && removed < limit;) {
      if (list[i] === element) {
        list.splice(i, 1);
        removed++;
      } else {
        i++;
      }
    }
  }
  if (removed > 0) ctx.markDirty(removed);
  if (list.length === 0) dbDelete(ctx.db, key);
  return integer(removed);
}

/** LTRIM: dirty counts the removed elements, so a trim that keeps everything propagates nothing. */
function ltrimCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const start = longArg(argv[2] ?? "");
  if (typeof start !== "number") return start;
  const end = longArg(argv[3] ?? "");
  if (typeof end !== "number") return end;
  const key = argv[1] ?? "";
  const list = writeTyped(ctx, key, "list");
  if (list === undefined) return OK;
  if (list === WRONG_TYPE) return WRONGTYPE;
  const length = list.length;
  const range = normalizeRange(start, end, length);
  const left = range ? range[0] : length;
  const right = range ? length - range[1] - 1 : 0;
  list.splice(length - right, right);
  list.splice(0, left);
  if (list.length === 0) dbDelete(ctx.db, key);
  if (left + right > 0) ctx.markDirty(left + right);
  return OK;
}

function linsertCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  let after: boolean;
  if (eqi(argv[2], "after")) after = true;
  else if (eqi(argv[2], "before")) after = false;
  else return error(ERR.syntax);
  const list = writeTyped(ctx, argv[1] ?? "", "list");
  if (list === undefined) return integer(0);
  if (list === WRONG_TYPE) return WRONGTYPE;
  const pivot = list.indexOf(argv[3] ?? "");
  if (pivot === -1) return integer(-1);
  list.splice(after ? pivot + 1 : pivot, 0, argv[4] ?? "");
  ctx.markDirty();
  return integer(list.length);
}

/** LPOS key element [RANK r] [COUNT n] [MAXLEN m]. */
function lposCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  let rank = 1n;
  let count = -1; // -1: no COUNT option
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const more = j + 1 < argv.length;
    const opt = argv[j];
    if (eqi(opt, "rank") && more) {
      j++;
      const r = longLongArg(argv[j] ?? "");
      if (typeof r !== "bigint") return r;
      if (r === 0n) {
        return error(
          "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
        );
      }
      rank = r;
    } else if (eqi(opt, "count") && more) {
      j++;
      const c = positiveLongArg(argv[j] ?? "", "COUNT can't be negative");
      if (typeof c !== "number") return c;
      count = c;
    } else if (eqi(opt, "maxlen") && more) {
      j++;
      const m = positiveLongArg(argv[j] ?? "", "MAXLEN can't be negative");
      if (typeof m !== "number") return m;
      maxlen = m;
    } else {
      return error(ERR.syntax);
    }
  }
  const fromTail = rank < 0n;
  // `rank = -rank` leaves LLONG_MIN negative in C: every match then counts, and COUNT never stops.
  const unbounded = rank === LLONG_MIN;
  if (fromTail && !unbounded) rank = -rank;
  const list = readTyped(ctx, argv[1] ?? "", "list");
  if (list === undefined) return count !== -1 ? EMPTY_ARRAY : NIL;
  if (list === WRONG_TYPE) return WRONGTYPE;
  const element = argv[2] ?? "";
  const found: Reply[] = [];
  let matches = 0;
  let matchIndex = -1;
  for (let index = 0; index < list.length && (maxlen === 0 || index < maxlen); index++) {
    const i = fromTail ? list.length - index - 1 : index;
    if (list[i] !== element) continue;
    matches++;
    if (!unbounded && BigInt(matches) < rank) continue;
    if (count === -1) {
      matchIndex = i;
      break;
    }
    found.push(integer(i));
    if (count !== 0 && !unbounded && BigInt(matches) - rank + 1n >= BigInt(count)) break;
  }
  if (count !== -1) return array(found);
  return matchIndex === -1 ? NIL : integer(matchIndex);
}

/** `lmoveGenericCommand`: RPOPLPUSH and LMOVE; the source and destination may be the same list. */
function lmoveGeneric(ctx: ExecContext, argv: readonly ByteString[], from: End, to: End): Reply {
  const srcKey = argv[1] ?? "";
  const dstKey = argv[2] ?? "";
  const src = writeTyped(ctx, srcKey, "list");
  if (src === undefined) return NIL;
  if (src === WRONG_TYPE) return WRONGTYPE;
  let dst = writeTyped(ctx, dstKey, "list");
  if (dst === WRONG_TYPE) return WRONGTYPE;
  const value = pop(src, from) ?? "";
  if (dst === undefined) {
    dst = [];
    dbAdd(ctx.db, dstKey, { type: "list", value: dst });
  }
  push(dst, value, to);
  if (src.length === 0) dbDelete(ctx.db, srcKey);
  ctx.markDirty();
  return bulk(value);
}

function listEnd(arg: ByteString | undefined): End | null {
  if (eqi(arg, "right")) return "tail";
  if (eqi(arg, "left")) return "head";
  return null;
}

function lmoveCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const from = listEnd(argv[3]);
  if (from === null) return error(ERR.syntax);
  const to = listEnd(argv[4]);
  if (to === null) return error(ERR.syntax);
  return lmoveGeneric(ctx, argv, from, to);
}

export const LIST_COMMANDS: readonly CommandSpec[] = [
  {
    name: "lpush",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    handler: pushCommand("head", false),
  },
  {
    name: "rpush",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    handler: pushCommand("tail", false),
  },
  {
    name: "lpushx",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    handler: pushCommand("head", true),
  },
  {
    name: "rpushx",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    handler: pushCommand("tail", true),
  },
  { name: "lpop", arity: -2, flags: ["write", "fast"], handler: popCommand("head") },
  { name: "rpop", arity: -2, flags: ["write", "fast"], handler: popCommand("tail") },
  { name: "llen", arity: 2, flags: ["readonly", "fast"], handler: llenCommand },
  { name: "lrange", arity: 4, flags: ["readonly"], handler: lrangeCommand },
  { name: "lindex", arity: 3, flags: ["readonly"], handler: lindexCommand },
  { name: "lset", arity: 4, flags: ["write", "denyoom"], handler: lsetCommand },
  { name: "lrem", arity: 4, flags: ["write"], handler: lremCommand },
  { name: "ltrim", arity: 4, flags: ["write"], handler: ltrimCommand },
  { name: "linsert", arity: 5, flags: ["write", "denyoom"], handler: linsertCommand },
  { name: "lpos", arity: -3, flags: ["readonly"], handler: lposCommand },
  {
    name: "rpoplpush",
    arity: 3,
    flags: ["write", "denyoom"],
    handler: (ctx, argv) => lmoveGeneric(ctx, argv, "tail", "head"),
  },
  { name: "lmove", arity: 5, flags: ["write", "denyoom"], handler: lmoveCommand },
];
