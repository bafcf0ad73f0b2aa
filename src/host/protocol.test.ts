import { describe, expect, it } from "vitest";
import type { HarnessInput, HostReport, HostStep, TraceRecord } from "../sim/hostStep";
import {
  PACK_BYTES_LIMIT,
  jsonExact,
  packReport,
  packStep,
  unpackReport,
  unpackStep,
} from "./protocol";

function command(seq: number, argv: string[]): HarnessInput {
  return {
    at: 5_000,
    source: -1,
    seq,
    kind: "input",
    incarnation: 0,
    input: { kind: "clientCommand", client: "c", argv },
  };
}

function step(inputs: HarnessInput[]): HostStep {
  return { round: 3, now: 5_000, expect: { r1: 2 }, inputs, action: { kind: "idle" } };
}

function report(records: TraceRecord[]): HostReport {
  return {
    name: "m",
    now: 5_000,
    running: true,
    sent: { r1: 4 },
    nextAt: null,
    minSentAt: 6_000,
    quiet: { stalledUntil: 0, queuedFrom: {}, sentTo: { r1: 1 }, server: null },
    records,
  };
}

function reply(seq: number, value: string): TraceRecord {
  return {
    sort: [5_000, -1, seq],
    events: [{ t: 5_000, type: "reply", node: "m", client: "c", reply: { type: "bulk", value } }],
  };
}

/** Through the worker boundary as the runtime sends it: packed, cloned, unpacked. */
function viaWorker<T>(value: T): T {
  return structuredClone(value);
}

