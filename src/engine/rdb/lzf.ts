import type { ByteString } from "../bytes";
import { uint8ToBytes } from "../bytes";
import { RdbError } from "./rdbError";

/**
 * LZF decompression (`lzf_d.c`), for RDB strings saved with
 * `rdbcompression yes`. Returns exactly `outLen` bytes or throws an RdbError
 * at `offset` (the position of the compressed string in the file).
 */
export function lzfDecompress(input: ByteString, outLen: number, offset: number): ByteString {
  // A back reference of 3 input bytes expands to at most 264 bytes, so a
  // declared length beyond that ratio is corrupt: refuse it before allocating.
  if (outLen > input.length * 88 + 32) {
    throw new RdbError(
      `LZF length ${outLen} impossible for ${input.length} compressed bytes`,
      offset,
    );
  }
  const out = new Uint8Array(outLen);
  let ip = 0;
  let op = 0;
  const inEnd = input.length;
  while (ip < inEnd) {
    let ctrl = input.charCodeAt(ip++);
    if (ctrl < 32) {
      // Literal run of ctrl + 1 bytes.
      ctrl++;
      if (op + ctrl > outLen) throw new RdbError("invalid LZF data (output overrun)", offset);
      if (ip + ctrl > inEnd) throw new RdbError("invalid LZF data (input overrun)", offset);
      for (let k = 0; k < ctrl; k++) out[op++] = input.charCodeAt(ip++);
    } else {
      // Back reference: length (ctrl >> 5) + 2, distance from the low 5 bits and the next byte.
      let len = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= inEnd) throw new RdbError("invalid LZF data (input overrun)", offset);
      if (len === 7) {
        len += input.charCodeAt(ip++);
        if (ip >= inEnd) throw new RdbError("invalid LZF data (input overrun)", offset);
      }
      ref -= input.charCodeAt(ip++);
      if (op + len + 2 > outLen) throw new RdbError("invalid LZF data (output overrun)", offset);
      if (ref < 0) throw new RdbError("invalid LZF data (back reference before start)", offset);
      // Byte by byte: source and destination may overlap.
      for (let k = 0; k < len + 2; k++) out[op++] = out[ref++] as number;
    }
  }
  if (op !== outLen) {
    throw new RdbError(`invalid LZF data (${op} bytes decompressed, ${outLen} expected)`, offset);
  }
  return uint8ToBytes(out);
}

/** `HLOG` of Redis's `deps/lzf/lzfP.h`: a 64K-slot hash table. */
const HLOG = 16;
const HSIZE = 1 << HLOG;
/** Longest literal run (`MAX_LIT`), farthest back reference (`MAX_OFF`), longest match (`MAX_REF`). */
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/**
 * LZF compression, an exact port of liblzf 3.6 `lzf_c.c` as Redis builds it
 * (`deps/lzf/lzfP.h`: HLOG 16, VERY_FAST 1, ULTRA_FAST 0, STRICT_ALIGN,
 * CHECK_INPUT, LZF_USE_OFFSETS on 64-bit Linux, so table slots hold offsets
 * into the input). Returns the compressed bytes when they fit in `outMax`
 * bytes, or null where `lzf_compress` returns 0 (empty input, no room, or
 * the output would not fit).
 *
 * Redis builds with INIT_HTAB 0: the C hash table is an uninitialised stack
 * array, in practice the table the previous `lzf_compress` call left behind.
 * Here it starts zeroed. That still gives Redis's output because every slot is
 * only a hint that the candidate is then validated against the input: the
 * reference must lie before `ip`, within MAX_OFF, strictly after the first
 * byte, and its 3 bytes must equal the 3 at `ip`. A zero slot fails the
 * "after the first byte" test just as an empty slot would, and a stale slot
 * survives only while no position of this input hashed to it. For it to
 * change the output, it must point at an earlier position of this input that
 * holds the very 3 bytes at `ip` yet was never hashed itself (it lay inside a
 * match, where VERY_FAST hashes only the last two positions); a match found
 * that way is valid, just one a fresh table would not find.
 */
