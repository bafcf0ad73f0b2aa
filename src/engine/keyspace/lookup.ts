import type { ByteString } from "../bytes";
import type { ExecContext } from "../commands/command";
import type { Db } from "./db";
import type { RedisCollection, RedisType, RedisValue } from "./value";
import { valueType } from "./value";

/**
 * Key lookups with Redis 7.0's expiry rules (`db.c:lookupKey`,
 * `expireIfNeeded`) and the small set of writes every command shares
 * (`setKey`, `dbAdd`, `dbOverwrite`).
 */

/** `keyIsExpired`: the expire time is strictly in the past (`now > when`). */
export function isKeyExpired(db: Db, key: ByteString, nowMs: number): boolean {
  const when = db.expires.get(key);
  return when !== undefined && nowMs > when;
}

/**
 * `expireIfNeeded`: whether the key must be treated as missing.
 * - master link on a replica: never expired (the master sends the DEL);
 * - other clients of a replica: expired keys read as missing but stay,
 *   unless `forceDelete` (a write lookup, which only writable replicas reach);
 * - while clients are paused: expired, but left in place (the dataset must
 *   not change under a pause; the new master, or the end of the pause,
 *   expires it);
 * - master: the key is deleted through `ctx.expireKey` (stat + DEL/UNLINK).
 */
export function expireIfNeeded(
  ctx: ExecContext,
  db: Db,
  key: ByteString,
  forceDelete: boolean,
): boolean {
  if (!isKeyExpired(db, key, ctx.nowMs)) return false;
  if (ctx.fromMaster) return false;
  if (ctx.expiryIsReadOnly && !forceDelete) return true;
  if (ctx.expiryPaused) return true;
  ctx.expireKey(db, key);
  return true;
}

/**
 * `expire.c:checkAlreadyExpired`: an expire time at or before now deletes the
 * key at once on a master; a replica stores it and waits for the master's DEL.
 */
export function checkAlreadyExpired(ctx: ExecContext, whenMs: number): boolean {
  const isReplica = ctx.expiryIsReadOnly || ctx.fromMaster;
  return whenMs <= ctx.nowMs && !isReplica;
}

/** `lookupKeyRead`: the value, or undefined if missing or logically expired. */
export function lookupKeyRead(
  ctx: ExecContext,
  key: ByteString,
  db: Db = ctx.db,
): RedisValue | undefined {
  const value = db.dict.get(key);
  if (value === undefined) return undefined;
  return expireIfNeeded(ctx, db, key, false) ? undefined : value;
}

/**
 * `lookupKeyWrite`: as lookupKeyRead, but an expired key is deleted even on a
 * replica (7.0 forces the deletion for writes, which only a writable replica
 * lets through; `ctx.expireKey` is then called on the replica too).
 */
export function lookupKeyWrite(
  ctx: ExecContext,
  key: ByteString,
  db: Db = ctx.db,
): RedisValue | undefined {
  const value = db.dict.get(key);
  if (value === undefined) return undefined;
  return expireIfNeeded(ctx, db, key, true) ? undefined : value;
}

/** Returned by the typed lookups when the key holds another type (reply WRONGTYPE). */
export const WRONG_TYPE: unique symbol = Symbol("WRONGTYPE");
export type WrongType = typeof WRONG_TYPE;

/** The payload of a value of type T: a ByteString, an array, a Map or a Set. */
type Payloads = { string: ByteString } & {
  [K in RedisCollection["type"]]: Extract<RedisCollection, { type: K }>["value"];
};
export type ValueOf<T extends RedisType> = Payloads[T];

function typed<T extends RedisType>(
  value: RedisValue | undefined,
  type: T,
): ValueOf<T> | undefined | WrongType {
  if (value === undefined) return undefined;
  if (typeof value === "string") return type === "string" ? (value as ValueOf<T>) : WRONG_TYPE;
  if (value.type !== type) return WRONG_TYPE;
  return value.value as ValueOf<T>;
}

/** `lookupKeyRead` + `checkType`. */
export function readTyped<T extends RedisType>(
  ctx: ExecContext,
  key: ByteString,
  type: T,
  db: Db = ctx.db,
): ValueOf<T> | undefined | WrongType {
  return typed(lookupKeyRead(ctx, key, db), type);
}

/** `lookupKeyWrite` + `checkType`. */
export function writeTyped<T extends RedisType>(
  ctx: ExecContext,
  key: ByteString,
  type: T,
  db: Db = ctx.db,
): ValueOf<T> | undefined | WrongType {
  return typed(lookupKeyWrite(ctx, key, db), type);
}

/** `dbAdd`: stores a value under a key known to be absent. */
export function dbAdd(db: Db, key: ByteString, value: RedisValue): void {
  db.reserve();
  db.dict.set(key, value);
}

/** `dbOverwrite` / `dbReplaceValue`: replaces the value of an existing key, keeping its TTL. */
export function dbOverwrite(db: Db, key: ByteString, value: RedisValue): void {
  db.dict.set(key, value);
}

/** `dbDelete`: removes a key and its TTL; whether it existed. */
export function dbDelete(db: Db, key: ByteString): boolean {
  return db.delete(key);
}

export interface SetKeyOptions {
  readonly db?: Db;
  /** Keep the key's current TTL (`SETKEY_KEEPTTL`); otherwise it is removed. */
  readonly keepTtl?: boolean;
  /**
   * Whether the caller already looked the key up (`SETKEY_ALREADY_EXIST` /
   * `SETKEY_DOESNT_EXIST`). Left out, `setKey` does a write lookup itself,
   * which expires (and propagates the deletion of) an expired key first.
   */
  readonly exists?: boolean;
}

/** `db.c:setKey`: the high-level SET, used by every command that replaces a whole key. */
export function setKey(
  ctx: ExecContext,
  key: ByteString,
  value: RedisValue,
  options: SetKeyOptions = {},
): void {
  const db = options.db ?? ctx.db;
  if (options.exists === undefined) lookupKeyWrite(ctx, key, db);
  if (!db.dict.has(key)) db.reserve();
  db.dict.set(key, value);
  if (options.keepTtl !== true) db.expires.delete(key);
}

/** `getObjectTypeName`: what TYPE replies ("none" for a missing key). */
export function typeName(value: RedisValue | undefined): string {
  return value === undefined ? "none" : valueType(value);
}

/**
 * Keys of `db` whose TTL has passed at `nowMs`, at most `limit` of them, in
 * the order their expires were set: a deterministic stand-in for the random
 * sampling of `activeExpireCycle`. The caller deletes each with `expireKey`.
 */
export function expiredKeys(db: Db, nowMs: number, limit: number): ByteString[] {
  const out: ByteString[] = [];
  if (limit <= 0) return out;
  for (const [key, when] of db.expires) {
    if (nowMs > when) {
      out.push(key);
      if (out.length >= limit) break;
    }
  }
  return out;
}
