import type { ByteString } from "../bytes";
import { Keyspace } from "../keyspace/db";
import type { RedisValue } from "../keyspace/value";
import { CRC64_INIT, crc64ToBigInt, crc64Update } from "./crc64";
import {
  QUICKLIST_NODE_CONTAINER_PACKED,
  QUICKLIST_NODE_CONTAINER_PLAIN,
  RDB_64BITLEN,
  RDB_32BITLEN,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_INT8,
  RDB_ENC_LZF,
  RDB_ENCVAL,
  RDB_MAX_READ_VERSION,
  RDB_MODULE_OPCODE_DOUBLE,
  RDB_MODULE_OPCODE_EOF,
  RDB_MODULE_OPCODE_FLOAT,
  RDB_MODULE_OPCODE_SINT,
  RDB_MODULE_OPCODE_STRING,
  RDB_MODULE_OPCODE_UINT,
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_FREQ,
  RDB_OPCODE_FUNCTION2,
  RDB_OPCODE_FUNCTION_PRE_GA,
  RDB_OPCODE_IDLE,
  RDB_OPCODE_MODULE_AUX,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_ZIPLIST,
  RDB_TYPE_HASH_ZIPMAP,
  RDB_TYPE_LIST,
  RDB_TYPE_LIST_QUICKLIST,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_LIST_ZIPLIST,
  RDB_TYPE_MODULE,
  RDB_TYPE_MODULE_2,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_SET_LISTPACK,
  RDB_TYPE_STREAM_LISTPACKS,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STREAM_LISTPACKS_3,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
  RDB_TYPE_ZSET_ZIPLIST,
} from "./format";
import { intsetDecode } from "./intset";
import { lpDecode } from "./listpack";
import { lzfDecompress } from "./lzf";
import { strtod } from "./numbers";
import { RdbError } from "./rdbError";
import { ziplistDecode } from "./ziplist";

/** What an RDB file holds, as far as replication cares. */
export interface RdbContents {
  readonly keyspace: Keyspace;
  /** AUX fields in file order (`redis-ver`, `repl-id`, ...); integer-encoded values come back as decimal text. */
  readonly aux: Map<string, ByteString>;
  /** FUNCTION2 records: the source of each function library, in file order. */
  readonly functions: ByteString[];
  /** The RDB format version from the header. */
  readonly version: number;
  /** Bytes up to and including the checksum; anything after it is ignored, as Redis does. */
  readonly sizeBytes: number;
}

/**
 * Parses a whole RDB file (versions 1 to 11) as `rdb.c:rdbLoadRio` does,
 * verifying the CRC-64 unless it is zero. Keys whose TTL has passed are kept
 * (the caller decides); empty collections are skipped, as Redis skips them.
 * Any defect, or a type this model cannot hold (streams, modules), throws an
 * RdbError naming the problem and the byte offset; nothing else is thrown.
 */
export function readRdb(bytes: ByteString): RdbContents {
  const cur = new Cursor(bytes);
  try {
    return loadRdb(cur);
  } catch (e) {
    throw asRdbError(e, cur.pos);
  }
}

/** readRdb's outcome as a value, for callers that branch instead of catching. */
export type RdbLoadResult =
  ({ readonly ok: true } & RdbContents) | { readonly ok: false; readonly error: RdbError };

/** Like readRdb, but returns the RdbError instead of throwing it. */
export function tryReadRdb(bytes: ByteString): RdbLoadResult {
  try {
    return { ok: true, ...readRdb(bytes) };
  } catch (e) {
    return { ok: false, error: asRdbError(e, 0) };
  }
}

/**
 * Parses one serialized value: a type byte followed by the value, as
 * `writeObject` produces (a DUMP payload without its version and checksum).
 */
export function readObject(bytes: ByteString): RedisValue {
  const cur = new Cursor(bytes);
  try {
    const type = cur.u8("value type");
    const value = loadObject(cur, type, 0);
    if (value === null) throw cur.error("empty collection", 0);
    if (cur.pos !== bytes.length)
      throw cur.error(`${bytes.length - cur.pos} bytes after the value`);
    return value;
  } catch (e) {
    throw asRdbError(e, cur.pos);
  }
}