export function lzfCompress(input: ByteString, outMax: number): ByteString | null {
  const inLen = input.length;
  if (inLen === 0 || outMax <= 0) return null;
  const inp = new Uint8Array(inLen);
  for (let i = 0; i < inLen; i++) inp[i] = input.charCodeAt(i) & 0xff;
  const out = new Uint8Array(outMax);
  const htab = new Int32Array(HSIZE);
  const outEnd = outMax;
  const inEnd = inLen;
  // FRST / NEXT / IDX of lzf_c.c, VERY_FAST variant, in 32-bit unsigned arithmetic.
  const frst = (p: number): number => (((inp[p] as number) << 8) | (inp[p + 1] as number)) >>> 0;
  const next = (v: number, p: number): number => ((v << 8) | (inp[p + 2] as number)) >>> 0;
  const idx = (h: number): number => ((h >>> (3 * 8 - HLOG)) - Math.imul(h, 5)) & (HSIZE - 1);

  let ip = 0;
  let op = 0;
  let lit = 0;
  op++; // start run

  let hval = frst(ip);
  while (ip < inEnd - 2) {
    hval = next(hval, ip);
    const slot = idx(hval);
    const ref = htab[slot] as number;
    htab[slot] = ip;
    const off = ip - ref - 1;
    if (
      off >= 0 &&
      off < MAX_OFF &&
      ref > 0 &&
      inp[ref + 2] === inp[ip + 2] &&
      inp[ref] === inp[ip] &&
      inp[ref + 1] === inp[ip + 1]
    ) {
      // Match found at ref.
      let len = 2;
      let maxlen = inEnd - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;

      if (op + 3 + 1 >= outEnd) {
        // The exact test: a zero-length literal run is undone below.
        if (op - (lit === 0 ? 1 : 0) + 3 + 1 >= outEnd) return null;
      }

      out[op - lit - 1] = (lit - 1) & 0xff; // stop run
      if (lit === 0) op--; // undo run if length is zero

      // lzf_c.c first compares 16 bytes unrolled, without the maxlen bound,
      // when maxlen > 16 (so a match may run up to 2 bytes past maxlen); then
      // bounded byte by byte.
      let done = false;
      if (maxlen > 16) {
        for (let k = 0; k < 16; k++) {
          len++;
          if (inp[ref + len] !== inp[ip + len]) {
            done = true;
            break;
          }
        }
      }
      if (!done) {
        do len++;
        while (len < maxlen && inp[ref + len] === inp[ip + len]);
      }

      len -= 2; // len is now #octets - 1
      ip++;

      if (len < 7) {
        out[op++] = ((off >> 8) + (len << 5)) & 0xff;
      } else {
        out[op++] = ((off >> 8) + (7 << 5)) & 0xff;
        out[op++] = (len - 7) & 0xff;
      }
      out[op++] = off & 0xff;

      lit = 0;
      op++; // start run

      ip += len + 1;
      if (ip >= inEnd - 2) break;

      // VERY_FAST: hash the last two positions of the match.
      ip -= 2;
      hval = frst(ip);
      hval = next(hval, ip);
      htab[idx(hval)] = ip;
      ip++;
      hval = next(hval, ip);
      htab[idx(hval)] = ip;
      ip++;
    } else {
      // One more literal byte we must copy.
      if (op >= outEnd) return null;
      lit++;
      out[op++] = inp[ip++] as number;
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1; // stop run
        lit = 0;
        op++; // start run
      }
    }
  }

  if (op + 3 > outEnd) return null; // at most 3 bytes can be missing here

  while (ip < inEnd) {
    lit++;
    out[op++] = inp[ip++] as number;
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1; // stop run
      lit = 0;
      op++; // start run
    }
  }

  out[op - lit - 1] = (lit - 1) & 0xff; // end run
  if (lit === 0) op--; // undo run if length is zero

  return uint8ToBytes(out.subarray(0, op));
}
