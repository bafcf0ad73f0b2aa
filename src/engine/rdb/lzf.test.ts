import { describe, expect, it } from "vitest";
import type { ByteString } from "../bytes";
import { lzfCompress, lzfDecompress } from "./lzf";

/** Deterministic pseudo-random bytes (an LCG's high byte), `alphabet` distinct values. */
function bytesFrom(seed: number, n: number, alphabet = 256): ByteString {
  let x = seed >>> 0;
  let s = "";
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    s += String.fromCharCode((x >>> 24) % alphabet);
  }
  return s;
}

/** Compresses with room to spare (LZF's worst case is about len * 33/32 + 1) and decompresses. */
function roundTrip(input: ByteString): ByteString {
  const compressed = lzfCompress(input, input.length + (input.length >> 4) + 16);
  if (compressed === null) throw new Error(`no output for ${input.length} bytes`);
  expect(lzfDecompress(compressed, input.length, 0)).toBe(input);
  return compressed;
}

describe("lzfCompress", () => {
  it("reproduces what redis-server 7.0.15 writes", () => {
    // From a real DUMP of "abc" x 42 and a SAVEd 100 x "x" (rdbcompression yes).
    expect(lzfCompress("abc".repeat(42), 126 - 4)).toBe("\x03abca\xe0o\x02\x01bc");
    expect(lzfCompress("x".repeat(100), 100 - 4)).toBe("\x01xx\xe0W\x00\x01xx");
  });

  it("returns null for empty input or no room, like lzf_compress returning 0", () => {
    expect(lzfCompress("", 10)).toBeNull();
    expect(lzfCompress("abc", 0)).toBeNull();
    // Incompressible: a literal run costs one extra byte per 32.
    const random = bytesFrom(1, 1000);
    expect(lzfCompress(random, random.length - 4)).toBeNull();
    expect(roundTrip(random).length).toBe(1000 + Math.ceil(1000 / 32));
  });

  it("never exceeds outMax; like liblzf it wants a few bytes of slack beyond the result", () => {
    for (const input of [
      "x".repeat(100),
      "abc".repeat(42),
      bytesFrom(2, 300, 4),
      "hello world, hello world, hello!",
      JSON.stringify({ id: 7, name: "user-7", tags: ["a", "b"], bio: "lorem ipsum ".repeat(5) }),
    ]) {
      const full = roundTrip(input);
      for (let m = 1; m < full.length + 8; m++) {
        const got = lzfCompress(input, m);
        if (m < full.length) expect(got, `outMax ${m}`).toBeNull();
        // lzf_c.c tests room conservatively (op + 4 before a back reference, op + 3 before
        // the last literals), so it may give up when the result would just fit.
        else if (m >= full.length + 4) expect(got, `outMax ${m}`).toBe(full);
        else if (got !== null) expect(got).toBe(full);
      }
    }
  });

  it("round-trips single-byte runs of every length up to 1000 (match-length edges)", () => {
    for (let n = 1; n <= 1000; n++) roundTrip("a".repeat(n));
  });

  it("round-trips random inputs of many lengths and alphabets", () => {
    for (let seed = 0; seed < 400; seed++) {
      const alphabet = [2, 3, 4, 16, 256][seed % 5] as number;
      roundTrip(bytesFrom(seed, 1 + ((seed * 37) % 3000), alphabet));
    }
  });

  it("round-trips all byte values, repeats beyond the 8 KB window, and large inputs", () => {
    const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join("");
    roundTrip(all.repeat(40));
    const far = bytesFrom(3, 9000);
    expect(roundTrip(far + far).length).toBeGreaterThan(18_000); // too far back to reference
    const near = bytesFrom(4, 8000);
    expect(roundTrip(near + near).length).toBeLessThan(8400);
    // 3 bytes per 264-byte back reference.
    expect(roundTrip("\xab".repeat(2_000_000)).length).toBeLessThan((2_000_000 / 264) * 3 + 10);
    roundTrip(bytesFrom(5, 200_000, 8) + bytesFrom(6, 200_000));
  });
});