/** Anything unexpected (say, a RangeError from a huge allocation) still surfaces as an RdbError. */
function asRdbError(e: unknown, offset: number): RdbError {
  if (e instanceof RdbError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new RdbError(`cannot parse RDB (${message})`, offset);
}

function loadRdb(cur: Cursor): RdbContents {
  const magic = cur.take(9, "header");
  if (!magic.startsWith("REDIS") || !/^\d{4}$/.test(magic.slice(5))) {
    throw cur.error("not an RDB file (no REDIS magic)", 0);
  }
  const version = Number(magic.slice(5));
  if (version < 1 || version > RDB_MAX_READ_VERSION) {
    throw cur.error(`can't handle RDB format version ${version}`, 5);
  }

  const keyspace = new Keyspace();
  const aux = new Map<string, ByteString>();
  const functions: ByteString[] = [];
  let dbId = 0;
  let expireMs: number | null = null;
  let loadedKeys = 0;

  for (;;) {
    const opAt = cur.pos;
    const type = cur.u8("record type");
    if (type === RDB_OPCODE_EXPIRETIME) {
      expireMs = cur.intLe(4, "expire time") * 1000;
      continue;
    }
    if (type === RDB_OPCODE_EXPIRETIME_MS) {
      expireMs = Number(cur.int64Le("expire time"));
      continue;
    }
    if (type === RDB_OPCODE_FREQ) {
      cur.u8("LFU frequency");
      continue;
    }
    if (type === RDB_OPCODE_IDLE) {
      cur.len("LRU idle time");
      continue;
    }
    if (type === RDB_OPCODE_EOF) break;
    if (type === RDB_OPCODE_SELECTDB) {
      dbId = cur.len("db number");
      if (dbId >= keyspace.dbs.length) {
        throw cur.error(`db ${dbId} does not exist (databases ${keyspace.dbs.length})`, opAt);
      }
      continue;
    }
    if (type === RDB_OPCODE_RESIZEDB) {
      cur.len("db size");
      cur.len("expires size");
      continue;
    }
    if (type === RDB_OPCODE_AUX) {
      const key = cur.string("aux field name");
      aux.set(key, cur.string("aux field value"));
      continue;
    }
    if (type === RDB_OPCODE_MODULE_AUX) {
      cur.lenBig("module id");
      const whenOpcode = cur.len("module aux when-opcode");
      if (whenOpcode !== RDB_MODULE_OPCODE_UINT)
        throw cur.error("bad module aux when-opcode", opAt);
      cur.len("module aux when");
      skipModuleValue(cur);
      continue;
    }
    if (type === RDB_OPCODE_FUNCTION_PRE_GA) {
      throw cur.error("pre-release function format not supported", opAt);
    }
    if (type === RDB_OPCODE_FUNCTION2) {
      functions.push(cur.string("function library"));
      continue;
    }

    // A key-value pair.
    const key = cur.string("key");
    let value: RedisValue | null;
    try {
      value = loadObject(cur, type, opAt);
    } catch (e) {
      if (e instanceof RdbError) {
        throw new RdbError(`${e.reason} (value of key ${printable(key)} in db ${dbId})`, e.offset);
      }
      throw e;
    }
    const db = keyspace.db(dbId);
    if (value !== null) {
      // The keyspace is new, so the keys loaded so far are all it holds: only
      // at the limit is it asked to refuse (it throws OutOfMemory).
      if (loadedKeys >= keyspace.maxKeys) db.reserve();
      // A key seen before leaves the dict's size unchanged: one lookup instead of two
      // (the keyspace being loaded is thrown away with the error).
      const size = db.dict.size;
      db.dict.set(key, value);
      if (db.dict.size === size)
        throw cur.error(`duplicate key ${printable(key)} in db ${dbId}`, opAt);
      loadedKeys++;
      if (expireMs !== null) db.expires.set(key, expireMs);
    }
    expireMs = null;
  }

  if (version >= 5) {
    const expected = crc64ToBigInt(crc64Update(CRC64_INIT, cur.data, 0, cur.pos));
    const at = cur.pos;
    const stored = BigInt.asUintN(64, cur.int64Le("checksum"));
    if (stored !== 0n && stored !== expected) {
      throw cur.error(
        `wrong RDB checksum (file has ${hex64(stored)}, computed ${hex64(expected)})`,
        at,
      );
    }
  }
  return { keyspace, aux, functions, version, sizeBytes: cur.pos };
}

/** `rdbLoadObject`: one value of the given type; null for an empty collection. */
function loadObject(cur: Cursor, type: number, typeAt: number): RedisValue | null {
  switch (type) {
    case RDB_TYPE_STRING:
      return cur.string("string value");
    case RDB_TYPE_LIST: {
      const n = cur.len("list length");
      const list: ByteString[] = [];
      for (let i = 0; i < n; i++) list.push(cur.string("list element"));
      return list.length === 0 ? null : { type: "list", value: list };
    }
    case RDB_TYPE_SET: {
      const n = cur.len("set size");
      const set = new Set<ByteString>();
      for (let i = 0; i < n; i++) {
        const at = cur.pos;
        const member = cur.string("set member");
        if (set.has(member)) throw cur.error("duplicate set member", at);
        set.add(member);
      }
      return set.size === 0 ? null : { type: "set", value: set };
    }
    case RDB_TYPE_ZSET:
    case RDB_TYPE_ZSET_2: {
      const n = cur.len("zset size");
      const zset = new Map<ByteString, number>();
      for (let i = 0; i < n; i++) {
        const at = cur.pos;
        const member = cur.string("zset member");
        const score =
          type === RDB_TYPE_ZSET_2 ? cur.binaryDouble("zset score") : cur.asciiDouble("zset score");
        if (Number.isNaN(score)) throw cur.error("zset score is NaN", at);
        if (zset.has(member)) throw cur.error("duplicate zset member", at);
        zset.set(member, score);
      }
      return zset.size === 0 ? null : { type: "zset", value: zset };
    }
    case RDB_TYPE_HASH: {
      const n = cur.len("hash size");
      const hash = new Map<ByteString, ByteString>();
      for (let i = 0; i < n; i++) {
        const at = cur.pos;
        const field = cur.string("hash field");
        const value = cur.string("hash value");
        if (hash.has(field)) throw cur.error("duplicate hash field", at);
        hash.set(field, value);
      }
      return hash.size === 0 ? null : { type: "hash", value: hash };
    }
    case RDB_TYPE_LIST_QUICKLIST:
    case RDB_TYPE_LIST_QUICKLIST_2: {
      const nodes = cur.len("quicklist node count");
      const list: ByteString[] = [];
      for (let i = 0; i < nodes; i++) {
        let container = QUICKLIST_NODE_CONTAINER_PACKED;
        if (type === RDB_TYPE_LIST_QUICKLIST_2) {
          const at = cur.pos;
          container = cur.len("quicklist node container");
          if (
            container !== QUICKLIST_NODE_CONTAINER_PLAIN &&
            container !== QUICKLIST_NODE_CONTAINER_PACKED
          ) {
            throw cur.error(`quicklist node container ${container}`, at);
          }
        }
        const blob = cur.string("quicklist node");
        if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
          list.push(blob);
        } else {
          const at = cur.lastStringDataAt;
          for (const e of type === RDB_TYPE_LIST_QUICKLIST_2
            ? lpDecode(blob, at)
            : ziplistDecode(blob, at))
            list.push(e);
        }
      }
      return list.length === 0 ? null : { type: "list", value: list };
    }
    case RDB_TYPE_LIST_ZIPLIST: {
      const list = ziplistDecode(cur.string("ziplist"), cur.lastStringDataAt);
      return list.length === 0 ? null : { type: "list", value: list };
    }
    case RDB_TYPE_SET_INTSET:
    case RDB_TYPE_SET_LISTPACK: {
      const blob = cur.string(type === RDB_TYPE_SET_INTSET ? "intset" : "listpack");
      const at = cur.lastStringDataAt;
      const members = type === RDB_TYPE_SET_INTSET ? intsetDecode(blob, at) : lpDecode(blob, at);
      const set = new Set(members);
      if (set.size !== members.length) throw cur.error("duplicate set member", at);
      return set.size === 0 ? null : { type: "set", value: set };
    }
    case RDB_TYPE_HASH_ZIPLIST:
    case RDB_TYPE_HASH_LISTPACK: {
      const pairs = loadPairs(cur, type === RDB_TYPE_HASH_LISTPACK);
      const hash = new Map<ByteString, ByteString>();
      for (let i = 0; i < pairs.items.length; i += 2) {
        const field = pairs.items[i] as ByteString;
        if (hash.has(field)) throw cur.error("duplicate hash field", pairs.at);
        hash.set(field, pairs.items[i + 1] as ByteString);
      }
      return hash.size === 0 ? null : { type: "hash", value: hash };
    }
    case RDB_TYPE_ZSET_ZIPLIST:
    case RDB_TYPE_ZSET_LISTPACK: {
      const pairs = loadPairs(cur, type === RDB_TYPE_ZSET_LISTPACK);
      const zset = new Map<ByteString, number>();
      for (let i = 0; i < pairs.items.length; i += 2) {
        const member = pairs.items[i] as ByteString;
        const score = strtod(pairs.items[i + 1] as ByteString);
        if (Number.isNaN(score)) throw cur.error("zset score is not a number", pairs.at);
        if (zset.has(member)) throw cur.error("duplicate zset member", pairs.at);
        zset.set(member, score);
      }
      return zset.size === 0 ? null : { type: "zset", value: zset };
    }
    case RDB_TYPE_HASH_ZIPMAP:
      throw cur.error("zipmap-encoded hashes (Redis < 2.6) are not supported");
    case RDB_TYPE_STREAM_LISTPACKS:
    case RDB_TYPE_STREAM_LISTPACKS_2:
    case RDB_TYPE_STREAM_LISTPACKS_3:
      throw cur.error(`streams (value type ${type}) are not supported`);
    case RDB_TYPE_MODULE:
    case RDB_TYPE_MODULE_2:
      throw cur.error(`module values (value type ${type}) are not supported`);
    default:
      throw cur.error(`unknown value type ${type}`, typeAt);
  }
}

