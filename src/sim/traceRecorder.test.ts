import { describe, expect, it } from "vitest";
import type { TraceEvent } from "./trace";
import { TraceRecorder } from "./traceRecorder";

const ok: TraceEvent = {
  t: 5,
  type: "reply",
  node: "m",
  client: "c",
  reply: { type: "simple", value: "OK" },
};
const stall: TraceEvent = { t: 5, type: "stall", node: "m", until: 9 };

describe("TraceRecorder", () => {
  it("records a pipelined burst's shared reply once per command, each at its own key", () => {
    const recorder = new TraceRecorder();
    recorder.clear();
    for (let seq = 1; seq <= 3; seq++) {
      recorder.beginKeyGroup({ at: 5, source: 0, seq });
      recorder.record(ok);
    }
    const records = recorder.take();
    expect(records.map((r) => r.sort)).toEqual([
      [5, 0, 1],
      [5, 0, 2],
      [5, 0, 3],
    ]);
    for (const r of records) expect(r.events).toEqual([ok]);
  });

  it("gives a group that grows its own events, leaving the groups before it as they were", () => {
    const recorder = new TraceRecorder();
    recorder.clear();
    recorder.beginKeyGroup({ at: 5, source: 0, seq: 1 });
    recorder.record(ok);
    recorder.beginKeyGroup({ at: 5, source: 0, seq: 2 });
    recorder.record(ok);
    recorder.record(stall);
    recorder.beginKeyGroup({ at: 5, source: 0, seq: 3 });
    recorder.record(ok);
    recorder.record(stall);
    recorder.record(stall);
    expect(recorder.take().map((r) => r.events)).toEqual([[ok], [ok, stall], [ok, stall, stall]]);
  });

  it("leaves out groups without events and starts over on clear", () => {
    const recorder = new TraceRecorder();
    recorder.clear();
    recorder.beginKeyGroup({ at: 1, source: 0, seq: 1 });
    recorder.beginGroup([2, 0]);
    recorder.record(stall);
    expect(recorder.take()).toEqual([{ sort: [2, 0], events: [stall] }]);
    recorder.clear();
    expect(recorder.take()).toEqual([]);
  });
});
