import { describe, expect, it } from "vitest";
import type { ByteString } from "../bytes";
import { crc64 } from "./crc64";
import { Rio } from "./rio";

/** The 8 little-endian checksum bytes as an unsigned bigint. */
function trailer(bytes: ByteString): bigint {
  let v = 0n;
  for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(bytes.charCodeAt(k));
  return v;
}

describe("Rio", () => {
  it("hands back exactly the bytes written, ASCII and binary, small and passed through, across chunks", () => {
    const rio = new Rio(false);
    let expected = "";
    for (let i = 0; i < 30_000; i++) {
      const b = (i * 131) & 0xff;
      const text = `key:${i}`;
      // Mostly ASCII, with a binary byte now and then and an occasional long string.
      if (i % 997 === 0) {
        rio.byte(b | 0x80);
        expected += String.fromCharCode(b | 0x80);
      }
      rio.bytes(text);
      expected += text;
      if (i % 5_000 === 0) {
        const long = "\xfe".repeat(3_000);
        rio.bytes(long);
        expected += long;
      }
    }
    rio.float64Le(-1.5);
    expected += "\x00\x00\x00\x00\x00\x00\xf8\xbf";
    expect(rio.finish().join("")).toBe(expected);
  });

  it("ends a checksummed stream with the CRC-64 of everything before it, little-endian", () => {
    const rio = new Rio(true);
    let written = "";
    for (let i = 0; i < 20_000; i++) {
      const s = i % 3 === 0 ? String.fromCharCode(i & 0xff, 0x80 | (i & 0x7f)) : `value:${i}`;
      rio.bytes(s);
      written += s;
    }
    rio.bytes("x".repeat(5_000));
    written += "x".repeat(5_000);
    const file = rio.finish().join("");
    expect(file.slice(0, -8)).toBe(written);
    expect(trailer(file.slice(-8))).toBe(crc64(written));
  });
});
