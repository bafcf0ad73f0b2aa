import type { ByteString } from "../bytes";
import { Crc64Kernel } from "./crc64Kernel";

/**
 * Redis's CRC-64 (`crc64.c`): the Jones polynomial 0xad93d23594c935a9,
 * reflected, initial value 0, no final xor. It checksums RDB files and DUMP
 * payloads. crc64("123456789") = 0xe9c6d914c4b8d9ca.
 *
 * The 64-bit register is kept as two unsigned 32-bit halves so the inner loop
 * runs on plain numbers (no BigInt), eight bytes at a time (slice-by-8).
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

// Slice-by-8: table k gives the effect of a byte followed by k zero bytes, so
// eight bytes are folded in with eight lookups and no per-byte shifting.
const SLICE_HI = Array.from({ length: 8 }, () => new Uint32Array(256));
const SLICE_LO = Array.from({ length: 8 }, () => new Uint32Array(256));
const TABLE_HI = SLICE_HI[0] as Uint32Array;
const TABLE_LO = SLICE_LO[0] as Uint32Array;
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
for (let k = 1; k < 8; k++) {
  const prevHi = SLICE_HI[k - 1] as Uint32Array;
  const prevLo = SLICE_LO[k - 1] as Uint32Array;
  const hiK = SLICE_HI[k] as Uint32Array;
  const loK = SLICE_LO[k] as Uint32Array;
  for (let n = 0; n < 256; n++) {
    const hi = prevHi[n] as number;
    const lo = prevLo[n] as number;
    const idx = lo & 0xff;
    loK[n] = (((lo >>> 8) | (hi << 24)) ^ (TABLE_LO[idx] as number)) >>> 0;
    hiK[n] = ((hi >>> 8) ^ (TABLE_HI[idx] as number)) >>> 0;
  }
}
const [T0H, T1H, T2H, T3H, T4H, T5H, T6H, T7H] = SLICE_HI as [
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
];
const [T0L, T1L, T2L, T3L, T4L, T5L, T6L, T7L] = SLICE_LO as [
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
];

/**
 * Below this many bytes the JavaScript loop is done before a call into the
 * WebAssembly kernel would be; above it the kernel is several times faster.
 */
const KERNEL_MIN_BYTES = 512;

/** The WebAssembly kernel: undefined until first needed, null where it cannot run. */
let kernel: Crc64Kernel | null | undefined;
const KERNEL_REGISTER = new Uint32Array(2);

/** The WebAssembly kernel checksums go through, or null where it cannot run. */
export function crc64Kernel(): Crc64Kernel | null {
  if (kernel === undefined) kernel = Crc64Kernel.create(SLICE_HI, SLICE_LO);
  return kernel;
}

/** Feeds `data[start, end)` (a byte string) into the register and returns the new register. */
export function crc64Update(crc: Crc64, data: ByteString, start = 0, end = data.length): Crc64 {
  const k = end - start >= KERNEL_MIN_BYTES ? crc64Kernel() : null;
  if (k === null) return crc64UpdateJs(crc, data, start, end);
  KERNEL_REGISTER[0] = crc.hi;
  KERNEL_REGISTER[1] = crc.lo;
  k.foldString(KERNEL_REGISTER, data, start, end);
  return { hi: KERNEL_REGISTER[0], lo: KERNEL_REGISTER[1] };
}

