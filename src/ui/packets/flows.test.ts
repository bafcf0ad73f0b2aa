import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../sim/trace";
import {
  NO_FLOWS,
  STREAM_SENDS,
  STREAM_QUIET_US,
  anyStreaming,
  flowRate,
  isStreaming,
  rateText,
  reduceFlows,
  streamingKeys,
} from "./flows";

const SET = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n";
const ACK = "*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$3\r\n100\r\n";

function send(t: number, from = "m", to = "r1", bytes = SET, flightUs = 1000): TraceEvent {
  return { t, type: "send", conn: "c1", from, to, bytes, label: "stream", deliverAt: t + flightUs };
}

/** `n` times, `stepUs` apart from 0. */
function ms(n: number, stepUs = 1000): number[] {
  return Array.from({ length: n }, (_, i) => i * stepUs);
}

describe("flows", () => {
  it("a write now and then is not a stream: slow motion shows each one", () => {
    const flows = reduceFlows(NO_FLOWS, [send(0), send(500_000), send(1_000_000), send(1_500_000)]);
    expect(isStreaming(flows["m>r1"], 1_500_000)).toBe(false);
  });

  it("a burst written in one instant counts once", () => {
    const flows = reduceFlows(NO_FLOWS, [send(0), send(0), send(0), send(0), send(0)]);
    expect(flows["m>r1"]?.run).toBe(1);
    expect(anyStreaming(flows, 0)).toBe(false);
  });

  it("eight sends a millisecond apart make a stream (1,000 writes a second)", () => {
    const last = (STREAM_SENDS - 1) * 1000;
    const flows = reduceFlows(
      NO_FLOWS,
      ms(STREAM_SENDS - 1).map((t) => send(t)),
    );
    expect(anyStreaming(flows, last - 1000)).toBe(false);
    const more = reduceFlows(flows, [send(last)]);
    expect(anyStreaming(more, last)).toBe(true);
    expect(streamingKeys(more, last)).toEqual(["m>r1"]);
  });

  it("a few commands typed in quick succession stay in slow motion", () => {
    const flows = reduceFlows(
      NO_FLOWS,
      ms(4).map((t) => send(t)),
    );
    expect(anyStreaming(flows, 3000)).toBe(false);
  });

  it("a write now and then in frame-sized packets streams when they carry 1,000 writes a second", () => {
    // 17 writes every 17 ms: what slow motion sends when the wires fall quiet between packets.
    const batch = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n".repeat(17);
    const times = ms(STREAM_SENDS, 17_000);
    const flows = reduceFlows(
      NO_FLOWS,
      times.map((t) => send(t, "m", "r1", batch)),
    );
    const end = times[times.length - 1] ?? 0;
    expect(anyStreaming(flows, end)).toBe(true);
    const sparse = reduceFlows(
      NO_FLOWS,
      times.map((t) => send(t, "m", "r1", SET)),
    );
    expect(anyStreaming(sparse, end)).toBe(false);
  });

  it("packets that follow each other on a slow link stream too", () => {
    // 100 writes a second on a 100 ms link: ten packets on the wire at once.
    const times = ms(STREAM_SENDS, 10_000);
    const flows = reduceFlows(
      NO_FLOWS,
      times.map((t) => send(t, "m", "r1", SET, 100_000)),
    );
    expect(anyStreaming(flows, times[times.length - 1] ?? 0)).toBe(true);
  });

  it("a stream ends after a quiet spell, and a once-a-second ACK never streams", () => {
    const events = ms(STREAM_SENDS).map((t) => send(t));
    const end = (STREAM_SENDS - 1) * 1000;
    const flows = reduceFlows(NO_FLOWS, [
      ...events,
      send(0, "r1", "m", ACK),
      send(1_000_000, "r1", "m", ACK),
    ]);
    expect(isStreaming(flows["m>r1"], end + STREAM_QUIET_US)).toBe(true);
    expect(isStreaming(flows["m>r1"], end + 1 + STREAM_QUIET_US)).toBe(false);
    expect(isStreaming(flows["r1>m"], 1_000_000)).toBe(false);
  });

  it("while a link streams, frame-sized packets keep it streaming and others join it", () => {
    let flows = reduceFlows(
      NO_FLOWS,
      ms(STREAM_SENDS).map((t) => send(t)),
    );
    // At 1× the page moves a frame at a time: the writes of a frame leave together.
    const frames = ms(STREAM_SENDS, 17_000).map((t) => t + 20_000);
    flows = reduceFlows(
      flows,
      frames.flatMap((t) => [send(t), send(t, "m", "r2")]),
    );
    expect(streamingKeys(flows, frames[frames.length - 1] ?? 0)).toEqual(["m>r1", "m>r2"]);
  });

  it("counts commands and bytes per second over the last second", () => {
    const events = Array.from({ length: 1000 }, (_, i) => send(i * 1000));
    const flows = reduceFlows(NO_FLOWS, events);
    const flow = flows["m>r1"];
    if (!flow) throw new Error("no flow");
    const rate = flowRate(flow, 999_000);
    expect(rate.commands).toBeCloseTo(1000, -1);
    expect(rate.bytes).toBeCloseTo(1000 * SET.length, -2);
    expect(rateText(rate)).toMatch(/^1,0\d\d cmd\/s · 2\d(\.\d)? kB\/s$/);
  });

  it("counts bursts with quiet spells between them at their average rate", () => {
    // 1,000 writes a second handed over 400 at a time every 400 ms (a load
    // generator at the fastest speed): each burst is one send of 400 commands.
    const events = Array.from({ length: 10 }, (_, i) =>
      send(i * 400_000, "m", "r1", SET.repeat(400)),
    );
    const flows = reduceFlows(NO_FLOWS, events);
    const flow = flows["m>r1"];
    if (!flow) throw new Error("no flow");
    const rate = flowRate(flow, 3_600_000);
    expect(rate.commands).toBeGreaterThan(700);
    expect(rate.commands).toBeLessThan(1300);
  });

  it("leaves the flows alone when no bytes were sent", () => {
    const flows = reduceFlows(NO_FLOWS, [send(0)]);
    expect(reduceFlows(flows, [{ t: 5, type: "connOpen", conn: "c2", from: "a", to: "b" }])).toBe(
      flows,
    );
  });
});
