import type { ByteString } from "../bytes";
import type { Keyspace } from "../keyspace/db";
import type { RedisValue } from "../keyspace/value";
import { CRC64_INIT, crc64ToLeBytes, crc64Update } from "./crc64";
import {
  HASH_MAX_LISTPACK_ENTRIES,
  HASH_MAX_LISTPACK_VALUE,
  LIST_MAX_LISTPACK_BYTES,
  QUICKLIST_NODE_CONTAINER_PACKED,
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
  void nowMs;
  const z = options.compression ?? true;
  const out: string[] = ["REDIS" + String(RDB_VERSION).padStart(4, "0")];
  saveAuxField(out, z, "redis-ver", aux.redisVer);
  saveAuxField(out, z, "redis-bits", "64");
  saveAuxField(out, z, "ctime", integerText(aux.ctimeSec));
  saveAuxField(out, z, "used-mem", integerText(aux.usedMem));
  saveAuxField(out, z, "repl-stream-db", integerText(aux.replStreamDb));
  saveAuxField(out, z, "repl-id", aux.replId);
  saveAuxField(out, z, "repl-offset", integerText(aux.replOffset));
  saveAuxField(out, z, "aof-base", integerText(aux.aofBase ?? 0));

  for (const db of keyspace.dbs) {
    // One pass over the dict: each key's record is built as one string, and the
    // RESIZEDB sizes (which come first in the file) are counted on the way.
    const records: string[] = [];
    let expiresSize = 0;
    const piece: string[] = [];
    for (const [key, value] of db.dict) {
      // Redis never holds an empty collection; skip any so the file stays loadable.
      if (isEmptyCollection(value)) continue;
      piece.length = 0;
      const expireMs = db.expires.get(key);
      if (expireMs !== undefined) {
        expiresSize++;
        piece.push(chr(RDB_OPCODE_EXPIRETIME_MS), int64le(expireMs));
      }
      const [type, body] = saveObject(value, z);
      piece.push(chr(type));
      saveRawString(piece, z, key);
      for (const part of body) piece.push(part);
      records.push(piece.join(""));
    }
    if (records.length === 0) continue;
    out.push(chr(RDB_OPCODE_SELECTDB), saveLen(db.id));
    out.push(chr(RDB_OPCODE_RESIZEDB), saveLen(records.length), saveLen(expiresSize));
    for (const record of records) out.push(record);
  }

  out.push(chr(RDB_OPCODE_EOF));
  const payload = out.join("");
  return payload + crc64ToLeBytes(crc64Update(CRC64_INIT, payload));
}

/**
 * One value as `rdbSaveObjectType` + `rdbSaveObject` write it: the type byte
 * then the serialized value. (A DUMP payload is this, then the RDB version as
 * u16 LE, then the CRC-64 of everything before.)
 */
export function writeObject(value: RedisValue, options: RdbWriteOptions = {}): ByteString {
  const z = options.compression ?? true;
  const [type, body] = saveObject(value, z);
  return chr(type) + body.join("");
}

