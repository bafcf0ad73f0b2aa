import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../sim/trace";
import { reduceTrace } from "./store/reduceTrace";
import type { PlaygroundState } from "./store/state";
import { CONSOLE_CLIENT, initialState } from "./store/state";
import { ingestWithinBudget } from "./traceIngest";

const started: TraceEvent = {
  t: 0,
  type: "nodeStarted",
  node: "m",
  ip: "10.0.0.1",
  runId: "m-run-id-0123456789",
  replicaOf: null,
};

/** `n` console replies, one per microsecond from t = 1. */
function replies(n: number): TraceEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    t: i + 1,
    type: "reply" as const,
    node: "m",
    client: CONSOLE_CLIENT,
    reply: { type: "simple" as const, value: `OK ${i}` },
  }));
}

describe("ingestWithinBudget", () => {
  it("takes every event and moves the clock to now when the budget allows", () => {
    const events = [started, ...replies(3)];
    const { state, rest } = ingestWithinBudget(initialState(), events, 5000, 8, () => 0);
    expect(rest).toEqual([]);
    expect(state.now).toBe(5000);
    expect(state.consoles.m?.lines.map((l) => l.text)).toEqual(["OK 0", "OK 1", "OK 2"]);
  });

  it("stops at the first chunk past the budget and leaves the clock at the last event folded", () => {
    let wall = 0;
    const clock = () => (wall += 10);
    const events = [started, ...replies(1200)];
    const first = ingestWithinBudget(initialState(), events, 99_000, 8, clock);
    expect(first.rest).toHaveLength(events.length - 500);
    expect(first.state.now).toBe(499);
    const second = ingestWithinBudget(first.state, first.rest, 99_000, 8, clock);
    expect(second.rest).toHaveLength(events.length - 1000);
    const third = ingestWithinBudget(second.state, second.rest, 99_000, 8, clock);
    expect(third.rest).toEqual([]);
    expect(third.state.now).toBe(99_000);
    // In parts or at once, the same console (ids aside: they only need to be unique).
    const text = (s: PlaygroundState) => s.consoles.m?.lines.map((l) => `${l.kind} ${l.text}`);
    expect(text(third.state)).toEqual(text(reduceTrace(initialState(), events)));
  });
});
