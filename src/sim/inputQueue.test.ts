import { describe, expect, it } from "vitest";
import type { HarnessInput } from "./hostStep";
import { InputQueue } from "./inputQueue";

const input = (seq: number): HarnessInput =>
  ({
    at: seq,
    source: -1,
    seq,
    kind: "input",
    incarnation: 1,
    input: {},
  }) as unknown as HarnessInput;

describe("InputQueue", () => {
  it("hands inputs over oldest first, at most the number asked for", () => {
    const q = new InputQueue();
    for (let i = 0; i < 10_000; i++) q.push(input(i));
    const seen: number[] = [];
    while (q.size > 0) {
      const part = q.take(2048);
      expect(part.length).toBeLessThanOrEqual(2048);
      seen.push(...part.map((p) => p.seq));
      expect(q.first()?.seq ?? 10_000).toBe(seen.length);
    }
    expect(seen).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
  });

  it("takes inputs pushed between takes in order", () => {
    const q = new InputQueue();
    q.push(input(0));
    q.push(input(1));
    expect(q.take(1).map((p) => p.seq)).toEqual([0]);
    q.push(input(2));
    expect(q.take(5).map((p) => p.seq)).toEqual([1, 2]);
    expect(q.size).toBe(0);
    expect(q.first()).toBeUndefined();
  });
});
