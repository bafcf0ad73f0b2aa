import type { ByteString } from "../bytes";
import type { Keyspace } from "../keyspace/db";
import type { RedisValue } from "../keyspace/value";
import {
  HASH_MAX_LISTPACK_ENTRIES,
  HASH_MAX_LISTPACK_VALUE,
  LIST_MAX_LISTPACK_BYTES,
  QUICKLIST_NODE_CONTAINER_PACKED,
  RDB_32BITLEN,
  RDB_64BITLEN,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_INT8,
  RDB_ENC_LZF,
  RDB_ENCVAL,
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
  RDB_VERSION,
  SET_MAX_INTSET_ENTRIES,
  ZSET_MAX_LISTPACK_ENTRIES,
  ZSET_MAX_LISTPACK_VALUE,
} from "./format";
import { intsetEncode } from "./intset";
import { LP_EMPTY_BYTES, lpEncode, lpEntrySize } from "./listpack";
import { lzfCompress } from "./lzf";
import { string2int, string2ll, zsetListpackScore } from "./numbers";
import { Rio } from "./rio";

/**
 * The RDB writer: what `rdb.c:rdbSaveRio` of Redis 7.0 writes with a default
 * configuration (`rdbcompression yes`: strings longer than 20 bytes are
 * LZF-compressed when it gains, with `lzf_compress` ported bit for bit; pass
 * `{ compression: false }` for `rdbcompression no`). Each value gets the
 * encoding 7.0 would give it right after loading or building it in order:
 * small hashes and zsets as listpacks, small all-integer sets as intsets,
 * lists as quicklists of listpack nodes of at most 8 KB, larger collections
 * as plain hash tables / skiplists.
 */

/** The aux fields `rdbSaveInfoAuxFields` writes, in its order. */
export interface RdbAux {
  /** `redis-ver`, e.g. "7.0.15". */
  readonly redisVer: string;
  /** `ctime`: unix seconds when the save began. */
  readonly ctimeSec: number;
  /** `used-mem`: `zmalloc_used_memory()` in bytes. */
  readonly usedMem: number;
  /** `repl-stream-db`: the db the replication stream last selected. */
  readonly replStreamDb: number;
  /** `repl-id`: the master's 40-hex-char replication id. */
  readonly replId: string;
  /** `repl-offset`: `master_repl_offset` when the save began. */
  readonly replOffset: number;
  /** `aof-base`: 1 only for an AOF preamble; 0 by default. */
  readonly aofBase?: number;
}

/** How to write, like the matching redis.conf settings. */
export interface RdbWriteOptions {
  /** `rdbcompression`: LZF-compress strings longer than 20 bytes when it gains. Default true. */
  readonly compression?: boolean;
}

/**
 * Serializes the keyspace as a complete RDB version-10 file, checksum
 * included. Keys whose TTL has passed are written too, as Redis does: the
 * loading side decides (a master drops them, a replica keeps them). `nowMs` is
 * part of the contract for callers but does not change the bytes.
 */
export function writeRdb(
  keyspace: Keyspace,
  aux: RdbAux,
  nowMs: number,
  options: RdbWriteOptions = {},
): ByteString {
  return writeRdbPieces(keyspace, aux, nowMs, options).join("");
}

/**
 * The file `writeRdb` writes, as consecutive pieces (a few kilobytes each), so
 * a caller that frames it (the diskless transfer's `$EOF:` mark) copies the
 * bytes once, into its own string.
 */
