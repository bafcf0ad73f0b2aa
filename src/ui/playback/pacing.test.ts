import { describe, expect, it } from "vitest";
import { FLIGHT_WALL_MS, REAL_TIME_RATE, nextArrival, virtualRate } from "./pacing";

describe("pacing", () => {
  it("runs in real time when nothing is in flight", () => {
    expect(virtualRate(0, [])).toBe(REAL_TIME_RATE);
    expect(virtualRate(5000, [{ t: 0, deliverAt: 1000 }])).toBe(REAL_TIME_RATE);
  });

  it("slows down so the quickest packet in flight takes the flight time on screen", () => {
    expect(virtualRate(0, [{ t: 0, deliverAt: 1000 }])).toBe(1000 / FLIGHT_WALL_MS);
    expect(
      virtualRate(0, [
        { t: 0, deliverAt: 5000 },
        { t: 0, deliverAt: 1000 },
      ]),
    ).toBe(1000 / FLIGHT_WALL_MS);
  });

  it("never runs faster than real time for a long transfer", () => {
    expect(virtualRate(0, [{ t: 0, deliverAt: 10_000_000 }])).toBe(REAL_TIME_RATE);
  });

  it("finds the next arrival", () => {
    expect(nextArrival(0, [])).toBeNull();
    expect(
      nextArrival(500, [
        { t: 0, deliverAt: 400 },
        { t: 0, deliverAt: 2000 },
        { t: 0, deliverAt: 900 },
      ]),
    ).toBe(900);
  });
});

describe("pacing while a link streams", () => {
  it("runs at the chosen speed however quick the packets in flight", () => {
    expect(virtualRate(0, [{ t: 0, deliverAt: 1000 }], true)).toBe(REAL_TIME_RATE);
  });
});
