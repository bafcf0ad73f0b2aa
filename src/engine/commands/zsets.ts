import type { ByteString } from "../bytes";
import {
  WRONG_TYPE,
  dbAdd,
  dbDelete,
  lookupKeyWrite,
  readTyped,
  writeTyped,
} from "../keyspace/lookup";
import type { Reply } from "../reply";
import { EMPTY_ARRAY, ERR, NIL, array, bulk, error, integer } from "../reply";
import { WRONGTYPE, doubleArg, eqi, longArg, positiveLongArg } from "./args";
import type { CommandSpec, ExecContext } from "./command";
import { cString, formatDouble17g, parseLaxDouble } from "./numbers";

/** Sorted-set commands of `t_zset.c` (Redis 7.0). Scores are replied with `%.17g`. */

type ZSet = Map<ByteString, number>;
interface Entry {
  readonly member: ByteString;
  readonly score: number;
}

/** The skiplist order: by score, then by member bytes. */
export function sortedEntries(zset: ZSet): Entry[] {
  const entries: Entry[] = [];
  for (const [member, score] of zset) entries.push({ member, score });
  return entries.sort((a, b) =>
    a.score !== b.score
      ? a.score < b.score
        ? -1
        : 1
      : a.member < b.member
        ? -1
        : a.member > b.member
          ? 1
          : 0,
  );
}

/** `addReplyDouble` in RESP2. */
function scoreReply(score: number): Reply {
  return bulk(formatDouble17g(score));
}

function entriesReply(entries: readonly Entry[], withScores: boolean): Reply {
  const out: Reply[] = [];
  for (const e of entries) {
    out.push(bulk(e.member));
    if (withScores) out.push(scoreReply(e.score));
  }
  return array(out);
}

/**
 * A score as a small (listpack) sorted set keeps it: written with `d2string`,
 * which prints -0 as "0", so a stored -0 reads back as 0. The reply of the
 * command that stored it still shows the computed value.
 */
function storedScore(score: number): number {
  return score === 0 ? 0 : score;
}

// zaddGenericCommand input flags.
const ZADD_INCR = 1;
const ZADD_NX = 2;
const ZADD_XX = 4;
const ZADD_GT = 8;
const ZADD_LT = 16;

/**
 * `zaddGenericCommand`: ZADD and ZINCRBY (which is ZADD INCR, options parsing
 * included). Dirty counts added plus updated members, so a ZADD that changes
 * nothing, or a ZINCRBY by 0, is not propagated.
 */
