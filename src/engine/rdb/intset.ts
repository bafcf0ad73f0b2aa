import type { ByteString } from "../bytes";
import { RdbError } from "./rdbError";

/**
 * Intsets (`intset.c`), the encoding of small all-integer sets: element width
 * in bytes (u32 LE: 2, 4 or 8), count (u32 LE), then the values sorted
 * ascending, little-endian, all of the smallest width that holds every value.
 */

/** Encodes distinct integers as an intset blob. */
export function intsetEncode(values: readonly bigint[]): ByteString {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let width = 2;
  for (const v of sorted) {
    if (v < -2147483648n || v > 2147483647n) width = 8;
    else if ((v < -32768n || v > 32767n) && width < 4) width = 4;
  }
  const parts: string[] = [u32le(width), u32le(sorted.length)];
  for (const v of sorted) {
    let uv = BigInt.asUintN(width * 8, v);
    let bytes = "";
    for (let k = 0; k < width; k++) {
      bytes += String.fromCharCode(Number(uv & 0xffn));
      uv >>= 8n;
    }
    parts.push(bytes);
  }
  return parts.join("");
}

/** Decodes an intset blob into decimal strings; `offset` locates the blob for errors. */
export function intsetDecode(blob: ByteString, offset: number): ByteString[] {
  if (blob.length < 8) throw new RdbError("corrupt intset: shorter than its header", offset);
  const width = readU32le(blob, 0);
  const count = readU32le(blob, 4);
  if (width !== 2 && width !== 4 && width !== 8) {
    throw new RdbError(`corrupt intset: element width ${width}`, offset);
  }
  if (8 + width * count !== blob.length) {
    throw new RdbError(
      `corrupt intset: ${count} elements of ${width} bytes in a ${blob.length}-byte blob`,
      offset,
    );
  }
  const out: ByteString[] = [];
  let prev: bigint | null = null;
  for (let i = 0; i < count; i++) {
    const at = 8 + i * width;
    let uv = 0n;
    for (let k = width - 1; k >= 0; k--) uv = (uv << 8n) | BigInt(blob.charCodeAt(at + k));
    const v = BigInt.asIntN(width * 8, uv);
    if (prev !== null && v <= prev)
      throw new RdbError("corrupt intset: values not strictly ascending", offset + at);
    prev = v;
    out.push(v.toString());
  }
  return out;
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
