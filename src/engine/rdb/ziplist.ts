import type { ByteString } from "../bytes";
import { RdbError } from "./rdbError";

/**
 * Ziplists (`ziplist.c`), the pre-7.0 compact encoding, read only: RDB files
 * from Redis 3.2 to 6.2 store small hashes, zsets and quicklist nodes this way.
 * Layout: total bytes (u32 LE), tail offset (u32 LE), count (u16 LE),
 * entries (prevlen, encoding, data), 0xFF.
 */
export function ziplistDecode(blob: ByteString, offset: number): ByteString[] {
  function fail(what: string, at: number): never {
    throw new RdbError(`corrupt ziplist: ${what}`, offset + at);
  }
  if (blob.length < 11) fail(`blob of ${blob.length} bytes is too short`, 0);
  const total = readUle(blob, 0, 4);
  if (total !== blob.length) fail(`header says ${total} bytes, blob has ${blob.length}`, 0);
  const declared = readUle(blob, 8, 2);
  const end = blob.length - 1;
  const out: ByteString[] = [];
  let p = 10;
  let prevEntryLen = 0;
  for (;;) {
    if (p > end) fail("missing terminator", p);
    if (blob.charCodeAt(p) === 0xff) break;
    const start = p;
    // prevlen: one byte, or 0xFE then a u32 LE.
    let prevlen = blob.charCodeAt(p);
    if (prevlen === 0xfe) {
      if (p + 5 > end) fail("prevlen past the end", p);
      prevlen = readUle(blob, p + 1, 4);
      p += 5;
    } else {
      p += 1;
    }
    if (prevlen !== prevEntryLen) fail("prevlen mismatch", start);
    if (p >= end) fail("entry past the end", p);
    const enc = blob.charCodeAt(p);
    let value: ByteString;
    if (enc >> 6 !== 3) {
      let len: number;
      if (enc >> 6 === 0) {
        len = enc & 0x3f;
        p += 1;
      } else if (enc >> 6 === 1) {
        if (p + 2 > end) fail("string length past the end", p);
        len = ((enc & 0x3f) << 8) | blob.charCodeAt(p + 1);
        p += 2;
      } else {
        if (p + 5 > end) fail("string length past the end", p);
        len =
          blob.charCodeAt(p + 1) * 0x1000000 +
          ((blob.charCodeAt(p + 2) << 16) | (blob.charCodeAt(p + 3) << 8) | blob.charCodeAt(p + 4));
        p += 5;
      }
      if (p + len > end) fail("string past the end", p);
      value = blob.slice(p, p + len);
      p += len;
    } else {
      p += 1;
      let width: number;
      if (enc === 0xc0) width = 2;
      else if (enc === 0xd0) width = 4;
      else if (enc === 0xe0) width = 8;
      else if (enc === 0xf0) width = 3;
      else if (enc === 0xfe) width = 1;
      else if (enc >= 0xf1 && enc <= 0xfd) width = 0;
      else return fail(`unknown entry encoding 0x${enc.toString(16)}`, p - 1);
      if (width === 0) {
        value = String((enc & 0x0f) - 1);
      } else {
        if (p + width > end) fail("integer past the end", p);
        let uv = 0n;
        for (let k = width - 1; k >= 0; k--) uv = (uv << 8n) | BigInt(blob.charCodeAt(p + k));
        value = BigInt.asIntN(width * 8, uv).toString();
        p += width;
      }
    }
    prevEntryLen = p - start;
    out.push(value);
  }
  if (p !== end) fail("terminator before the end", p);
  if (declared !== 0xffff && declared !== out.length) {
    fail(`header says ${declared} elements, found ${out.length}`, 8);
  }
  return out;
}

function readUle(s: ByteString, i: number, width: number): number {
  let v = 0;
  for (let k = width - 1; k >= 0; k--) v = v * 256 + s.charCodeAt(i + k);
  return v;
}
