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
