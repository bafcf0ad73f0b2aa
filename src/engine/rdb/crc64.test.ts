import { describe, expect, it } from "vitest";
import {
  CRC64_INIT,
  crc64,
  crc64ToBigInt,
  crc64ToLeBytes,
  crc64Update,
  crc64UpdateBytes,
} from "./crc64";

describe("crc64", () => {
  it("gives Redis's check value for 123456789", () => {
    expect(crc64("123456789")).toBe(0xe9c6d914c4b8d9can);
  });

  it("is 0 for no bytes", () => {
    expect(crc64("")).toBe(0n);
  });

  it("can be fed in pieces", () => {
    const data = "The quick brown fox\x00\xff jumps over the lazy dog".repeat(10);
    let crc = CRC64_INIT;
    for (let i = 0; i < data.length; i += 7)
      crc = crc64Update(crc, data, i, Math.min(i + 7, data.length));
    expect(crc64ToBigInt(crc)).toBe(crc64(data));
  });

  it("matches the checksum redis-server 7.0.15 put on a DUMP payload", () => {
    // DUMP of RPUSH l a b 1 2: type, quicklist, version 10, then the CRC-64 little-endian.
    const dump =
      "\x12\x01\x02\x11\x11\x00\x00\x00\x04\x00\x81a\x02\x81b\x02\x01\x01\x02\x01\xff\n\x00mrq>\x9bCH+";
    const body = dump.slice(0, -8);
    expect(crc64ToLeBytes(crc64Update(CRC64_INIT, body))).toBe(dump.slice(-8));
  });

  it("gives the same register over raw bytes as over the byte string, in any pieces", () => {
    const data = "\x00\x01\x7f\x80\xfe\xff Redis CRC-64 ".repeat(37);
    const bytes = Uint8Array.from(data, (c) => c.charCodeAt(0));
    const crc = new Uint32Array(2);
    for (let i = 0; i < bytes.length; i += 13)
      crc64UpdateBytes(crc, bytes, i, Math.min(i + 13, bytes.length));
    const expected = crc64Update(CRC64_INIT, data);
    expect([crc[0], crc[1]]).toEqual([expected.hi, expected.lo]);
  });
});