export function writeRdbPieces(
  keyspace: Keyspace,
  aux: RdbAux,
  nowMs: number,
  options: RdbWriteOptions = {},
): ByteString[] {
  void nowMs;
  const z = options.compression ?? true;
  const w = new Rio(true);
  w.bytes("REDIS" + String(RDB_VERSION).padStart(4, "0"));
  saveAuxField(w, z, "redis-ver", aux.redisVer);
  saveAuxField(w, z, "redis-bits", "64");
  saveAuxField(w, z, "ctime", integerText(aux.ctimeSec));
  saveAuxField(w, z, "used-mem", integerText(aux.usedMem));
  saveAuxField(w, z, "repl-stream-db", integerText(aux.replStreamDb));
  saveAuxField(w, z, "repl-id", aux.replId);
  saveAuxField(w, z, "repl-offset", integerText(aux.replOffset));
  saveAuxField(w, z, "aof-base", integerText(aux.aofBase ?? 0));

  for (const db of keyspace.dbs) {
    const { dict, expires } = db;
    // RESIZEDB comes first: the sizes of what is written below.
    let dbSize = 0;
    for (const value of dict.values()) if (!isEmptyCollection(value)) dbSize++;
    if (dbSize === 0) continue;
    let expiresSize = 0;
    for (const key of expires.keys()) {
      const value = dict.get(key);
      if (value !== undefined && !isEmptyCollection(value)) expiresSize++;
    }
    w.byte(RDB_OPCODE_SELECTDB);
    saveLen(w, db.id);
    w.byte(RDB_OPCODE_RESIZEDB);
    saveLen(w, dbSize);
    saveLen(w, expiresSize);
    const anyExpires = expiresSize > 0;
    for (const [key, value] of dict) {
      // Redis never holds an empty collection; skip any so the file stays loadable.
      if (isEmptyCollection(value)) continue;
      if (anyExpires) {
        const expireMs = expires.get(key);
        if (expireMs !== undefined) {
          w.byte(RDB_OPCODE_EXPIRETIME_MS);
          saveMillisecondTime(w, expireMs);
        }
      }
      saveObjectType(w, z, key, value);
    }
  }

  w.byte(RDB_OPCODE_EOF);
  return w.finish();
}

/**
 * One value as `rdbSaveObjectType` + `rdbSaveObject` write it: the type byte
 * then the serialized value. (A DUMP payload is this, then the RDB version as
 * u16 LE, then the CRC-64 of everything before.)
 */
export function writeObject(value: RedisValue, options: RdbWriteOptions = {}): ByteString {
  const w = new Rio(false);
  saveObjectType(w, options.compression ?? true, null, value);
  return w.finish().join("");
}

/** The type byte, the key (when given), then the value: one key-value record. */
function saveObjectType(w: Rio, z: boolean, key: ByteString | null, value: RedisValue): void {
  if (typeof value === "string") {
    w.byte(RDB_TYPE_STRING);
    if (key !== null) saveRawString(w, z, key);
    saveRawString(w, z, value);
    return;
  }
  switch (value.type) {
    case "list":
      w.byte(RDB_TYPE_LIST_QUICKLIST_2);
      if (key !== null) saveRawString(w, z, key);
      saveQuicklist(w, z, value.value);
      return;
    case "hash": {
      const small = hashIsListpack(value.value);
      w.byte(small ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH);
      if (key !== null) saveRawString(w, z, key);
      saveHash(w, z, value.value, small);
      return;
    }
    case "set": {
      const ints = setAsIntegers(value.value);
      w.byte(ints !== null ? RDB_TYPE_SET_INTSET : RDB_TYPE_SET);
      if (key !== null) saveRawString(w, z, key);
      if (ints !== null) saveRawString(w, z, intsetEncode(ints));
      else saveSet(w, z, value.value);
      return;
    }
    case "zset": {
      const entries = zsetByScore(value.value);
      const small = zsetIsListpack(entries);
      w.byte(small ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2);
      if (key !== null) saveRawString(w, z, key);
      saveZset(w, z, entries, small);
      return;
    }
  }
}

/** `SIZE_ESTIMATE_OVERHEAD` of 7.0's quicklist.c: the listpack entry overhead it assumes. */
const SIZE_ESTIMATE_OVERHEAD = 8;

/**
 * Splits the list into listpack nodes as RPUSH does in 7.0
 * (`_quicklistNodeAllowInsert` with `list-max-listpack-size -2`): an element
 * joins the tail node while the node's bytes plus the element's length plus
 * `SIZE_ESTIMATE_OVERHEAD` (8) stay within 8 KB. (redis-server 7.0.15 refuses
 * a 28-byte element on a 8161-byte node, which the ziplist-era estimate of
 * 2 bytes for short elements would have accepted.)
 */
