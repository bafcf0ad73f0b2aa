import { describe, expect, it } from "vitest";
import type { RedisValue } from "../keyspace/value";
import { valuePreview } from "./view";

/** The preview as it was made before: the whole value as text, then cut. */
function wholeTextPreview(v: RedisValue): string {
  const json = (x: string) => JSON.stringify(x);
  let text: string;
  if (typeof v === "string") text = json(v);
  else if (v.type === "list") text = `[${v.value.map(json).join(", ")}]`;
  else if (v.type === "set") text = `{${[...v.value].sort().map(json).join(", ")}}`;
  else if (v.type === "hash")
    text = `{${[...v.value].map(([f, x]) => `${json(f)}: ${json(x)}`).join(", ")}}`;
  else text = `{${[...v.value].map(([m, s]) => `${json(m)}: ${s}`).join(", ")}}`;
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function members(n: number, prefix: string): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${(i * 7919) % n}`);
}

describe("a key's preview in the node view", () => {
  const values: [string, RedisValue][] = [
    ["a short string", "hello"],
    ["an empty string", ""],
    ["a string of exactly 80 characters", "x".repeat(80)],
    ["a long string with bytes to escape", `"\\\r\n\u0000\u00ff`.repeat(40)],
    ["a 1 MB string", "v".repeat(1 << 20)],
    ["an empty list", { type: "list", value: [] }],
    ["a list of empty strings", { type: "list", value: Array<string>(100).fill("") }],
    ["a long list", { type: "list", value: members(100_000, "item") }],
    ["a set, sorted", { type: "set", value: new Set(members(5000, "m")) }],
    ["a small set", { type: "set", value: new Set(["b", "a"]) }],
    [
      "a hash",
      { type: "hash", value: new Map(members(1000, "f").map((f) => [f, `v${f}`] as const)) },
    ],
    [
      "a sorted set",
      { type: "zset", value: new Map(members(1000, "z").map((m, i) => [m, i / 3] as const)) },
    ],
  ];

  for (const [name, value] of values) {
    it(`shows ${name} as the cut whole text would`, () => {
      expect(valuePreview(value)).toBe(wholeTextPreview(value));
    });
  }
});