function zaddGeneric(ctx: ExecContext, argv: readonly ByteString[], inFlags: number): Reply {
  let flags = inFlags;
  let ch = false;
  let scoreIdx = 2;
  for (; scoreIdx < argv.length; scoreIdx++) {
    const opt = argv[scoreIdx];
    if (eqi(opt, "nx")) flags |= ZADD_NX;
    else if (eqi(opt, "xx")) flags |= ZADD_XX;
    else if (eqi(opt, "ch")) ch = true;
    else if (eqi(opt, "incr")) flags |= ZADD_INCR;
    else if (eqi(opt, "gt")) flags |= ZADD_GT;
    else if (eqi(opt, "lt")) flags |= ZADD_LT;
    else break;
  }
  const incr = (flags & ZADD_INCR) !== 0;
  const nx = (flags & ZADD_NX) !== 0;
  const xx = (flags & ZADD_XX) !== 0;
  const gt = (flags & ZADD_GT) !== 0;
  const lt = (flags & ZADD_LT) !== 0;
  const elementArgs = argv.length - scoreIdx;
  if (elementArgs % 2 !== 0 || elementArgs === 0) return error(ERR.syntax);
  const elements = elementArgs / 2;
  if (nx && xx) return error("ERR XX and NX options at the same time are not compatible");
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    return error("ERR GT, LT, and/or NX options at the same time are not compatible");
  }
  if (incr && elements > 1)
    return error("ERR INCR option supports a single increment-element pair");

  const scores: number[] = [];
  for (let j = 0; j < elements; j++) {
    const score = doubleArg(argv[scoreIdx + j * 2] ?? "");
    if (typeof score !== "number") return score;
    scores.push(score);
  }

  const key = argv[1] ?? "";
  let zset = writeTyped(ctx, key, "zset");
  if (zset === WRONG_TYPE) return WRONGTYPE;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let lastScore = 0;
  if (zset === undefined) {
    if (xx) return incr ? NIL : integer(0);
    zset = new Map();
    dbAdd(ctx.db, key, { type: "zset", value: zset });
  }
  for (let j = 0; j < elements; j++) {
    const member = argv[scoreIdx + 1 + j * 2] ?? "";
    let score = scores[j] ?? 0;
    const current = zset.get(member);
    if (current !== undefined) {
      if (nx) continue;
      if (incr) {
        score += current;
        // Dirty is not counted on this error path, so nothing is propagated.
        if (Number.isNaN(score)) return error("ERR resulting score is not a number (NaN)");
      }
      if ((lt && score >= current) || (gt && score <= current)) continue;
      processed++;
      lastScore = score;
      if (score !== current) {
        zset.set(member, storedScore(score));
        updated++;
      }
    } else if (!xx) {
      zset.set(member, storedScore(score));
      added++;
      processed++;
      lastScore = score;
    }
  }
  if (added + updated > 0) ctx.markDirty(added + updated);
  if (incr) return processed > 0 ? scoreReply(lastScore) : NIL;
  return integer(ch ? added + updated : added);
}

function zremCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const key = argv[1] ?? "";
  const zset = writeTyped(ctx, key, "zset");
  if (zset === undefined) return integer(0);
  if (zset === WRONG_TYPE) return WRONGTYPE;
  let deleted = 0;
  for (const member of argv.slice(2)) {
    if (zset.delete(member)) deleted++;
    if (zset.size === 0) {
      dbDelete(ctx.db, key);
      break;
    }
  }
  if (deleted > 0) ctx.markDirty(deleted);
  return integer(deleted);
}

function zscoreCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const zset = readTyped(ctx, argv[1] ?? "", "zset");
  if (zset === undefined) return NIL;
  if (zset === WRONG_TYPE) return WRONGTYPE;
  const score = zset.get(argv[2] ?? "");
  return score === undefined ? NIL : scoreReply(score);
}

function zmscoreCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const zset = readTyped(ctx, argv[1] ?? "", "zset");
  if (zset === WRONG_TYPE) return WRONGTYPE;
  return array(
    argv.slice(2).map((member) => {
      const score = zset?.get(member);
      return score === undefined ? NIL : scoreReply(score);
    }),
  );
}

function zcardCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const zset = readTyped(ctx, argv[1] ?? "", "zset");
  if (zset === WRONG_TYPE) return WRONGTYPE;
  return integer(zset?.size ?? 0);
}

/** A `zrangespec`: a score interval with open or closed ends. */
interface ScoreRange {
  readonly min: number;
  readonly max: number;
  readonly minex: boolean;
  readonly maxex: boolean;
}

/** `zslParseRange`: `(` makes an end exclusive; the rest goes through a lax strtod. */
function parseScoreRange(minArg: ByteString, maxArg: ByteString): ScoreRange | null {
  const end = (arg: ByteString): { value: number; ex: boolean } | null => {
    const ex = arg.startsWith("(");
    const value = parseLaxDouble(ex ? arg.slice(1) : arg);
    return value === null ? null : { value, ex };
  };
  const min = end(minArg);
  const max = end(maxArg);
  if (!min || !max) return null;
  return { min: min.value, max: max.value, minex: min.ex, maxex: max.ex };
}

const gteMin = (v: number, r: ScoreRange): boolean => (r.minex ? v > r.min : v >= r.min);
const lteMax = (v: number, r: ScoreRange): boolean => (r.maxex ? v < r.max : v <= r.max);

