import type { ByteString } from "../bytes";
import { string2ll } from "./numbers";
import { RdbError } from "./rdbError";

/**
 * Listpacks (`listpack.c`), the compact encoding of small hashes, zsets and
 * quicklist nodes. Layout: total bytes (u32 LE), element count (u16 LE,
 * 65535 = unknown), entries, 0xFF. An entry is its encoding and data followed
 * by "backlen", the length of encoding+data written so it can be read
 * backwards.
 */

const LP_HDR_SIZE = 6;
const LP_EOF = 0xff;
const LP_HDR_NUMELE_UNKNOWN = 0xffff;

/** Encodes elements as `lpAppend` would, one after another, into a fresh listpack. */
export function lpEncode(elements: Iterable<ByteString>): ByteString {
  const parts: string[] = [];
  let bytes = LP_HDR_SIZE + 1;
  let count = 0;
  for (const element of elements) {
    const entry = lpEncodeEntry(element);
    parts.push(entry);
    bytes += entry.length;
    count++;
  }
  const header =
    u32le(bytes) + u16le(count < LP_HDR_NUMELE_UNKNOWN ? count : LP_HDR_NUMELE_UNKNOWN);
  return header + parts.join("") + String.fromCharCode(LP_EOF);
}

/** Size in bytes that `element` takes in a listpack, backlen included. */
export function lpEntrySize(element: ByteString): number {
  const encoded = lpEncodedSize(element);
  return encoded + lpBacklenSize(encoded);
}

/** The empty listpack's size (`lpNew`): header and terminator. */
export const LP_EMPTY_BYTES = LP_HDR_SIZE + 1;

/** One entry: encoding, data, backlen. Integers are stored as integers (`lpEncodeGetType`). */
export function lpEncodeEntry(element: ByteString): ByteString {
  const body = lpEncodeBody(element);
  return body + lpEncodeBacklen(body.length);
}

function lpEncodeBody(element: ByteString): ByteString {
  const v = asInteger(element);
  if (v !== null) return lpEncodeInteger(v);
  const len = element.length;
  if (len < 64) return String.fromCharCode(0x80 | len) + element;
  if (len < 4096) return String.fromCharCode(0xe0 | (len >> 8), len & 0xff) + element;
  return String.fromCharCode(0xf0) + u32le(len) + element;
}

function lpEncodedSize(element: ByteString): number {
  const v = asInteger(element);
  if (v !== null) return lpIntegerSize(v);
  const len = element.length;
  if (len < 64) return 1 + len;
  if (len < 4096) return 2 + len;
  return 5 + len;
}

function asInteger(element: ByteString): bigint | null {
  if (element.length === 0 || element.length > 20) return null;
  const c = element.charCodeAt(0);
  if (c !== 0x2d && (c < 0x30 || c > 0x39)) return null;
  return string2ll(element);
}

function lpIntegerSize(v: bigint): number {
  if (v >= 0n && v <= 127n) return 1;
  if (v >= -4096n && v <= 4095n) return 2;
  if (v >= -32768n && v <= 32767n) return 3;
  if (v >= -8388608n && v <= 8388607n) return 4;
  if (v >= -2147483648n && v <= 2147483647n) return 5;
  return 9;
}

function lpEncodeInteger(v: bigint): ByteString {
  const size = lpIntegerSize(v);
  if (size === 1) return String.fromCharCode(Number(v));
  if (size === 2) {
    const uv = Number(v < 0n ? (1n << 13n) + v : v);
    return String.fromCharCode((uv >> 8) | 0xc0, uv & 0xff);
  }
  const tag = size === 3 ? 0xf1 : size === 4 ? 0xf2 : size === 5 ? 0xf3 : 0xf4;
  const width = size - 1;
  let uv = BigInt.asUintN(width * 8, v);
  let out = String.fromCharCode(tag);
  for (let k = 0; k < width; k++) {
    out += String.fromCharCode(Number(uv & 0xffn));
    uv >>= 8n;
  }
  return out;
}

/** `lpEncodeBacklen`: note the strict `< 16383` boundary, as in Redis. */
function lpEncodeBacklen(l: number): ByteString {
  if (l <= 127) return String.fromCharCode(l);
  if (l < 16383) return String.fromCharCode(l >>> 7, (l & 127) | 128);
  if (l < 2097151) return String.fromCharCode(l >>> 14, ((l >>> 7) & 127) | 128, (l & 127) | 128);
  if (l < 268435455) {
    return String.fromCharCode(
      l >>> 21,
      ((l >>> 14) & 127) | 128,
      ((l >>> 7) & 127) | 128,
      (l & 127) | 128,
    );
  }
  return String.fromCharCode(
    Math.floor(l / 2 ** 28),
    ((l >>> 21) & 127) | 128,
    ((l >>> 14) & 127) | 128,
    ((l >>> 7) & 127) | 128,
    (l & 127) | 128,
  );
}

function lpBacklenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/**
 * Decodes every element of a listpack blob (integers become their decimal
 * strings). Validates the header, each entry's bounds and backlen, the count
 * and the terminator; `offset` is the blob's position in the file, for errors.
 */
export function lpDecode(blob: ByteString, offset: number): ByteString[] {
  const fail = (what: string, at: number): never => {
    throw new RdbError(`corrupt listpack: ${what}`, offset + at);
  };
  if (blob.length < LP_HDR_SIZE + 1) fail(`blob of ${blob.length} bytes is too short`, 0);
  const total = readU32le(blob, 0);
  if (total !== blob.length) fail(`header says ${total} bytes, blob has ${blob.length}`, 0);
  const declared = blob.charCodeAt(4) | (blob.charCodeAt(5) << 8);
  const out: ByteString[] = [];
  let p = LP_HDR_SIZE;
  const end = blob.length - 1; // index of the terminator
  for (;;) {
    if (p > end) fail("missing terminator", p);
    const b = blob.charCodeAt(p);
    if (b === LP_EOF) break;
    const start = p;
    let value: ByteString;
    let encLen: number; // encoding + data
    if ((b & 0x80) === 0) {
      value = String(b & 0x7f);
      encLen = 1;
    } else if ((b & 0xc0) === 0x80) {
      const len = b & 0x3f;
      encLen = 1 + len;
      if (start + encLen > end) fail("string entry past the end", start);
      value = blob.slice(start + 1, start + encLen);
    } else if ((b & 0xe0) === 0xc0) {
      if (start + 2 > end) fail("integer entry past the end", start);
      const uv = ((b & 0x1f) << 8) | blob.charCodeAt(start + 1);
      value = String(uv >= 4096 ? uv - 8192 : uv);
      encLen = 2;
    } else if ((b & 0xf0) === 0xe0) {
      if (start + 2 > end) fail("string entry past the end", start);
      const len = ((b & 0x0f) << 8) | blob.charCodeAt(start + 1);
      encLen = 2 + len;
      if (start + encLen > end) fail("string entry past the end", start);
      value = blob.slice(start + 2, start + encLen);
    } else if (b === 0xf0) {
      if (start + 5 > end) fail("string entry past the end", start);
      const len = readU32le(blob, start + 1);
      encLen = 5 + len;
      if (start + encLen > end) fail("string entry past the end", start);
      value = blob.slice(start + 5, start + encLen);
    } else if (b >= 0xf1 && b <= 0xf4) {
      const width = b === 0xf1 ? 2 : b === 0xf2 ? 3 : b === 0xf3 ? 4 : 8;
      encLen = 1 + width;
      if (start + encLen > end) fail("integer entry past the end", start);
      let uv = 0n;
      for (let k = width; k >= 1; k--) uv = (uv << 8n) | BigInt(blob.charCodeAt(start + k));
      value = BigInt.asIntN(width * 8, uv).toString();
    } else {
      return fail(`unknown entry encoding 0x${b.toString(16)}`, start);
    }
    const backlenSize = lpBacklenSize(encLen);
    p = start + encLen + backlenSize;
    if (p > end) fail("entry backlen past the end", start);
    if (lpDecodeBacklen(blob, p - 1, start + encLen) !== encLen)
      fail("entry backlen mismatch", start);
    out.push(value);
  }
  if (p !== end) fail("terminator before the end", p);
  if (declared !== LP_HDR_NUMELE_UNKNOWN && declared !== out.length) {
    fail(`header says ${declared} elements, found ${out.length}`, 4);
  }
  return out;
}

/** Reads a backlen ending at `last`, going backwards no further than `first`. */
function lpDecodeBacklen(blob: ByteString, last: number, first: number): number {
  let val = 0;
  let mult = 1;
  for (let p = last; p >= first; p--) {
    const b = blob.charCodeAt(p);
    val += (b & 127) * mult;
    if ((b & 128) === 0) return val;
    mult *= 128;
  }
  return -1;
}

function readU32le(s: ByteString, i: number): number {
  return (
    (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16)) +
    s.charCodeAt(i + 3) * 0x1000000
  );
}

function u32le(n: number): ByteString {
  return String.fromCharCode(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
}

function u16le(n: number): ByteString {
  return String.fromCharCode(n & 0xff, (n >>> 8) & 0xff);
}