describe("the worker protocol's packing", () => {
  it("carries a burst of client commands as text and gives them back exactly", () => {
    const inputs = Array.from({ length: 100 }, (_, i) =>
      command(i, ["SET", `k${i}`, `\r\n\u0000\u00ff${i}`]),
    );
    const packed = packStep(step(inputs));
    expect(typeof packed.inputs).toBe("string");
    expect(unpackStep(viaWorker(packed))).toEqual(step(inputs));
  });

  it("packs a client's run of commands once and gives back every command's own fields", () => {
    const inputs: HarnessInput[] = [];
    for (let i = 0; i < 30; i++) inputs.push(command(i, ["SET", `k${i}`, "v"]));
    // A gap in the numbering, another client, another instant, another incarnation.
    inputs.push(command(40, ["GET", "k1"]));
    inputs.push({
      ...command(41, ["PING"]),
      input: { kind: "clientCommand", client: "d", argv: ["PING"] },
    });
    inputs.push({ ...command(42, ["PING"]), at: 6_000 });
    inputs.push({ ...command(43, ["PING"]), incarnation: 1 });
    for (let i = 44; i < 60; i++) inputs.push(command(i, ["INCR", "n"]));
    const packed = packStep(step(inputs));
    expect(typeof packed.inputs).toBe("string");
    expect((packed.inputs as string).split('"c"').length - 1).toBe(5);
    const back = unpackStep(viaWorker(packed));
    expect(back).toEqual(step(inputs));
    expect(JSON.stringify(back)).toBe(JSON.stringify(step(inputs)));
  });

  it("clones a few inputs, or any that is not a client command, as they are", () => {
    const few = step([command(0, ["GET", "k"])]);
    expect(packStep(few).inputs).toBe(few.inputs);
    const rdb: HarnessInput = {
      ...command(99, []),
      input: { kind: "loadRdb", bytes: "REDIS\u0000" },
    };
    const mixed = step([...Array.from({ length: 40 }, (_, i) => command(i, ["PING"])), rdb]);
    expect(Array.isArray(packStep(mixed).inputs)).toBe(true);
    expect(unpackStep(viaWorker(packStep(mixed)))).toEqual(mixed);
  });

  it("carries many small trace records as text and gives them back exactly", () => {
    const records = Array.from({ length: 100 }, (_, i) => reply(i, `v\r\n${i}`));
    const packed = packReport(report(records));
    expect(typeof packed.records).toBe("string");
    expect(unpackReport(viaWorker(packed))).toEqual(report(records));
  });

  it("gives back a mix of reply records and other records exactly, in their order", () => {
    const records: TraceRecord[] = Array.from({ length: 60 }, (_, i) => reply(i, `v${i}`));
    records.splice(10, 0, {
      sort: [5_000, 2, 7],
      events: [
        { t: 5_000, type: "reply", node: "m", client: "c", reply: { type: "simple", value: "OK" } },
        { t: 5_000, type: "reply", node: "m", client: "d", reply: { type: "integer", value: 3 } },
      ],
    });
    records.splice(30, 0, {
      sort: [5_000, 2, 8],
      events: [{ t: 5_000, type: "command", node: "m", client: "c", argv: ["SET", "k", "v"] }],
    });
    const packed = packReport(report(records));
    expect(typeof packed.records).toBe("string");
    const back = unpackReport(viaWorker(packed));
    expect(back).toEqual(report(records));
    // Key order too: the trace is hashed and exported as JSON.
    expect(JSON.stringify(back)).toBe(JSON.stringify(report(records)));
  });

  it("gives back packed client commands with their fields in the order the coordinator made them", () => {
    const inputs = Array.from({ length: 40 }, (_, i) => command(i, ["SET", `k${i}`, "v"]));
    expect(JSON.stringify(unpackStep(viaWorker(packStep(step(inputs)))))).toBe(
      JSON.stringify(step(inputs)),
    );
  });

  it("sends a burst's shared reply event once and gives it back shared, each record with its own sort key", () => {
    const ok: TraceRecord["events"][number] = {
      t: 5_000,
      type: "reply",
      node: "m",
      client: "c",
      reply: { type: "simple", value: "OK" },
    };
    const records: TraceRecord[] = Array.from({ length: 100 }, (_, i) => ({
      sort: [5_000, -1, i],
      events: [ok],
    }));
    // Another record breaks the run; the replies after it start a new one.
    records.splice(50, 0, reply(1_000, "other"));
    const packed = packReport(report(records));
    expect(typeof packed.records).toBe("string");
    expect((packed.records as string).split('"OK"').length - 1).toBe(2);
    const back = unpackReport(viaWorker(packed));
    expect(back).toEqual(report(records));
    expect(back.records[0]?.events[0]).toBe(back.records[49]?.events[0]);
    expect(back.records[51]?.events[0]).toBe(back.records[100]?.events[0]);
    expect(back.records[0]?.events[0]).not.toBe(back.records[51]?.events[0]);
  });

  it("clones records that carry big payloads (a snapshot's bytes) as they are", () => {
    const records = Array.from({ length: 100 }, (_, i) => reply(i, "v"));
    records.push(reply(100, "\u0000".repeat(PACK_BYTES_LIMIT)));
    const packed = packReport(report(records));
    expect(Array.isArray(packed.records)).toBe(true);
    expect(unpackReport(viaWorker(packed))).toEqual(report(records));
  });

  it("clones records whose sort keys hold what JSON cannot carry (a boundary's -Infinity)", () => {
    const records = Array.from({ length: 100 }, (_, i) => reply(i, "v"));
    records.push({ ...reply(100, "v"), sort: [4, 5_000, -Infinity, -Infinity, 0, 1] });
    const packed = packReport(report(records));
    expect(Array.isArray(packed.records)).toBe(true);
    expect(unpackReport(viaWorker(packed))).toEqual(report(records));
  });

  it("packs only what JSON gives back exactly", () => {
    expect(jsonExact({ a: [1, "x", null, true, { b: -5.5 }] })).toBe(true);
    for (const bad of [
      { a: undefined },
      [1, -0],
      [Number.NaN],
      [Infinity],
      [new Map()],
      // eslint-disable-next-line no-sparse-arrays
      [1, , 2],
      [BigInt(1)],
    ])
      expect(jsonExact(bad)).toBe(false);
  });
});