/** A `zlexrangespec` end: `-` and `+` are below and above every member. */
type LexEnd =
  { readonly kind: "min" | "max" } | { readonly kind: "value"; readonly value: ByteString };
interface LexRange {
  readonly min: LexEnd;
  readonly max: LexEnd;
  readonly minex: boolean;
  readonly maxex: boolean;
}

/** `zslParseLexRangeItem`. */
function parseLexEnd(arg: ByteString): { end: LexEnd; ex: boolean } | null {
  const text = cString(arg);
  switch (text[0]) {
    case "+":
      return text.length === 1 ? { end: { kind: "max" }, ex: true } : null;
    case "-":
      return text.length === 1 ? { end: { kind: "min" }, ex: true } : null;
    case "(":
      return { end: { kind: "value", value: arg.slice(1) }, ex: true };
    case "[":
      return { end: { kind: "value", value: arg.slice(1) }, ex: false };
    default:
      return null;
  }
}

const LEX_RANGE_ERROR = "ERR min or max not valid string range item";
const SCORE_RANGE_ERROR = "ERR min or max is not a float";

/** `zslParseLexRange`. */
function parseLexRange(minArg: ByteString, maxArg: ByteString): LexRange | null {
  const min = parseLexEnd(minArg);
  const max = parseLexEnd(maxArg);
  if (!min || !max) return null;
  return { min: min.end, max: max.end, minex: min.ex, maxex: max.ex };
}

/** The first test of `zslIsInLexRange`: min above max, or equal with an open end. */
function lexRangeIsEmpty(range: LexRange): boolean {
  const cmp = compareLex(range.min, range.max);
  return cmp > 0 || (cmp === 0 && (range.minex || range.maxex));
}

/** The members a lex range selects, walking from the first member at or above min. */
function lexRangeEntries(entries: readonly Entry[], range: LexRange): Entry[] {
  if (lexRangeIsEmpty(range)) return [];
  return walkRange(
    entries,
    false,
    0,
    -1,
    (e) => lexGteMin(e.member, range),
    (e) => lexLteMax(e.member, range),
  );
}

/** The members a score range selects. */
function scoreRangeEntries(entries: readonly Entry[], range: ScoreRange): Entry[] {
  return walkRange(
    entries,
    false,
    0,
    -1,
    (e) => gteMin(e.score, range),
    (e) => lteMax(e.score, range),
  );
}

/** `sdscmplex`. */
function compareLex(a: LexEnd, b: LexEnd): number {
  if (a.kind === b.kind && a.kind !== "value") return 0;
  if (a.kind === "min" || b.kind === "max") return -1;
  if (a.kind === "max" || b.kind === "min") return 1;
  const x = a.kind === "value" ? a.value : "";
  const y = b.kind === "value" ? b.value : "";
  return x < y ? -1 : x > y ? 1 : 0;
}

function lexGteMin(member: ByteString, r: LexRange): boolean {
  const c = compareLex({ kind: "value", value: member }, r.min);
  return r.minex ? c > 0 : c >= 0;
}

function lexLteMax(member: ByteString, r: LexRange): boolean {
  const c = compareLex({ kind: "value", value: member }, r.max);
  return r.maxex ? c < 0 : c <= 0;
}

/**
 * The common walk of ZRANGEBYSCORE and ZRANGEBYLEX: find the first element in
 * range from the chosen end, skip `offset` (a negative offset skips
 * everything), then emit up to `limit` (negative: no limit) while in range.
 */
