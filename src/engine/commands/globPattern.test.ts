import { describe, expect, it } from "vitest";
import { stringMatchLen } from "./globPattern";

// Checked against KEYS on redis-server 7.0.15.

const matches = (pattern: string, keys: string[]): string[] =>
  keys.filter((k) => stringMatchLen(pattern, k));
const KEYS = ["hello", "hallo", "hxllo", "hllo", "heeello", "a*b", "h"];

describe("stringMatchLen", () => {
  it("matches ?, * and classes as KEYS does", () => {
    expect(matches("h?llo", KEYS)).toEqual(["hello", "hallo", "hxllo"]);
    expect(matches("h*llo", KEYS)).toEqual(["hello", "hallo", "hxllo", "hllo", "heeello"]);
    expect(matches("h[ae]llo", KEYS)).toEqual(["hello", "hallo"]);
    expect(matches("h[^e]llo", KEYS)).toEqual(["hallo", "hxllo"]);
    expect(matches("h[a-b]llo", KEYS)).toEqual(["hallo"]);
    expect(matches("h[b-a]llo", KEYS)).toEqual(["hallo"]);
    expect(matches("a\\*b", KEYS)).toEqual(["a*b"]);
    expect(matches("*o", KEYS)).toEqual(["hello", "hallo", "hxllo", "hllo", "heeello"]);
  });

  it("closes an unterminated class at the end of the pattern", () => {
    expect(stringMatchLen("h[", "h")).toBe(false);
    expect(stringMatchLen("h[a", "ha")).toBe(true);
    expect(stringMatchLen("[", "x")).toBe(false);
  });

  it("escapes inside a class with one more byte", () => {
    expect(stringMatchLen("[\\]]", "]")).toBe(true);
    expect(stringMatchLen("[\\]", "]")).toBe(true);
  });

  it("never matches the empty string with a non-empty pattern, not even *", () => {
    expect(stringMatchLen("*", "")).toBe(false);
    expect(stringMatchLen("**", "")).toBe(false);
    expect(stringMatchLen("", "")).toBe(true);
  });

  it("compares class ranges as C's signed char", () => {
    // 'a'-0xff is the range -1..97 in signed chars: 'A' is in, 'b' and 0x80 are not.
    expect(stringMatchLen("[a-\xff]", "A")).toBe(true);
    expect(stringMatchLen("[a-\xff]", "b")).toBe(false);
    expect(stringMatchLen("[a-\xff]", "\x80")).toBe(false);
    expect(stringMatchLen("[a-\xff]", "\xff")).toBe(true);
  });

  it("folds only ASCII case when asked to (CONFIG GET)", () => {
    expect(stringMatchLen("MAX*", "maxmemory", true)).toBe(true);
    expect(stringMatchLen("[A-Z]", "q", true)).toBe(true);
    expect(stringMatchLen("\xc9", "\xe9", true)).toBe(false);
  });

  it("stays fast on patterns with many stars", () => {
    const text = "a".repeat(60);
    expect(stringMatchLen("a*a*a*a*a*a*a*a*a*a*a*b", text)).toBe(false);
  });
});