/** A ziplist or listpack blob of alternating field/value (or member/score) entries. */
function loadPairs(cur: Cursor, listpack: boolean): { items: ByteString[]; at: number } {
  const blob = cur.string(listpack ? "listpack" : "ziplist");
  const at = cur.lastStringDataAt;
  const items = listpack ? lpDecode(blob, at) : ziplistDecode(blob, at);
  if (items.length % 2 !== 0)
    throw cur.error(`odd number of entries (${items.length}) in a pair list`, at);
  return { items, at };
}

/** `rdbLoadCheckModuleValue`: skips module-serialized data up to its EOF opcode. */
function skipModuleValue(cur: Cursor): void {
  for (;;) {
    const at = cur.pos;
    const opcode = cur.len("module opcode");
    if (opcode === RDB_MODULE_OPCODE_EOF) return;
    if (opcode === RDB_MODULE_OPCODE_SINT || opcode === RDB_MODULE_OPCODE_UINT)
      cur.lenBig("module integer");
    else if (opcode === RDB_MODULE_OPCODE_STRING) cur.string("module string");
    else if (opcode === RDB_MODULE_OPCODE_FLOAT) cur.take(4, "module float");
    else if (opcode === RDB_MODULE_OPCODE_DOUBLE) cur.take(8, "module double");
    else throw cur.error(`unknown module opcode ${opcode}`, at);
  }
}

