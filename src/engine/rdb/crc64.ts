import type { ByteString } from "../bytes";

/**
 * Redis's CRC-64 (`crc64.c`): the Jones polynomial 0xad93d23594c935a9,
 * reflected, initial value 0, no final xor. It checksums RDB files and DUMP
 * payloads. crc64("123456789") = 0xe9c6d914c4b8d9ca.
 *
 * The 64-bit register is kept as two unsigned 32-bit halves so the inner loop
 * runs on plain numbers (no BigInt), one table lookup per byte.
 */
export interface Crc64 {
  readonly hi: number;
  readonly lo: number;
}

/** The register before any byte is fed. */
export const CRC64_INIT: Crc64 = { hi: 0, lo: 0 };

// The polynomial reflected bit for bit: 0x95ac9329ac4bc9b5.
const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

const TABLE_HI = new Uint32Array(256);
const TABLE_LO = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let hi = 0;
  let lo = n;
  for (let bit = 0; bit < 8; bit++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (carry) {
      hi = (hi ^ POLY_HI) >>> 0;
      lo = (lo ^ POLY_LO) >>> 0;
    }
  }
  TABLE_HI[n] = hi;
  TABLE_LO[n] = lo;
}

/** Feeds `data[start, end)` (a byte string) into the register and returns the new register. */
export function crc64Update(crc: Crc64, data: ByteString, start = 0, end = data.length): Crc64 {
  let hi = crc.hi;
  let lo = crc.lo;
  for (let i = start; i < end; i++) {
    const idx = (lo ^ data.charCodeAt(i)) & 0xff;
    lo = ((lo >>> 8) | (hi << 24)) ^ (TABLE_LO[idx] as number);
    hi = (hi >>> 8) ^ (TABLE_HI[idx] as number);
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

/** The CRC-64 of a whole byte string, as an unsigned bigint. */
export function crc64(data: ByteString): bigint {
  return crc64ToBigInt(crc64Update(CRC64_INIT, data));
}

export function crc64ToBigInt(crc: Crc64): bigint {
  return (BigInt(crc.hi) << 32n) | BigInt(crc.lo);
}

/** The register as the 8 little-endian bytes Redis appends (`memrev64ifbe`). */
export function crc64ToLeBytes(crc: Crc64): ByteString {
  const { hi, lo } = crc;
  return String.fromCharCode(
    lo & 0xff,
    (lo >>> 8) & 0xff,
    (lo >>> 16) & 0xff,
    lo >>> 24,
    hi & 0xff,
    (hi >>> 8) & 0xff,
    (hi >>> 16) & 0xff,
    hi >>> 24,
  );
}