/** `crc64Update` in JavaScript alone: the reference the kernel is tested against. */
export function crc64UpdateJs(crc: Crc64, data: ByteString, start = 0, end = data.length): Crc64 {
  let hi = crc.hi;
  let lo = crc.lo;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const xl =
      lo ^
      (data.charCodeAt(i) |
        (data.charCodeAt(i + 1) << 8) |
        (data.charCodeAt(i + 2) << 16) |
        (data.charCodeAt(i + 3) << 24));
    const xh =
      hi ^
      (data.charCodeAt(i + 4) |
        (data.charCodeAt(i + 5) << 8) |
        (data.charCodeAt(i + 6) << 16) |
        (data.charCodeAt(i + 7) << 24));
    lo =
      (T7L[xl & 0xff] as number) ^
      (T6L[(xl >>> 8) & 0xff] as number) ^
      (T5L[(xl >>> 16) & 0xff] as number) ^
      (T4L[xl >>> 24] as number) ^
      (T3L[xh & 0xff] as number) ^
      (T2L[(xh >>> 8) & 0xff] as number) ^
      (T1L[(xh >>> 16) & 0xff] as number) ^
      (T0L[xh >>> 24] as number);
    hi =
      (T7H[xl & 0xff] as number) ^
      (T6H[(xl >>> 8) & 0xff] as number) ^
      (T5H[(xl >>> 16) & 0xff] as number) ^
      (T4H[xl >>> 24] as number) ^
      (T3H[xh & 0xff] as number) ^
      (T2H[(xh >>> 8) & 0xff] as number) ^
      (T1H[(xh >>> 16) & 0xff] as number) ^
      (T0H[xh >>> 24] as number);
  }
  for (; i < end; i++) {
    const idx = (lo ^ data.charCodeAt(i)) & 0xff;
    lo = ((lo >>> 8) | (hi << 24)) ^ (TABLE_LO[idx] as number);
    hi = (hi >>> 8) ^ (TABLE_HI[idx] as number);
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

/**
 * Feeds `data[start, end)` (raw bytes) into the register held as two 32-bit
 * halves in `crc` ([hi, lo]), in place: the writer's path, which checksums
 * each chunk of the file as it leaves (`rioGenericUpdateChecksum`).
 */
export function crc64UpdateBytes(
  crc: Uint32Array,
  data: Uint8Array,
  start: number,
  end: number,
): void {
  const k = end - start >= KERNEL_MIN_BYTES ? crc64Kernel() : null;
  if (k === null) crc64UpdateBytesJs(crc, data, start, end);
  else k.foldBytes(crc, data, start, end);
}

/** `crc64UpdateBytes` in JavaScript alone: the reference the kernel is tested against. */
export function crc64UpdateBytesJs(
  crc: Uint32Array,
  data: Uint8Array,
  start: number,
  end: number,
): void {
  let hi = crc[0] as number;
  let lo = crc[1] as number;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const xl =
      lo ^
      ((data[i] as number) |
        ((data[i + 1] as number) << 8) |
        ((data[i + 2] as number) << 16) |
        ((data[i + 3] as number) << 24));
    const xh =
      hi ^
      ((data[i + 4] as number) |
        ((data[i + 5] as number) << 8) |
        ((data[i + 6] as number) << 16) |
        ((data[i + 7] as number) << 24));
    lo =
      (T7L[xl & 0xff] as number) ^
      (T6L[(xl >>> 8) & 0xff] as number) ^
      (T5L[(xl >>> 16) & 0xff] as number) ^
      (T4L[xl >>> 24] as number) ^
      (T3L[xh & 0xff] as number) ^
      (T2L[(xh >>> 8) & 0xff] as number) ^
      (T1L[(xh >>> 16) & 0xff] as number) ^
      (T0L[xh >>> 24] as number);
    hi =
      (T7H[xl & 0xff] as number) ^
      (T6H[(xl >>> 8) & 0xff] as number) ^
      (T5H[(xl >>> 16) & 0xff] as number) ^
      (T4H[xl >>> 24] as number) ^
      (T3H[xh & 0xff] as number) ^
      (T2H[(xh >>> 8) & 0xff] as number) ^
      (T1H[(xh >>> 16) & 0xff] as number) ^
      (T0H[xh >>> 24] as number);
  }
  for (; i < end; i++) {
    const idx = (lo ^ (data[i] as number)) & 0xff;
    lo = ((lo >>> 8) | (hi << 24)) ^ (TABLE_LO[idx] as number);
    hi = (hi >>> 8) ^ (TABLE_HI[idx] as number);
  }
  crc[0] = hi;
  crc[1] = lo;
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