function walkRange(
  entries: readonly Entry[],
  reverse: boolean,
  offset: number,
  limit: number,
  startsIn: (e: Entry) => boolean,
  staysIn: (e: Entry) => boolean,
): Entry[] {
  const ordered = reverse ? [...entries].reverse() : entries;
  let i = ordered.findIndex(startsIn);
  if (i === -1) return [];
  const first = ordered[i];
  if (!first || !staysIn(first)) return [];
  if (offset < 0) return [];
  i += offset;
  const out: Entry[] = [];
  for (; i < ordered.length && limit !== 0; i++, limit--) {
    const e = ordered[i];
    if (!e || !staysIn(e)) break;
    out.push(e);
  }
  return out;
}

type RangeType = "auto" | "rank" | "score" | "lex";
type Direction = "auto" | "forward" | "reverse";

/**
 * `zrangeGenericCommand` for ZRANGE (6.2+ form with BYSCORE/BYLEX/REV/LIMIT),
 * ZREVRANGE and ZRANGEBYSCORE, with Redis's option checks and error texts.
 */
function zrangeGeneric(
  ctx: ExecContext,
  argv: readonly ByteString[],
  rangeType: RangeType,
  direction: Direction,
): Reply {
  let withScores = false;
  let offset = 0;
  let limit = -1;
  let hasLimit = false;
  for (let j = 4; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const opt = argv[j];
    if (eqi(opt, "withscores")) {
      withScores = true;
    } else if (eqi(opt, "limit") && left >= 2) {
      const o = longArg(argv[j + 1] ?? "");
      if (typeof o !== "number") return o;
      const l = longArg(argv[j + 2] ?? "");
      if (typeof l !== "number") return l;
      offset = o;
      limit = l;
      hasLimit = true;
      j += 2;
    } else if (direction === "auto" && eqi(opt, "rev")) {
      direction = "reverse";
    } else if (rangeType === "auto" && eqi(opt, "bylex")) {
      rangeType = "lex";
    } else if (rangeType === "auto" && eqi(opt, "byscore")) {
      rangeType = "score";
    } else {
      return error(ERR.syntax);
    }
  }
  if (direction === "auto") direction = "forward";
  if (rangeType === "auto") rangeType = "rank";
  // Redis tests `opt_limit != -1`, so an explicit LIMIT o -1 passes with a rank range.
  if (hasLimit && limit !== -1 && rangeType === "rank") {
    return error(
      "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
    );
  }
  if (withScores && rangeType === "lex") {
    return error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  }
  const reverse = direction === "reverse";
  let minArg = argv[2] ?? "";
  let maxArg = argv[3] ?? "";
  if (reverse && rangeType !== "rank") [minArg, maxArg] = [maxArg, minArg];

  let pick: (entries: readonly Entry[]) => Entry[];
  if (rangeType === "rank") {
    const start = longArg(minArg);
    if (typeof start !== "number") return start;
    const end = longArg(maxArg);
    if (typeof end !== "number") return end;
    pick = (entries) => rankRange(entries, start, end, reverse);
  } else if (rangeType === "score") {
    const range = parseScoreRange(minArg, maxArg);
    if (!range) return error(SCORE_RANGE_ERROR);
    pick = (entries) => {
      if (offset > 0 && offset >= entries.length) return [];
      return reverse
        ? walkRange(
            entries,
            true,
            offset,
            limit,
            (e) => lteMax(e.score, range),
            (e) => gteMin(e.score, range),
          )
        : walkRange(
            entries,
            false,
            offset,
            limit,
            (e) => gteMin(e.score, range),
            (e) => lteMax(e.score, range),
          );
    };
  } else {
    const range = parseLexRange(minArg, maxArg);
    if (!range) return error(LEX_RANGE_ERROR);
    pick = (entries) => {
      if (offset > 0 && offset >= entries.length) return [];
      if (lexRangeIsEmpty(range)) return [];
      return reverse
        ? walkRange(
            entries,
            true,
            offset,
            limit,
            (e) => lexLteMax(e.member, range),
            (e) => lexGteMin(e.member, range),
          )
        : walkRange(
            entries,
            false,
            offset,
            limit,
            (e) => lexGteMin(e.member, range),
            (e) => lexLteMax(e.member, range),
          );
    };
  }

  const zset = readTyped(ctx, argv[1] ?? "", "zset");
  if (zset === undefined) return EMPTY_ARRAY;
  if (zset === WRONG_TYPE) return WRONGTYPE;
  return entriesReply(pick(sortedEntries(zset)), withScores && rangeType !== "lex");
}

