import type { ByteString } from "../bytes";
import { WRONG_TYPE, dbAdd, dbDelete, readTyped, setKey, writeTyped } from "../keyspace/lookup";
import type { Reply } from "../reply";
import { EMPTY_ARRAY, ERR, NIL, array, bulk, bulkArray, error, integer } from "../reply";
import { WRONGTYPE, positiveLongArg, rangeLongArg } from "./args";
import type { CommandSpec, ExecContext } from "./command";
import { LLONG_MAX, parseLongLong } from "./numbers";

/** Set commands of `t_set.c` (Redis 7.0). */

type RSet = Set<ByteString>;

/** `set-max-intset-entries` default. */
const SET_MAX_INTSET_ENTRIES = 512;

/**
 * The order Redis iterates a set in: ascending numeric for a set that is an
 * intset (only int64 members, at most 512), insertion order otherwise (Redis's
 * hashtable order depends on a per-process random seed; any order is faithful).
 */
export function setMembers(set: RSet): ByteString[] {
  const members = [...set];
  if (members.length > SET_MAX_INTSET_ENTRIES) return members;
  const numbers: [bigint, ByteString][] = [];
  for (const m of members) {
    const n = parseLongLong(m);
    if (n === null) return members;
    numbers.push([n, m]);
  }
  return numbers.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, m]) => m);
}

/** A uniformly drawn member (`setTypeRandomElement`). */
function randomMember(ctx: ExecContext, members: readonly ByteString[]): ByteString {
  const i = Math.min(members.length - 1, Math.floor(ctx.random() * members.length));
  return members[i] ?? "";
}

function saddCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const key = argv[1] ?? "";
  let set = writeTyped(ctx, key, "set");
  if (set === WRONG_TYPE) return WRONGTYPE;
  if (set === undefined) {
    set = new Set();
    dbAdd(ctx.db, key, { type: "set", value: set });
  }
  let added = 0;
  for (const member of argv.slice(2)) {
    if (!set.has(member)) {
      set.add(member);
      added++;
    }
  }
  if (added > 0) ctx.markDirty(added);
  return integer(added);
}

function sremCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const key = argv[1] ?? "";
  const set = writeTyped(ctx, key, "set");
  if (set === undefined) return integer(0);
  if (set === WRONG_TYPE) return WRONGTYPE;
  let deleted = 0;
  for (const member of argv.slice(2)) {
    if (set.delete(member)) {
      deleted++;
      if (set.size === 0) {
        dbDelete(ctx.db, key);
        break;
      }
    }
  }
  if (deleted > 0) ctx.markDirty(deleted);
  return integer(deleted);
}

function sismemberCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const set = readTyped(ctx, argv[1] ?? "", "set");
  if (set === WRONG_TYPE) return WRONGTYPE;
  return integer(set?.has(argv[2] ?? "") === true ? 1 : 0);
}

function smismemberCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const set = readTyped(ctx, argv[1] ?? "", "set");
  if (set === WRONG_TYPE) return WRONGTYPE;
  return array(argv.slice(2).map((m) => integer(set?.has(m) === true ? 1 : 0)));
}

function scardCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const set = readTyped(ctx, argv[1] ?? "", "set");
  if (set === WRONG_TYPE) return WRONGTYPE;
  return integer(set?.size ?? 0);
}

/** `spopCommand`: one member, propagated as `SREM key member`. */
function spopCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  if (argv.length === 3) return spopWithCount(ctx, argv);
  if (argv.length > 3) return error(ERR.syntax);
  const key = argv[1] ?? "";
  const set = writeTyped(ctx, key, "set");
  if (set === undefined) return NIL;
  if (set === WRONG_TYPE) return WRONGTYPE;
  const member = randomMember(ctx, setMembers(set));
  set.delete(member);
  ctx.rewrite(["SREM", key, member]);
  if (set.size === 0) dbDelete(ctx.db, key);
  ctx.markDirty();
  return bulk(member);
}

/** `SPOP_MOVE_STRATEGY_MUL` */
const SPOP_MOVE_STRATEGY_MUL = 5;

/**
 * `spopWithCountCommand` (7.0): popping the whole set propagates DEL;
 * otherwise one `SREM key member` per popped member (7.2 batches them),
 * through alsoPropagate, and the SPOP itself is not propagated.
 */
