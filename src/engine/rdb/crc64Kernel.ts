import type { ByteString } from "../bytes";
import { CRC64_WASM_BASE64 } from "./crc64WasmBytes";

/** Where crc64.wat keeps its register and reads its input (see the .wat). */
const REGISTER_AT = 16384;
const INPUT_AT = 65536;
/** The input window: the module's second page. */
const INPUT_BYTES = 65536;
/**
 * A byte string goes in in blocks this long: a block of ASCII is copied by
 * the engine's UTF-8 encoder at memory speed (ASCII is its own UTF-8), any
 * other block one code unit at a time, which is ten times slower. Most of an
 * RDB file's blocks are ASCII when its keys and values are text.
 */
const STRING_BLOCK_BYTES = 16384;
const ENCODER = new TextEncoder();

/**
 * CRC-64 in WebAssembly, on native 64-bit integers: a full sync checksums the
 * whole RDB file twice (the master's writer and the replica's loader), and in
 * JavaScript the two 32-bit halves of the register cost several times more.
 * Same function as crc64.ts, which holds the tables and is the reference.
 */
export class Crc64Kernel {
  private readonly memory: Uint8Array;
  private readonly words: Uint32Array;
  private readonly stringBlock: Uint8Array;

  private constructor(
    buffer: ArrayBuffer,
    private readonly update: (ptr: number, len: number) => void,
    tablesHi: readonly Uint32Array[],
    tablesLo: readonly Uint32Array[],
  ) {
    this.memory = new Uint8Array(buffer);
    this.words = new Uint32Array(buffer);
    this.stringBlock = this.memory.subarray(INPUT_AT, INPUT_AT + STRING_BLOCK_BYTES);
    for (let k = 0; k < 8; k++) {
      const hi = tablesHi[k] as Uint32Array;
      const lo = tablesLo[k] as Uint32Array;
      for (let n = 0; n < 256; n++) {
        const at = (k * 2048 + n * 8) >>> 2;
        this.words[at] = lo[n] as number;
        this.words[at + 1] = hi[n] as number;
      }
    }
  }

  /**
   * The kernel, or null where WebAssembly cannot run (an embedding page's
   * Content-Security-Policy may forbid compiling it): crc64.ts then stays in
   * JavaScript.
   */
  static create(
    tablesHi: readonly Uint32Array[],
    tablesLo: readonly Uint32Array[],
  ): Crc64Kernel | null {
    if (typeof WebAssembly === "undefined") return null;
    const binary = atob(CRC64_WASM_BASE64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    let instance: WebAssembly.Instance;
    try {
      instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    } catch {
      return null;
    }
    const { memory, update } = instance.exports as {
      memory: WebAssembly.Memory;
      update: (ptr: number, len: number) => void;
    };
    return new Crc64Kernel(memory.buffer, update, tablesHi, tablesLo);
  }

  /** Folds `data[start, end)` into the register `crc` ([hi, lo]), in place. */
  foldBytes(crc: Uint32Array, data: Uint8Array, start: number, end: number): void {
    this.setRegister(crc[0] as number, crc[1] as number);
    for (let p = start; p < end; p += INPUT_BYTES) {
      const n = Math.min(INPUT_BYTES, end - p);
      this.memory.set(data.subarray(p, p + n), INPUT_AT);
      this.update(INPUT_AT, n);
    }
    crc[0] = this.words[(REGISTER_AT >>> 2) + 1] as number;
    crc[1] = this.words[REGISTER_AT >>> 2] as number;
  }

  /** Folds the byte string `data[start, end)` into the register `crc` ([hi, lo]), in place. */
  foldString(crc: Uint32Array, data: ByteString, start: number, end: number): void {
    this.setRegister(crc[0] as number, crc[1] as number);
    const memory = this.memory;
    for (let p = start; p < end; p += STRING_BLOCK_BYTES) {
      const n = Math.min(STRING_BLOCK_BYTES, end - p);
      const block = n === data.length ? data : data.slice(p, p + n);
      const { read, written } = ENCODER.encodeInto(block, this.stringBlock);
      if (read !== n || written !== n)
        for (let i = 0; i < n; i++) memory[INPUT_AT + i] = data.charCodeAt(p + i);
      this.update(INPUT_AT, n);
    }
    crc[0] = this.words[(REGISTER_AT >>> 2) + 1] as number;
    crc[1] = this.words[REGISTER_AT >>> 2] as number;
  }

  private setRegister(hi: number, lo: number): void {
    this.words[REGISTER_AT >>> 2] = lo;
    this.words[(REGISTER_AT >>> 2) + 1] = hi;
  }
}
