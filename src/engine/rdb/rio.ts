import type { ByteString } from "../bytes";
import { crc64ToLeBytes, crc64Update, crc64UpdateBytes } from "./crc64";

/**
 * Bytes gathered per piece. `String.fromCharCode.apply` turns a chunk into a
 * byte string fastest at a few thousand bytes, well below any engine's
 * argument-count limit.
 */
const CHUNK_BYTES = 8192;

/** Byte strings at least this long are passed through as pieces of their own instead of copied. */
const PASS_THROUGH_BYTES = 1024;

/**
 * The RDB writer's output stream, as `rio.c` is for Redis, with its checksum
 * hook (`rioGenericUpdateChecksum`): bytes go into one fixed chunk, and each
 * full chunk is folded into the CRC-64 and becomes one byte-string piece. So a
 * file of a million keys costs a few thousand string allocations rather than
 * several per key. The file is the concatenation of `finish()`'s pieces.
 */
export class Rio {
  private readonly chunk = new Uint8Array(CHUNK_BYTES);
  /** The chunk as 32-bit words, to test four bytes at a time for ASCII. */
  private readonly words = new Uint32Array(this.chunk.buffer);
  private used = 0;
  private readonly pieces: ByteString[] = [];
  /** The CRC-64 register as [hi, lo], when the stream is checksummed. */
  private readonly crc: Uint32Array | null;

  constructor(checksum: boolean) {
    this.crc = checksum ? new Uint32Array(2) : null;
  }

  /** Writes one byte (0..255). */
  byte(b: number): void {
    if (this.used === CHUNK_BYTES) this.flush();
    this.chunk[this.used++] = b;
  }

  /** Writes a byte string. */
  bytes(s: ByteString): void {
    const n = s.length;
    if (n >= PASS_THROUGH_BYTES) {
      this.flush();
      if (this.crc !== null) {
        const next = crc64Update({ hi: this.crc[0] ?? 0, lo: this.crc[1] ?? 0 }, s);
        this.crc[0] = next.hi;
        this.crc[1] = next.lo;
      }
      this.pieces.push(s);
      return;
    }
    if (this.used + n > CHUNK_BYTES) this.flush();
    const chunk = this.chunk;
    let at = this.used;
    for (let i = 0; i < n; i++) chunk[at++] = s.charCodeAt(i);
    this.used = at;
  }

  /** Writes the 8 bytes of a float64, little-endian (`memrev64ifbe` of the C double). */
  float64Le(d: number): void {
    SCRATCH_VIEW.setFloat64(0, d, true);
    for (let k = 0; k < 8; k++) this.byte(SCRATCH[k] as number);
  }

  /**
   * Ends the stream: with a checksum, its 8 little-endian bytes come last
   * (`rdbSaveRio`'s trailer). Returns the pieces in order.
   */
  finish(): ByteString[] {
    this.flush();
    if (this.crc !== null) {
      this.pieces.push(crc64ToLeBytes({ hi: this.crc[0] ?? 0, lo: this.crc[1] ?? 0 }));
    }
    return this.pieces;
  }

  private flush(): void {
    if (this.used === 0) return;
    if (this.crc !== null) crc64UpdateBytes(this.crc, this.chunk, 0, this.used);
    const bytes = this.chunk.subarray(0, this.used);
    // ASCII decodes as UTF-8 to the same code units, and engines decode UTF-8
    // several times faster than fromCharCode builds a string; other bytes need
    // fromCharCode (a typed array is a valid argument list for apply).
    this.pieces.push(
      this.isAscii()
        ? ASCII.decode(bytes)
        : String.fromCharCode.apply(null, bytes as unknown as number[]),
    );
    this.used = 0;
  }

  private isAscii(): boolean {
    const used = this.used;
    const words = this.words;
    let high = 0;
    const whole = used >>> 2;
    for (let i = 0; i < whole; i++) high |= words[i] as number;
    for (let i = whole << 2; i < used; i++) high |= this.chunk[i] as number;
    return (high & 0x80808080) === 0;
  }
}

/** For ASCII chunks only, where UTF-8 decoding is the identity on bytes. */
const ASCII = new TextDecoder("utf-8");

const SCRATCH = new Uint8Array(8);
const SCRATCH_VIEW = new DataView(SCRATCH.buffer);
