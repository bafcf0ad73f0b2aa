import { describe, expect, it } from "vitest";
import { commentStart, tokenize } from "./tokenize";

/** The arguments, or "INVALID" where redis-cli prints "Invalid argument(s)". */
function split(line: string): readonly string[] | "INVALID" {
  const r = tokenize(line);
  return r.ok ? r.tokens.map((t) => t.bytes) : "INVALID";
}

describe("tokenize", () => {
  // Each row was checked against redis-cli 7.0.15 (`RPUSH k LINE` then `LRANGE k 0 -1`);
  // a differential run of 12,000 random lines of quotes, escapes and blanks agreed too.
  const redisCli: readonly [string, readonly string[] | "INVALID"][] = [
    ["a b c", ["a", "b", "c"]],
    ["  a\t\tb  ", ["a", "b"]],
    ['"a b" c', ["a b", "c"]],
    ["'a b' c", ["a b", "c"]],
    ['key"with space"', ["keywith space"]],
    [`"" ''`, ["", ""]],
    ['"\\"quoted\\""', ['"quoted"']],
    ['"back\\\\slash"', ["back\\slash"]],
    ['"\\n\\r\\t\\b\\a"', ["\n\r\t\b\x07"]],
    ['"\\x41\\x42\\x00\\xff"', ["AB\x00\xff"]],
    ['"\\x4"', ["x4"]],
    ['"\\xZZ"', ["xZZ"]],
    ['"\\q"', ["q"]],
    ["'it\\'s'", ["it's"]],
    ["'a\\nb'", ["a\\nb"]],
    ["'a\\\\b'", ["a\\\\b"]],
    ["a\\nb", ["a\\nb"]],
    ["a'b c'", ["ab c"]],
    ['café "naïve"', ["caf\xc3\xa9", "na\xc3\xafve"]],
    ['"\\xc3\\xa9"', ["\xc3\xa9"]],
    ['"a"b', "INVALID"],
    ["'a'b", "INVALID"],
    ['"abc', "INVALID"],
    ["'abc", "INVALID"],
    ['"a\\"', "INVALID"],
    ["a\vb", ["a\x0bb"]],
    ['"a"\vb', ["a", "b"]],
    ["a\fb", ["a\x0cb"]],
    ["#x", ["#x"]],
    ['"x"  ', ["x"]],
    ["'x'\t'y'", ["x", "y"]],
    ["\\x41", ["\\x41"]],
  ];
  it.each(redisCli)("splits %j as redis-cli does", (line, expected) => {
    expect(split(line)).toEqual(expected);
  });

  it("returns no words for an empty or blank line", () => {
    expect(split("")).toEqual([]);
    expect(split(" \t\v\f\r\n")).toEqual([]);
  });

  it("encodes text as UTF-8 and keeps \\xHH as one raw byte", () => {
    expect(split('"😀" "\\xf0\\x9f\\x98\\x80" "\\x80"')).toEqual([
      "\xf0\x9f\x98\x80",
      "\xf0\x9f\x98\x80",
      "\x80",
    ]);
  });

  it("gives each word's start column, end index and whether it was quoted", () => {
    const r = tokenize(`SET  "a b"  c'd'`);
    expect(r).toEqual({
      ok: true,
      tokens: [
        { bytes: "SET", start: 0, end: 3, column: 1, quoted: false },
        { bytes: "a b", start: 5, end: 10, column: 6, quoted: true },
        { bytes: "cd", start: 12, end: 16, column: 13, quoted: true },
      ],
    });
  });

  it("points an unclosed quote's error at the opening quote", () => {
    expect(tokenize(`SET k "abc`)).toEqual({
      ok: false,
      column: 7,
      message: 'unbalanced quotes: this " is never closed',
    });
    expect(tokenize(`SET k 'abc`)).toMatchObject({ ok: false, column: 7 });
  });

  it("points a quote followed by a letter at that letter", () => {
    expect(tokenize(`SET "k"v x`)).toEqual({
      ok: false,
      column: 8,
      message: "a closing quote must be followed by a space or the end of the line",
    });
  });

  it("starts at `from` and still counts columns from the line's start", () => {
    const r = tokenize(`m> GET k`, { from: 2 });
    expect(r.ok && r.tokens.map((t) => [t.bytes, t.column])).toEqual([
      ["GET", 4],
      ["k", 8],
    ]);
  });

  it("stops before an unquoted stop word but not a quoted one", () => {
    const r = tokenize(`SET "=>" x => OK`, { stopAt: "=>" });
    expect(r.ok && r.tokens.map((t) => t.bytes)).toEqual(["SET", "=>", "x"]);
    expect(r.ok && r.stoppedAt).toBe(11);
    const glued = tokenize(`GET =>x`, { stopAt: "=>" });
    expect(glued.ok && glued.stoppedAt).toBeUndefined();
  });

  it("counts columns in UTF-16 code units", () => {
    const r = tokenize(`😀 x`);
    expect(r.ok && r.tokens[1]?.column).toBe(4);
  });
});

describe("commentStart", () => {
  it("finds a # at the start of a line or after white space", () => {
    expect(commentStart("# all")).toBe(0);
    expect(commentStart("   # all")).toBe(3);
    expect(commentStart("m> SET k v # note")).toBe(11);
    expect(commentStart("m> SET k v\t#note")).toBe(11);
  });

  it("ignores a # inside a word or inside quotes", () => {
    expect(commentStart("m> SET k a#b")).toBe(12);
    expect(commentStart(`m> SET k "a #b" 'c #d'`)).toBe(22);
    expect(commentStart(`m> SET k "a \\" #b"`)).toBe(18);
  });

  it("treats an unclosed quote as running to the end of the line", () => {
    const line = "say the replica's offset # still text";
    expect(commentStart(line)).toBe(line.length);
  });

  it("finds a comment after a balanced pair of quotes", () => {
    expect(commentStart(`say "it's" fine # note`)).toBe(16);
    expect(commentStart(`say "quoted" # note`)).toBe(13);
  });
});