function spopWithCount(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const count = positiveLongArg(argv[2] ?? "");
  if (typeof count !== "number") return count;
  const key = argv[1] ?? "";
  const set = writeTyped(ctx, key, "set");
  if (set === undefined) return EMPTY_ARRAY;
  if (set === WRONG_TYPE) return WRONGTYPE;
  if (count === 0) return EMPTY_ARRAY;
  const size = set.size;
  ctx.markDirty(Math.min(count, size));

  if (count >= size) {
    const all = setMembers(set);
    dbDelete(ctx.db, key);
    // Always DEL in 7.0: UNLINK under lazyfree-lazy-server-del came with 7.2.
    ctx.rewrite(["DEL", key]);
    return bulkArray(all);
  }

  const popped: ByteString[] = [];
  const remaining = size - count;
  // Removing from the iteration-order array keeps it in order, so it is built once.
  const order = setMembers(set);
  const draw = (): ByteString => {
    const i = Math.min(order.length - 1, Math.floor(ctx.random() * order.length));
    const [member] = order.splice(i, 1);
    set.delete(member ?? "");
    return member ?? "";
  };
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    // Few members asked for: draw them one by one.
    for (let i = 0; i < count; i++) popped.push(draw());
  } else {
    // Most of the set asked for: draw the members that stay, return the rest.
    const kept: ByteString[] = [];
    for (let i = 0; i < remaining; i++) kept.push(draw());
    popped.push(...order);
    set.clear();
    for (const member of kept) set.add(member);
  }
  for (const member of popped) ctx.alsoPropagate(["SREM", key, member]);
  ctx.preventPropagation();
  return bulkArray(popped);
}

/** `SRANDMEMBER_SUB_STRATEGY_MUL` */
const SRANDMEMBER_SUB_STRATEGY_MUL = 3;

function srandmemberCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  if (argv.length === 3) return srandmemberWithCount(ctx, argv);
  if (argv.length > 3) return error(ERR.syntax);
  const set = readTyped(ctx, argv[1] ?? "", "set");
  if (set === undefined) return NIL;
  if (set === WRONG_TYPE) return WRONGTYPE;
  return bulk(randomMember(ctx, setMembers(set)));
}

/** `srandmemberWithCountCommand`: a negative count may repeat members. */
function srandmemberWithCount(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const l = rangeLongArg(argv[2] ?? "", -LLONG_MAX, LLONG_MAX);
  if (typeof l !== "number") return l;
  const unique = l >= 0;
  const count = Math.abs(l);
  const set = readTyped(ctx, argv[1] ?? "", "set");
  if (set === undefined) return EMPTY_ARRAY;
  if (set === WRONG_TYPE) return WRONGTYPE;
  if (count === 0) return EMPTY_ARRAY;
  const members = setMembers(set);
  if (!unique || count === 1) {
    const out: ByteString[] = [];
    for (let i = 0; i < count; i++) out.push(randomMember(ctx, members));
    return bulkArray(out);
  }
  if (count >= members.length) return bulkArray(members);
  if (count * SRANDMEMBER_SUB_STRATEGY_MUL > members.length) {
    const pool = [...members];
    while (pool.length > count) pool.splice(Math.floor(ctx.random() * pool.length), 1);
    return bulkArray(pool);
  }
  const picked: RSet = new Set();
  while (picked.size < count) picked.add(randomMember(ctx, members));
  return bulkArray([...picked]);
}

/** Looks up the source sets; a store command uses write lookups. Null for a missing key. */
function lookupSets(
  ctx: ExecContext,
  keys: readonly ByteString[],
  forStore: boolean,
): (RSet | null)[] | Reply {
  const sets: (RSet | null)[] = [];
  for (const key of keys) {
    const set = forStore ? writeTyped(ctx, key, "set") : readTyped(ctx, key, "set");
    if (set === WRONG_TYPE) return WRONGTYPE;
    sets.push(set ?? null);
  }
  return sets;
}

/** Stores a computed set into `dst` (replacing it and its TTL), or deletes `dst` if it is empty. */
function storeResult(ctx: ExecContext, dst: ByteString, members: readonly ByteString[]): Reply {
  if (members.length > 0) {
    setKey(ctx, dst, { type: "set", value: new Set(members) });
    ctx.markDirty();
    return integer(members.length);
  }
  if (dbDelete(ctx.db, dst)) ctx.markDirty();
  return integer(0);
}

