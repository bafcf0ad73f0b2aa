import { describe, expect, it } from "vitest";
import { byCodeUnits, smallest } from "./smallest";

function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

function keys(n: number, seed: number): string[] {
  const random = lcg(seed);
  const out = new Set<string>();
  while (out.size < n) out.add(`k:${Math.floor(random() * n * 10)}`);
  return [...out];
}

describe("smallest", () => {
  it("gives what sorting everything and taking the first k gives", () => {
    for (const [n, k] of [
      [0, 5],
      [3, 5],
      [200, 200],
      [1000, 1],
      [5000, 200],
    ] as const) {
      const items = keys(n, n + k);
      expect(smallest(items, k, byCodeUnits)).toEqual([...items].sort().slice(0, k));
    }
  });

  it("gives the same for items that arrive in ascending or descending order", () => {
    const items = keys(3000, 9).sort();
    const expected = items.slice(0, 50);
    expect(smallest(items, 50, byCodeUnits)).toEqual(expected);
    expect(smallest([...items].reverse(), 50, byCodeUnits)).toEqual(expected);
  });

  it("orders strings by code units, as the default sort does", () => {
    const items = ["b", "B", "é", "a", "aa", "", "\u00ff", "Z"];
    expect(smallest(items, 8, byCodeUnits)).toEqual([...items].sort());
  });

  it("gives nothing when asked for no item", () => {
    expect(smallest(["a", "b"], 0, byCodeUnits)).toEqual([]);
  });
});