/** `genericZrangebyrankCommand` index arithmetic. */
function rankRange(
  entries: readonly Entry[],
  start: number,
  end: number,
  reverse: boolean,
): Entry[] {
  const length = entries.length;
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (start > end || start >= length) return [];
  if (end >= length) end = length - 1;
  const ordered = reverse ? [...entries].reverse() : entries;
  return ordered.slice(start, end + 1);
}

function zcountCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const range = parseScoreRange(argv[2] ?? "", argv[3] ?? "");
  if (!range) return error(SCORE_RANGE_ERROR);
  const zset = readTyped(ctx, argv[1] ?? "", "zset");
  if (zset === undefined) return integer(0);
  if (zset === WRONG_TYPE) return WRONGTYPE;
  return integer(scoreRangeEntries(sortedEntries(zset), range).length);
}

function zlexcountCommand(ctx: ExecContext, argv: readonly ByteString[]): Reply {
  const range = parseLexRange(argv[2] ?? "", argv[3] ?? "");
  if (!range) return error(LEX_RANGE_ERROR);
  const zset = readTyped(ctx, argv[1] ?? "", "zset");
  if (zset === undefined) return integer(0);
  if (zset === WRONG_TYPE) return WRONGTYPE;
  return integer(lexRangeEntries(sortedEntries(zset), range).length);
}

/** `zremrangeGenericCommand`: ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX. */
function zremrangeFamily(kind: "rank" | "score" | "lex") {
  return (ctx: ExecContext, argv: readonly ByteString[]): Reply => {
    let select: (entries: readonly Entry[]) => Entry[];
    if (kind === "rank") {
      const start = longArg(argv[2] ?? "");
      if (typeof start !== "number") return start;
      const end = longArg(argv[3] ?? "");
      if (typeof end !== "number") return end;
      select = (entries) => rankRange(entries, start, end, false);
    } else if (kind === "score") {
      const range = parseScoreRange(argv[2] ?? "", argv[3] ?? "");
      if (!range) return error(SCORE_RANGE_ERROR);
      select = (entries) => scoreRangeEntries(entries, range);
    } else {
      const range = parseLexRange(argv[2] ?? "", argv[3] ?? "");
      if (!range) return error(LEX_RANGE_ERROR);
      select = (entries) => lexRangeEntries(entries, range);
    }
    const key = argv[1] ?? "";
    const zset = writeTyped(ctx, key, "zset");
    if (zset === undefined) return integer(0);
    if (zset === WRONG_TYPE) return WRONGTYPE;
    const doomed = select(sortedEntries(zset));
    for (const e of doomed) zset.delete(e.member);
    if (zset.size === 0) dbDelete(ctx.db, key);
    if (doomed.length > 0) ctx.markDirty(doomed.length);
    return integer(doomed.length);
  };
}

function zrankFamily(reverse: boolean) {
  return (ctx: ExecContext, argv: readonly ByteString[]): Reply => {
    const zset = readTyped(ctx, argv[1] ?? "", "zset");
    if (zset === undefined) return NIL;
    if (zset === WRONG_TYPE) return WRONGTYPE;
    const member = argv[2] ?? "";
    if (!zset.has(member)) return NIL;
    const entries = sortedEntries(zset);
    const rank = entries.findIndex((e) => e.member === member);
    return integer(reverse ? entries.length - 1 - rank : rank);
  };
}