/** `sinterGenericCommand`: SINTER, SINTERSTORE (and SMEMBERS, a one-key SINTER in 7.0). */
function sinterGeneric(
  ctx: ExecContext,
  keys: readonly ByteString[],
  dst: ByteString | null,
): Reply {
  const sets = lookupSets(ctx, keys, dst !== null);
  if (!Array.isArray(sets)) return sets;
  const present = sets.filter((s): s is RSet => s !== null);
  if (present.length < sets.length) return dst !== null ? storeResult(ctx, dst, []) : EMPTY_ARRAY;
  // Smallest first (qsort by cardinality; glibc's is a stable merge sort).
  const bySize = present.map((s, i) => ({ s, i })).sort((a, b) => a.s.size - b.s.size || a.i - b.i);
  const [first, ...others] = bySize.map((e) => e.s);
  const result = first ? setMembers(first).filter((m) => others.every((o) => o.has(m))) : [];
  if (dst !== null) return storeResult(ctx, dst, result);
  return bulkArray(result);
}

/** `sunionDiffGenericCommand`: SUNION, SDIFF and their STORE forms. */
function sunionDiffGeneric(
  ctx: ExecContext,
  keys: readonly ByteString[],
  dst: ByteString | null,
  op: "union" | "diff",
): Reply {
  const sets = lookupSets(ctx, keys, dst !== null);
  if (!Array.isArray(sets)) return sets;
  const result: RSet = new Set();
  if (op === "union") {
    for (const s of sets) if (s) for (const m of setMembers(s)) result.add(m);
  } else if (sets[0]) {
    const others = sets.slice(1);
    for (const m of setMembers(sets[0])) if (!others.some((o) => o?.has(m) === true)) result.add(m);
  }
  const members = setMembers(result);
  if (dst !== null) return storeResult(ctx, dst, members);
  return bulkArray(members);
}

function smoveCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const srcKey = argv[1] ?? "";
  const dstKey = argv[2] ?? "";
  const member = argv[3] ?? "";
  const src = writeTyped(ctx, srcKey, "set");
  let dst = writeTyped(ctx, dstKey, "set");
  if (src === undefined) return integer(0);
  if (src === WRONG_TYPE || dst === WRONG_TYPE) return WRONGTYPE;
  if (src === dst) return integer(src.has(member) ? 1 : 0);
  if (!src.delete(member)) return integer(0);
  if (src.size === 0) dbDelete(ctx.db, srcKey);
  if (dst === undefined) {
    dst = new Set();
    dbAdd(ctx.db, dstKey, { type: "set", value: dst });
  }
  ctx.markDirty();
  if (!dst.has(member)) {
    dst.add(member);
    ctx.markDirty();
  }
  return integer(1);
}

export const SET_COMMANDS: readonly CommandSpec[] = [
  { name: "sadd", arity: -3, flags: ["write", "denyoom", "fast"], handler: saddCommand },
  { name: "srem", arity: -3, flags: ["write", "fast"], handler: sremCommand },
  {
    name: "smembers",
    arity: 2,
    flags: ["readonly"],
    handler: (ctx, argv) => sinterGeneric(ctx, argv.slice(1), null),
  },
  { name: "sismember", arity: 3, flags: ["readonly", "fast"], handler: sismemberCommand },
  { name: "smismember", arity: -3, flags: ["readonly", "fast"], handler: smismemberCommand },
  { name: "scard", arity: 2, flags: ["readonly", "fast"], handler: scardCommand },
  { name: "spop", arity: -2, flags: ["write", "fast"], handler: spopCommand },
  { name: "srandmember", arity: -2, flags: ["readonly"], handler: srandmemberCommand },
  {
    name: "sinter",
    arity: -2,
    flags: ["readonly"],
    handler: (ctx, argv) => sinterGeneric(ctx, argv.slice(1), null),
  },
  {
    name: "sinterstore",
    arity: -3,
    flags: ["write", "denyoom"],
    handler: (ctx, argv) => sinterGeneric(ctx, argv.slice(2), argv[1] ?? ""),
  },
  {
    name: "sunion",
    arity: -2,
    flags: ["readonly"],
    handler: (ctx, argv) => sunionDiffGeneric(ctx, argv.slice(1), null, "union"),
  },
  {
    name: "sunionstore",
    arity: -3,
    flags: ["write", "denyoom"],
    handler: (ctx, argv) => sunionDiffGeneric(ctx, argv.slice(2), argv[1] ?? "", "union"),
  },
  {
    name: "sdiff",
    arity: -2,
    flags: ["readonly"],
    handler: (ctx, argv) => sunionDiffGeneric(ctx, argv.slice(1), null, "diff"),
  },
  {
    name: "sdiffstore",
    arity: -3,
    flags: ["write", "denyoom"],
    handler: (ctx, argv) => sunionDiffGeneric(ctx, argv.slice(2), argv[1] ?? "", "diff"),
  },
  { name: "smove", arity: 4, flags: ["write", "fast"], handler: smoveCommand },
];
