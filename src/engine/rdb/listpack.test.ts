import { describe, expect, it } from "vitest";
import { intsetDecode, intsetEncode } from "./intset";
import { lpDecode, lpEncode, lpEntrySize } from "./listpack";
import { RdbError } from "./rdbError";

describe("listpack", () => {
  it("encodes a, b, 1, 2 exactly as redis-server 7.0.15 does", () => {
    // The node of `RPUSH l a b 1 2`, taken from a real DUMP.
    const real = "\x11\x00\x00\x00\x04\x00\x81a\x02\x81b\x02\x01\x01\x02\x01\xff";
    expect(lpEncode(["a", "b", "1", "2"])).toBe(real);
    expect(lpDecode(real, 0)).toEqual(["a", "b", "1", "2"]);
  });

  it("uses every integer width and reads each back", () => {
    const cases: [string, number][] = [
      ["0", 1],
      ["127", 1],
      ["128", 2],
      ["-1", 2],
      ["4095", 2],
      ["-4096", 2],
      ["4096", 3],
      ["-4097", 3],
      ["32767", 3],
      ["-32768", 3],
      ["32768", 4],
      ["-8388608", 4],
      ["8388607", 4],
      ["8388608", 5],
      ["2147483647", 5],
      ["-2147483648", 5],
      ["2147483648", 9],
      ["9223372036854775807", 9],
      ["-9223372036854775808", 9],
    ];
    for (const [s, size] of cases) {
      const lp = lpEncode([s]);
      expect(lp.length - 7 - 1, `encoded size of ${s}`).toBe(size); // minus header, terminator, 1-byte backlen
      expect(lpEntrySize(s)).toBe(size + 1);
      expect(lpDecode(lp, 0)).toEqual([s]);
    }
  });

  it("keeps non-canonical numbers as strings", () => {
    for (const s of ["01", "-0", "+1", " 1", "9223372036854775808", "1.5"]) {
      const lp = lpEncode([s]);
      expect(lp.charCodeAt(6) & 0xc0, s).toBe(0x80); // 6-bit string encoding
      expect(lpDecode(lp, 0)).toEqual([s]);
    }
  });

  it("uses 6-, 12- and 32-bit string lengths and 1- to 3-byte backlens", () => {
    for (const n of [0, 63, 64, 126, 127, 4095, 4096, 16377, 16378, 16379, 70000]) {
      const s = "x".repeat(n);
      const lp = lpEncode([s, "tail"]);
      expect(lpDecode(lp, 0)).toEqual([s, "tail"]);
    }
    // encoding+data of 16383 bytes takes a 3-byte backlen (Redis's boundary is `l < 16383`).
    expect(lpEntrySize("x".repeat(16378))).toBe(16383 + 3);
    expect(lpEntrySize("x".repeat(16377))).toBe(16382 + 2);
  });

  it("writes 65535 (unknown) as the count of a huge listpack and still reads it", () => {
    const items = Array.from({ length: 70000 }, (_, i) => String(i % 100));
    const lp = lpEncode(items);
    expect(lp.charCodeAt(4) | (lp.charCodeAt(5) << 8)).toBe(0xffff);
    expect(lpDecode(lp, 0)).toEqual(items);
  });

  it("rejects corrupt listpacks with an RdbError at the right offset", () => {
    const good = lpEncode(["a", "b"]);
    const bad = [
      good.slice(0, -1), // no terminator, header size wrong
      good.slice(0, 8) + "\x03" + good.slice(9), // backlen of "a" altered
      good.slice(0, 4) + "\x03\x00" + good.slice(6), // wrong count
      "\x07\x00\x00\x00\x00\x00\x00", // terminator replaced
      good.slice(0, 6) + "\xf5" + good.slice(7), // unknown encoding
    ];
    for (const blob of bad) {
      expect(() => lpDecode(blob, 100)).toThrow(RdbError);
    }
    try {
      lpDecode(good.slice(0, 6) + "\xf5" + good.slice(7), 100);
    } catch (e) {
      expect((e as RdbError).offset).toBe(106);
    }
  });
});

describe("intset", () => {
  it("picks the narrowest width and sorts", () => {
    expect(intsetEncode([3n, -1n, 2n])).toBe(
      "\x02\x00\x00\x00\x03\x00\x00\x00\xff\xff\x02\x00\x03\x00",
    );
    expect(intsetEncode([70000n]).charCodeAt(0)).toBe(4);
    expect(intsetEncode([1n, -(2n ** 63n)]).charCodeAt(0)).toBe(8);
    expect(intsetDecode(intsetEncode([5n, -(2n ** 63n), 2n ** 63n - 1n]), 0)).toEqual([
      "-9223372036854775808",
      "5",
      "9223372036854775807",
    ]);
  });

  it("rejects a bad width, a bad size and unsorted values", () => {
    expect(() => intsetDecode("\x03\x00\x00\x00\x00\x00\x00\x00", 0)).toThrow(RdbError);
    expect(() => intsetDecode("\x02\x00\x00\x00\x02\x00\x00\x00\x01\x00", 0)).toThrow(RdbError);
    expect(() => intsetDecode("\x02\x00\x00\x00\x02\x00\x00\x00\x02\x00\x01\x00", 0)).toThrow(
      RdbError,
    );
  });
});
