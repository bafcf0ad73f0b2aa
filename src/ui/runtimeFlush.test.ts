import { describe, expect, it } from "vitest";
import { MAX_SPEED_FLUSH_EVERY_MS, flushDelayMs } from "./runtimeFlush";

describe("when the store takes in a slice of time", () => {
  it("takes it in at once at any reader's pace", () => {
    for (const speed of [0.1, 1, 100]) expect(flushDelayMs(speed, 0)).toBe(0);
  });

  it("as fast as possible, waits until the last take-in is a tenth of a second old", () => {
    expect(flushDelayMs("max", 0)).toBe(MAX_SPEED_FLUSH_EVERY_MS);
    expect(flushDelayMs("max", 30)).toBe(MAX_SPEED_FLUSH_EVERY_MS - 30);
    expect(flushDelayMs("max", MAX_SPEED_FLUSH_EVERY_MS)).toBe(0);
    expect(flushDelayMs("max", Infinity)).toBe(0);
  });
});