/** ZPOPMIN/ZPOPMAX key [count]: a flat member/score array; propagated as sent. */
function zpopFamily(max: boolean) {
  return (ctx: ExecContext, argv: readonly ByteString[]): Reply => {
    if (argv.length > 3) return error(ERR.syntax);
    let count = -1;
    if (argv.length === 3) {
      const n = positiveLongArg(argv[2] ?? "");
      if (typeof n !== "number") return n;
      count = n;
    }
    const key = argv[1] ?? "";
    const value = lookupKeyWrite(ctx, key);
    if (value === undefined) return EMPTY_ARRAY;
    if (typeof value === "string" || value.type !== "zset") return WRONGTYPE;
    if (count === 0) return EMPTY_ARRAY;
    const zset = value.value;
    const entries = sortedEntries(zset);
    const ordered = max ? entries.reverse() : entries;
    const popped = ordered.slice(0, Math.min(count === -1 ? 1 : count, ordered.length));
    for (const e of popped) zset.delete(e.member);
    ctx.markDirty(popped.length);
    if (zset.size === 0) dbDelete(ctx.db, key);
    return entriesReply(popped, true);
  };
}

export const ZSET_COMMANDS: readonly CommandSpec[] = [
  {
    name: "zadd",
    arity: -4,
    flags: ["write", "denyoom", "fast"],
    handler: (ctx, argv) => zaddGeneric(ctx, argv, 0),
  },
  {
    name: "zincrby",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    handler: (ctx, argv) => zaddGeneric(ctx, argv, ZADD_INCR),
  },
  { name: "zrem", arity: -3, flags: ["write", "fast"], handler: zremCommand },
  { name: "zscore", arity: 3, flags: ["readonly", "fast"], handler: zscoreCommand },
  { name: "zmscore", arity: -3, flags: ["readonly", "fast"], handler: zmscoreCommand },
  { name: "zcard", arity: 2, flags: ["readonly", "fast"], handler: zcardCommand },
  { name: "zcount", arity: 4, flags: ["readonly", "fast"], handler: zcountCommand },
  {
    name: "zrange",
    arity: -4,
    flags: ["readonly"],
    handler: (ctx, argv) => zrangeGeneric(ctx, argv, "auto", "auto"),
  },
  {
    name: "zrevrange",
    arity: -4,
    flags: ["readonly"],
    handler: (ctx, argv) => zrangeGeneric(ctx, argv, "rank", "reverse"),
  },
  {
    name: "zrangebyscore",
    arity: -4,
    flags: ["readonly"],
    handler: (ctx, argv) => zrangeGeneric(ctx, argv, "score", "forward"),
  },
  {
    name: "zrevrangebyscore",
    arity: -4,
    flags: ["readonly"],
    handler: (ctx, argv) => zrangeGeneric(ctx, argv, "score", "reverse"),
  },
  {
    name: "zrangebylex",
    arity: -4,
    flags: ["readonly"],
    handler: (ctx, argv) => zrangeGeneric(ctx, argv, "lex", "forward"),
  },
  {
    name: "zrevrangebylex",
    arity: -4,
    flags: ["readonly"],
    handler: (ctx, argv) => zrangeGeneric(ctx, argv, "lex", "reverse"),
  },
  { name: "zlexcount", arity: 4, flags: ["readonly", "fast"], handler: zlexcountCommand },
  { name: "zremrangebyrank", arity: 4, flags: ["write"], handler: zremrangeFamily("rank") },
  { name: "zremrangebyscore", arity: 4, flags: ["write"], handler: zremrangeFamily("score") },
  { name: "zremrangebylex", arity: 4, flags: ["write"], handler: zremrangeFamily("lex") },
  { name: "zrank", arity: 3, flags: ["readonly", "fast"], handler: zrankFamily(false) },
  { name: "zrevrank", arity: 3, flags: ["readonly", "fast"], handler: zrankFamily(true) },
  { name: "zpopmin", arity: -2, flags: ["write", "fast"], handler: zpopFamily(false) },
  { name: "zpopmax", arity: -2, flags: ["write", "fast"], handler: zpopFamily(true) },
];