function saveQuicklist(w: Rio, z: boolean, list: readonly ByteString[]): void {
  const nodes: ByteString[][] = [];
  let node: ByteString[] = [];
  let nodeBytes = LP_EMPTY_BYTES;
  for (const element of list) {
    if (
      node.length > 0 &&
      nodeBytes + element.length + SIZE_ESTIMATE_OVERHEAD > LIST_MAX_LISTPACK_BYTES
    ) {
      nodes.push(node);
      node = [];
      nodeBytes = LP_EMPTY_BYTES;
    }
    node.push(element);
    nodeBytes += lpEntrySize(element);
  }
  if (node.length > 0) nodes.push(node);
  saveLen(w, nodes.length);
  for (const n of nodes) {
    saveLen(w, QUICKLIST_NODE_CONTAINER_PACKED);
    saveRawString(w, z, lpEncode(n));
  }
}

/** Whether 7.0 keeps this hash as a listpack (`hash-max-listpack-entries` / `-value`). */
function hashIsListpack(hash: ReadonlyMap<ByteString, ByteString>): boolean {
  if (hash.size > HASH_MAX_LISTPACK_ENTRIES) return false;
  for (const [field, value] of hash) {
    if (field.length > HASH_MAX_LISTPACK_VALUE || value.length > HASH_MAX_LISTPACK_VALUE)
      return false;
  }
  return true;
}

function saveHash(
  w: Rio,
  z: boolean,
  hash: ReadonlyMap<ByteString, ByteString>,
  listpack: boolean,
): void {
  if (listpack) {
    saveRawString(w, z, lpEncode(flattenPairs(hash)));
    return;
  }
  saveLen(w, hash.size);
  for (const [field, value] of hash) {
    saveRawString(w, z, field);
    saveRawString(w, z, value);
  }
}

function* flattenPairs(hash: ReadonlyMap<ByteString, ByteString>): Generator<ByteString> {
  for (const [field, value] of hash) {
    yield field;
    yield value;
  }
}

/** The members as integers when 7.0 keeps the set as an intset, else null. */
function setAsIntegers(set: ReadonlySet<ByteString>): bigint[] | null {
  if (set.size > SET_MAX_INTSET_ENTRIES) return null;
  const ints: bigint[] = [];
  for (const member of set) {
    const v = string2ll(member);
    if (v === null) return null;
    ints.push(v);
  }
  return ints;
}

function saveSet(w: Rio, z: boolean, set: ReadonlySet<ByteString>): void {
  saveLen(w, set.size);
  for (const member of set) saveRawString(w, z, member);
}

/** Zsets are ordered by score, then by member bytes (memcmp); JS string comparison of byte strings is exactly that. */
function zsetByScore(zset: ReadonlyMap<ByteString, number>): [ByteString, number][] {
  return [...zset].sort(([ma, sa], [mb, sb]) =>
    sa < sb ? -1 : sa > sb ? 1 : ma < mb ? -1 : ma > mb ? 1 : 0,
  );
}

/** Whether 7.0 keeps this zset as a listpack (`zset-max-listpack-entries` / `-value`). */
function zsetIsListpack(entries: readonly [ByteString, number][]): boolean {
  if (entries.length > ZSET_MAX_LISTPACK_ENTRIES) return false;
  for (const [member] of entries) if (member.length > ZSET_MAX_LISTPACK_VALUE) return false;
  return true;
}

function saveZset(
  w: Rio,
  z: boolean,
  entries: readonly [ByteString, number][],
  listpack: boolean,
): void {
  if (listpack) {
    const flat: ByteString[] = [];
    for (const [member, score] of entries) flat.push(member, zsetListpackScore(score));
    saveRawString(w, z, lpEncode(flat));
    return;
  }
  // The skiplist is saved from its tail: highest score first.
  saveLen(w, entries.length);
  for (let i = entries.length - 1; i >= 0; i--) {
    const [member, score] = entries[i] as [ByteString, number];
    saveRawString(w, z, member);
    w.float64Le(score);
  }
}