/** A read position in the file; every read is bounds-checked. */
class Cursor {
  pos = 0;
  /** Where the data of the last string read starts (its header, if it was LZF-compressed). */
  lastStringDataAt = 0;
  /** Whether the last `lenOrEncoding` read a special string encoding rather than a length. */
  encoded = false;

  constructor(readonly data: ByteString) {}

  error(reason: string, at: number = this.pos): RdbError {
    return new RdbError(reason, at);
  }

  private need(n: number, what: string): void {
    if (n > this.data.length - this.pos) {
      throw this.error(
        `unexpected end of file reading ${what} (${n} bytes needed, ${this.data.length - this.pos} left)`,
      );
    }
  }

  u8(what: string): number {
    this.need(1, what);
    return this.data.charCodeAt(this.pos++);
  }

  take(n: number, what: string): ByteString {
    this.need(n, what);
    const s = this.data.slice(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** A signed little-endian integer of up to 4 bytes. */
  intLe(width: 1 | 2 | 4, what: string): number {
    this.need(width, what);
    let v = 0;
    for (let k = width - 1; k >= 0; k--) v = v * 256 + this.data.charCodeAt(this.pos + k);
    this.pos += width;
    const bits = width * 8;
    return v >= 2 ** (bits - 1) ? v - 2 ** bits : v;
  }

  int64Le(what: string): bigint {
    this.need(8, what);
    let v = 0n;
    for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(this.data.charCodeAt(this.pos + k));
    this.pos += 8;
    return BigInt.asIntN(64, v);
  }

  /**
   * `rdbLoadLenByRef`: a length, or (when `encoded` is set afterwards) a
   * special string encoding number. (A field rather than a returned pair: no
   * allocation per length read.)
   */
  lenOrEncoding(what: string): number {
    const at = this.pos;
    const b = this.u8(what);
    const kind = b >> 6;
    this.encoded = kind === RDB_ENCVAL;
    if (kind === RDB_ENCVAL || kind === 0) return b & 0x3f;
    if (kind === 1) return ((b & 0x3f) << 8) | this.u8(what);
    if (b === RDB_32BITLEN) {
      this.need(4, what);
      let v = 0;
      for (let k = 0; k < 4; k++) v = v * 256 + this.data.charCodeAt(this.pos + k);
      this.pos += 4;
      return v;
    }
    if (b === RDB_64BITLEN) {
      this.pos = at;
      const v = this.lenBig(what);
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw this.error(`${what} ${v} is too large`, at);
      return Number(v);
    }
    throw this.error(`unknown length encoding 0x${b.toString(16)} in ${what}`, at);
  }

  /** A plain length (a special encoding here is corruption). */
  len(what: string): number {
    const at = this.pos;
    const len = this.lenOrEncoding(what);
    if (this.encoded) throw this.error(`${what}: unexpected string encoding`, at);
    return len;
  }

  /** A length read in full 64-bit precision (module ids and integers). */
  lenBig(what: string): bigint {
    const at = this.pos;
    const b = this.u8(what);
    if (b === RDB_64BITLEN) {
      this.need(8, what);
      let v = 0n;
      for (let k = 0; k < 8; k++) v = (v << 8n) | BigInt(this.data.charCodeAt(this.pos + k));
      this.pos += 8;
      return v;
    }
    this.pos = at;
    return BigInt(this.len(what));
  }

  /** `rdbGenericLoadStringObject`: length-prefixed, INT8/16/32, or LZF-compressed. */
  string(what: string): ByteString {
    const at = this.pos;
    const data = this.data;
    // Most keys and values: a 6-bit length and the bytes, read in one step.
    if (at < data.length) {
      const b = data.charCodeAt(at);
      const end = at + 1 + b;
      if (b < 0x40 && end <= data.length) {
        this.lastStringDataAt = at + 1;
        this.pos = end;
        return data.slice(at + 1, end);
      }
    }
    const len = this.lenOrEncoding(what);
    if (!this.encoded) {
      this.lastStringDataAt = this.pos;
      return this.take(len, what);
    }
    this.lastStringDataAt = at;
    switch (len) {
      case RDB_ENC_INT8:
        return String(this.intLe(1, what));
      case RDB_ENC_INT16:
        return String(this.intLe(2, what));
      case RDB_ENC_INT32:
        return String(this.intLe(4, what));
      case RDB_ENC_LZF: {
        const compressedLen = this.len(`${what} (compressed length)`);
        const plainLen = this.len(`${what} (uncompressed length)`);
        const compressed = this.take(compressedLen, what);
        return lzfDecompress(compressed, plainLen, at);
      }
      default:
        throw this.error(`unknown string encoding ${len} in ${what}`, at);
    }
  }

  /** `rdbLoadBinaryDoubleValue`: IEEE 754 little-endian. */
  binaryDouble(what: string): number {
    this.need(8, what);
    const view = new DataView(new ArrayBuffer(8));
    for (let k = 0; k < 8; k++) view.setUint8(k, this.data.charCodeAt(this.pos + k));
    this.pos += 8;
    return view.getFloat64(0, true);
  }

  /** `rdbLoadDoubleValue` (old ZSET type): length byte, with 253/254/255 for nan/+inf/-inf, then text. */
  asciiDouble(what: string): number {
    const len = this.u8(what);
    if (len === 255) return -Infinity;
    if (len === 254) return Infinity;
    if (len === 253) return NaN;
    return strtod(this.take(len, what));
  }
}

/** A key as Redis logs it: printable ASCII kept, other bytes as \xNN, cut at 64 bytes. */
function printable(key: ByteString): string {
  let s = '"';
  for (let i = 0; i < Math.min(key.length, 64); i++) {
    const c = key.charCodeAt(i);
    s +=
      c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c
        ? key[i]
        : `\\x${c.toString(16).padStart(2, "0")}`;
  }
  return s + (key.length > 64 ? '"...' : '"');
}

function hex64(v: bigint): string {
  return "0x" + v.toString(16).padStart(16, "0");
}