function saveObject(value: RedisValue, z: boolean): [number, string[]] {
  const out: string[] = [];
  switch (value.type) {
    case "string":
      saveRawString(out, z, value.value);
      return [RDB_TYPE_STRING, out];
    case "list":
      saveQuicklist(out, z, value.value);
      return [RDB_TYPE_LIST_QUICKLIST_2, out];
    case "hash":
      return [saveHash(out, z, value.value), out];
    case "set":
      return [saveSet(out, z, value.value), out];
    case "zset":
      return [saveZset(out, z, value.value), out];
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
function saveQuicklist(out: string[], z: boolean, list: readonly ByteString[]): void {
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
  out.push(saveLen(nodes.length));
  for (const n of nodes) {
    out.push(saveLen(QUICKLIST_NODE_CONTAINER_PACKED));
    saveRawString(out, z, lpEncode(n));
  }
}

function saveHash(out: string[], z: boolean, hash: ReadonlyMap<ByteString, ByteString>): number {
  let small = hash.size <= HASH_MAX_LISTPACK_ENTRIES;
  if (small) {
    for (const [field, value] of hash) {
      if (field.length > HASH_MAX_LISTPACK_VALUE || value.length > HASH_MAX_LISTPACK_VALUE) {
        small = false;
        break;
      }
    }
  }
  if (small) {
    saveRawString(out, z, lpEncode(flattenPairs(hash)));
    return RDB_TYPE_HASH_LISTPACK;
  }
  out.push(saveLen(hash.size));
  for (const [field, value] of hash) {
    saveRawString(out, z, field);
    saveRawString(out, z, value);
  }
  return RDB_TYPE_HASH;
}

function* flattenPairs(hash: ReadonlyMap<ByteString, ByteString>): Generator<ByteString> {
  for (const [field, value] of hash) {
    yield field;
    yield value;
  }
}

function saveSet(out: string[], z: boolean, set: ReadonlySet<ByteString>): number {
  if (set.size <= SET_MAX_INTSET_ENTRIES) {
    const ints: bigint[] = [];
    for (const member of set) {
      const v = string2ll(member);
      if (v === null) break;
      ints.push(v);
    }
    if (ints.length === set.size) {
      saveRawString(out, z, intsetEncode(ints));
      return RDB_TYPE_SET_INTSET;
    }
  }
  out.push(saveLen(set.size));
  for (const member of set) saveRawString(out, z, member);
  return RDB_TYPE_SET;
}

function saveZset(out: string[], z: boolean, zset: ReadonlyMap<ByteString, number>): number {
  // Zsets are ordered by score, then by member bytes (memcmp); JS string
  // comparison of byte strings is exactly that.
  const entries = [...zset].sort(([ma, sa], [mb, sb]) =>
    sa < sb ? -1 : sa > sb ? 1 : ma < mb ? -1 : ma > mb ? 1 : 0,
  );
  let small = entries.length <= ZSET_MAX_LISTPACK_ENTRIES;
  if (small) {
    for (const [member] of entries) {
      if (member.length > ZSET_MAX_LISTPACK_VALUE) {
        small = false;
        break;
      }
    }
  }
  if (small) {
    const flat: ByteString[] = [];
    for (const [member, score] of entries) flat.push(member, zsetListpackScore(score));
    saveRawString(out, z, lpEncode(flat));
    return RDB_TYPE_ZSET_LISTPACK;
  }
  // The skiplist is saved from its tail: highest score first.
  out.push(saveLen(entries.length));
  for (let i = entries.length - 1; i >= 0; i--) {
    const [member, score] = entries[i] as [ByteString, number];
    saveRawString(out, z, member);
    out.push(binaryDouble(score));
  }
  return RDB_TYPE_ZSET_2;
}

function isEmptyCollection(value: RedisValue): boolean {
  switch (value.type) {
    case "string":
      return false;
    case "list":
      return value.value.length === 0;
    default:
      return value.value.size === 0;
  }
}

function saveAuxField(out: string[], z: boolean, key: string, value: ByteString): void {
  out.push(chr(RDB_OPCODE_AUX));
  saveRawString(out, z, key);
  saveRawString(out, z, value);
}

/**
 * `rdbSaveRawString`: strings of up to 11 bytes that are the canonical form
 * of an integer in int32 range become INT8/16/32 (`rdbTryIntegerEncoding`);
 * with compression (`z`), strings longer than 20 bytes are LZF-compressed
 * when the result fits in len - 4 bytes (`rdbSaveLzfStringObject`); anything
 * else is length-prefixed.
 */
function saveRawString(out: string[], z: boolean, s: ByteString): void {
  if (s.length <= 11) {
    const v = string2int(s);
    if (v !== null) {
      if (v >= -128 && v <= 127) {
        out.push(String.fromCharCode(0xc0, v & 0xff));
        return;
      }
      if (v >= -32768 && v <= 32767) {
        out.push(String.fromCharCode(0xc1, v & 0xff, (v >> 8) & 0xff));
        return;
      }
      if (v >= -2147483648 && v <= 2147483647) {
        out.push(
          String.fromCharCode(0xc2, v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff),
        );
        return;
      }
    }
  }
  if (z && s.length > 20) {
    // rdbSaveLzfStringObject: lzf_compress into a buffer of len - 4 bytes, then
    // RDB_ENC_LZF, the compressed length, the original length, the bytes.
    const compressed = lzfCompress(s, s.length - 4);
    if (compressed !== null) {
      out.push(
        chr((RDB_ENCVAL << 6) | RDB_ENC_LZF),
        saveLen(compressed.length),
        saveLen(s.length),
        compressed,
      );
      return;
    }
  }
  out.push(saveLen(s.length), s);
}

/** `rdbSaveLen`: 6-bit, 14-bit (big-endian), or 0x80 + u32 BE, or 0x81 + u64 BE. */
function saveLen(n: number): ByteString {
  if (n < 64) return chr(n);
  if (n < 16384) return String.fromCharCode(0x40 | (n >> 8), n & 0xff);
  if (n <= 0xffffffff) {
    return String.fromCharCode(0x80, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  }
  let v = BigInt(n);
  let be = "";
  for (let k = 0; k < 8; k++) {
    be = String.fromCharCode(Number(v & 0xffn)) + be;
    v >>= 8n;
  }
  return chr(0x81) + be;
}

/** `rdbSaveMillisecondTime`: int64 little-endian. */
function int64le(ms: number): ByteString {
  let v = BigInt.asUintN(64, BigInt(Math.trunc(ms)));
  let le = "";
  for (let k = 0; k < 8; k++) {
    le += String.fromCharCode(Number(v & 0xffn));
    v >>= 8n;
  }
  return le;
}

/** `rdbSaveBinaryDoubleValue`: IEEE 754 little-endian. */
function binaryDouble(d: number): ByteString {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d, true);
  let s = "";
  for (let k = 0; k < 8; k++) s += String.fromCharCode(view.getUint8(k));
  return s;
}

/** `ll2string` of an integer field value. */
function integerText(n: number): string {
  return BigInt(Math.trunc(n)).toString();
}

function chr(b: number): ByteString {
  return String.fromCharCode(b);
}