function isEmptyCollection(value: RedisValue): boolean {
  if (typeof value === "string") return false;
  switch (value.type) {
    case "list":
      return value.value.length === 0;
    default:
      return value.value.size === 0;
  }
}

function saveAuxField(w: Rio, z: boolean, key: string, value: ByteString): void {
  w.byte(RDB_OPCODE_AUX);
  saveRawString(w, z, key);
  saveRawString(w, z, value);
}

/**
 * `rdbSaveRawString`: strings of up to 11 bytes that are the canonical form
 * of an integer in int32 range become INT8/16/32 (`rdbTryIntegerEncoding`);
 * with compression (`z`), strings longer than 20 bytes are LZF-compressed
 * when the result fits in len - 4 bytes (`rdbSaveLzfStringObject`); anything
 * else is length-prefixed.
 */
function saveRawString(w: Rio, z: boolean, s: ByteString): void {
  const n = s.length;
  if (n <= 11) {
    const v = string2int(s);
    if (v !== null) {
      if (v >= -128 && v <= 127) {
        w.byte((RDB_ENCVAL << 6) | RDB_ENC_INT8);
        w.byte(v & 0xff);
        return;
      }
      if (v >= -32768 && v <= 32767) {
        w.byte((RDB_ENCVAL << 6) | RDB_ENC_INT16);
        w.byte(v & 0xff);
        w.byte((v >> 8) & 0xff);
        return;
      }
      if (v >= -2147483648 && v <= 2147483647) {
        w.byte((RDB_ENCVAL << 6) | RDB_ENC_INT32);
        w.byte(v & 0xff);
        w.byte((v >> 8) & 0xff);
        w.byte((v >> 16) & 0xff);
        w.byte((v >>> 24) & 0xff);
        return;
      }
    }
  }
  if (z && n > 20) {
    // rdbSaveLzfStringObject: lzf_compress into a buffer of len - 4 bytes, then
    // RDB_ENC_LZF, the compressed length, the original length, the bytes.
    const compressed = lzfCompress(s, n - 4);
    if (compressed !== null) {
      w.byte((RDB_ENCVAL << 6) | RDB_ENC_LZF);
      saveLen(w, compressed.length);
      saveLen(w, n);
      w.bytes(compressed);
      return;
    }
  }
  saveLen(w, n);
  w.bytes(s);
}

/** `rdbSaveLen`: 6-bit, 14-bit (big-endian), or 0x80 + u32 BE, or 0x81 + u64 BE. */
function saveLen(w: Rio, n: number): void {
  if (n < 64) {
    w.byte(n);
  } else if (n < 16384) {
    w.byte(0x40 | (n >> 8));
    w.byte(n & 0xff);
  } else if (n <= 0xffffffff) {
    w.byte(RDB_32BITLEN);
    w.byte(n >>> 24);
    w.byte((n >>> 16) & 0xff);
    w.byte((n >>> 8) & 0xff);
    w.byte(n & 0xff);
  } else {
    w.byte(RDB_64BITLEN);
    let v = BigInt(n);
    const be: number[] = [];
    for (let k = 0; k < 8; k++) {
      be.unshift(Number(v & 0xffn));
      v >>= 8n;
    }
    for (const b of be) w.byte(b);
  }
}

/** `rdbSaveMillisecondTime`: int64 little-endian. */
function saveMillisecondTime(w: Rio, ms: number): void {
  let v = BigInt.asUintN(64, BigInt(Math.trunc(ms)));
  for (let k = 0; k < 8; k++) {
    w.byte(Number(v & 0xffn));
    v >>= 8n;
  }
}

/** `ll2string` of an integer field value. */
function integerText(n: number): string {
  return BigInt(Math.trunc(n)).toString();
}
