import { describe, expect, it } from "vitest";
import { MAX_BYTES_EXPANSION, expand, scanExpansions } from "./expand";

const vars = new Map([
  ["OFF", "1234"],
  ["rid", "8f3a"],
  ["i_2", "two"],
]);

describe("expand", () => {
  it.each([
    ["plain", "plain"],
    ["$OFF", "1234"],
    ["key:$OFF:x", "key:1234:x"],
    ["$rid$OFF", "8f3a1234"],
    ["$$OFF", "$OFF"],
    ["$$", "$"],
    ["$$$OFF", "$1234"],
    ["$5", "$5"],
    ["a$", "a$"],
    ["$-x", "$-x"],
    ["$bytes(3)", "xxx"],
    ["<$bytes(0)>", "<>"],
    ["$i_2", "two"],
  ])("expands %j to %j", (word, expected) => {
    expect(expand(word, vars)).toEqual({ ok: true, value: expected });
  });

  it("replaces $i with the repeat count, greedily by name", () => {
    expect(expand("key:$i", vars, 7)).toEqual({ ok: true, value: "key:7" });
    expect(expand("$i$i", vars, 12)).toEqual({ ok: true, value: "1212" });
    expect(expand("$i_2", vars, 3)).toEqual({ ok: true, value: "two" });
  });

  it("fails on an undefined variable", () => {
    expect(expand("$HOME", vars)).toEqual({ ok: false, message: "undefined variable $HOME" });
  });

  it("fails on $i outside repeat", () => {
    expect(expand("k$i", vars)).toEqual({ ok: false, message: "$i is only defined inside repeat" });
  });

  it("fails on a malformed or oversized $bytes", () => {
    expect(expand("$bytes", vars).ok).toBe(false);
    expect(expand("$bytes(x)", vars).ok).toBe(false);
    expect(expand("$bytes(-1)", vars).ok).toBe(false);
    expect(expand(`$bytes(${MAX_BYTES_EXPANSION + 1})`, vars).ok).toBe(false);
  });

  it("keeps raw bytes around an expansion", () => {
    expect(expand("\xff$OFF\x00", vars)).toEqual({ ok: true, value: "\xff1234\x00" });
  });
});

describe("scanExpansions", () => {
  it("gives each part's index in the word", () => {
    expect(scanExpansions("a$X-$bytes(2)$$")).toEqual([
      { at: 0, kind: "text", text: "a" },
      { at: 1, kind: "variable", name: "X" },
      { at: 3, kind: "text", text: "-" },
      { at: 4, kind: "bytes", length: 2 },
      { at: 13, kind: "text", text: "$" },
    ]);
  });
});
