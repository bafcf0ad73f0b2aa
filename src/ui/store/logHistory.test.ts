import { describe, expect, it } from "vitest";
import { emptySummary, summarise } from "../../host/traceSummary";
import type { TraceEvent } from "../../sim/trace";
import { describeEarlier } from "./logHistory";
import { reduceTrace } from "./reduceTrace";
import { MAX_LOG_ENTRIES, initialState } from "./state";

const logLine = (t: number, node: string, text: string): TraceEvent => ({
  t,
  type: "process",
  node,
  event: { type: "log", level: "notice", text },
});

const write = (t: number, i: number): TraceEvent[] => [
  { t, type: "command", node: "m", client: "load", argv: ["SET", `k${i}`, "v"] },
  {
    t,
    type: "send",
    conn: "m.r1",
    from: "m",
    to: "r1",
    bytes: `*3\r\n$3\r\nSET\r\n$${String(i).length + 1}\r\nk${i}\r\n$1\r\nv\r\n`,
    label: "stream",
    deliverAt: t + 500,
  },
  { t: t + 500, type: "deliver", conn: "m.r1", from: "m", to: "r1", size: 10 },
];

/** `lines` log lines, each after `perLine` writes; returned in batches as the page would fold them. */
function longRun(lines: number, perLine: number): TraceEvent[][] {
  const batches: TraceEvent[][] = [];
  let t = 0;
  let i = 0;
  for (let n = 0; n < lines; n++) {
    const batch: TraceEvent[] = [];
    for (let w = 0; w < perLine; w++) batch.push(...write((t += 1000), i++));
    batch.push(logLine((t += 1000), n % 2 === 0 ? "m" : "r1", `line ${n}`));
    batches.push(batch);
  }
  return batches;
}

describe("the log's history", () => {
  it("is empty while the log keeps every entry", () => {
    let s = initialState();
    for (const b of longRun(100, 3)) s = reduceTrace(s, b);
    expect(s.log).toHaveLength(100);
    expect(s.logHistory.earlier).toBeNull();
    expect(describeEarlier(s.logHistory.earlier, s.logHistory.droppedEntries)).toBeNull();
  });

  it("summarises exactly the events up to the newest entry let go", () => {
    const batches = longRun(MAX_LOG_ENTRIES + 230, 4);
    let s = initialState();
    // Several batches at a time, as a flush folds them.
    for (let i = 0; i < batches.length; i += 7) s = reduceTrace(s, batches.slice(i, i + 7).flat());
    expect(s.log).toHaveLength(MAX_LOG_ENTRIES);
    expect(s.log[0]?.text).toBe("line 230");
    const expected = emptySummary();
    summarise(expected, batches.slice(0, 230).flat());
    expect(s.logHistory.earlier).toEqual(expected);
    expect(s.logHistory.droppedEntries).toEqual({ log: 230, fault: 0, process: 0, sync: 0 });
    expect(s.logHistory.earlier?.byNode["m"]?.commands).toBe(230 * 4);
    expect(describeEarlier(s.logHistory.earlier, s.logHistory.droppedEntries)).toBe(
      "Earlier: 2,990 events from 0.001 s to 1.150 s summarised (920 commands, 27.5 kB sent, " +
        "0 full syncs, 0 partial syncs, 0 faults, 0 crashes, 0 starts, 230 log entries)",
    );
  });

  it("stays bounded however long the run: one segment per kept entry at most", () => {
    let s = initialState();
    let events = 0;
    for (const b of longRun(5 * MAX_LOG_ENTRIES, 2)) {
      s = reduceTrace(s, b);
      events += b.length;
    }
    expect(s.log).toHaveLength(MAX_LOG_ENTRIES);
    expect(s.logHistory.segments.length).toBeLessThanOrEqual(MAX_LOG_ENTRIES);
    const kept = s.logHistory.segments.reduce((n, g) => n + g.summary.events, 0);
    expect((s.logHistory.earlier?.events ?? 0) + kept + s.logHistory.open.events).toBe(events);
    expect(Object.keys(s.logHistory.earlier?.byNode ?? {}).sort()).toEqual(["m", "r1"]);
  });
});
