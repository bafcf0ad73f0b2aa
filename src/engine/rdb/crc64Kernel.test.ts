import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { crc64WasmModuleText } from "../../../scripts/build-crc64-wasm.mjs";
import {
  CRC64_INIT,
  crc64Update,
  crc64UpdateBytes,
  crc64UpdateBytesJs,
  crc64UpdateJs,
  crc64Kernel,
} from "./crc64";
import { Crc64Kernel } from "./crc64Kernel";

/** A deterministic byte string of every byte value. */
function bytes(length: number, seed: number): string {
  let x = seed;
  let s = "";
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    s += String.fromCharCode(x >>> 24);
  }
  return s;
}

describe("the CRC-64 WebAssembly kernel", () => {
  it("compiles and runs here, so the checksums below go through it", () => {
    expect(crc64Kernel()).toBeInstanceOf(Crc64Kernel);
  });

  it("is the compiled crc64.wat", async () => {
    const committed = readFileSync(new URL("./crc64WasmBytes.ts", import.meta.url), "utf8");
    expect(committed).toBe(await crc64WasmModuleText());
  });

  it("folds byte strings as the JavaScript reference does, from any offset, over its input window", () => {
    const data = bytes(200_003, 7);
    for (const [start, end] of [
      [0, data.length],
      [1, 512],
      [3, 65_536 + 9],
      [65_535, 131_077],
      [100, 100 + 1021],
    ] as const) {
      expect(crc64Update(CRC64_INIT, data, start, end)).toEqual(
        crc64UpdateJs(CRC64_INIT, data, start, end),
      );
    }
  });

  it("folds ASCII blocks, blocks with one byte above 0x7f and NUL bytes alike", () => {
    const text = "key:000000012345\x00value:xyz\r\n".repeat(3_000);
    const data = text + "\x80" + text.slice(0, 16_383) + "\xff" + text + bytes(999, 5) + text;
    for (const [start, end] of [
      [0, data.length],
      [17, data.length - 3],
      [text.length - 5, text.length + 40_000],
    ] as const) {
      expect(crc64Update(CRC64_INIT, data, start, end)).toEqual(
        crc64UpdateJs(CRC64_INIT, data, start, end),
      );
    }
  });

  it("continues a register already holding a checksum", () => {
    const data = bytes(5_000, 11);
    const head = crc64UpdateJs(CRC64_INIT, data, 0, 1_234);
    expect(crc64Update(head, data, 1_234, data.length)).toEqual(crc64UpdateJs(CRC64_INIT, data));
  });

  it("folds byte arrays as the JavaScript reference does", () => {
    const data = Uint8Array.from(bytes(150_001, 3), (c) => c.charCodeAt(0));
    for (const [start, end] of [
      [0, data.length],
      [5, 517],
      [8_192, 8_192 * 9 + 3],
    ] as const) {
      const kernel = new Uint32Array([0x01234567, 0x89abcdef]);
      const reference = new Uint32Array(kernel);
      crc64UpdateBytes(kernel, data, start, end);
      crc64UpdateBytesJs(reference, data, start, end);
      expect([...kernel]).toEqual([...reference]);
    }
  });
});
