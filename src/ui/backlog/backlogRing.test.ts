import { describe, expect, it } from "vitest";
import type { NodeView } from "../../engine/server/view";
import { boundaryAngle, resumeVerdict, ringChange, ringGeometry } from "./backlogRing";

const REPLID = "c4b944ca8b815b5c9dfe0f0973ad776fffc40d1c";
const OLD = "0000000000000000000000000000000000000000";

function master(offset: number, first: number, histlen: number, sizeBytes = 16384): NodeView {
  return {
    name: "m",
    runId: "x",
    role: "master",
    masterHost: null,
    replState: "none",
    replId: REPLID,
    replId2: OLD,
    masterReplOffset: offset,
    secondReplOffset: -1,
    slaveReplOffset: null,
    replicas: [],
    backlog: { firstByteOffset: first, histlen, sizeBytes, model: "6.2", blocks: [] },
    stats: { syncFull: 0, syncPartialOk: 0, syncPartialErr: 0 },
    dbsize: 0,
    keys: [],
    infoReplication: "",
  };
}

const replica = (offset: number, over: Partial<Parameters<typeof resumeVerdict>[1]> = {}) => ({
  name: "r1",
  running: true,
  offset,
  replId: REPLID,
  streaming: false,
  linkState: "connect" as const,
  cut: false,
  ...over,
});

describe("boundaryAngle", () => {
  it("wraps offsets around the ring", () => {
    expect(boundaryAngle(0, 100)).toBe(0);
    expect(boundaryAngle(25, 100)).toBeCloseTo(Math.PI / 2);
    expect(boundaryAngle(125, 100)).toBeCloseTo(Math.PI / 2);
  });
});

describe("ringGeometry", () => {
  it("draws the history from the first byte to the head", () => {
    const g = ringGeometry(
      { firstByteOffset: 1, histlen: 4096, sizeBytes: 16384, model: "6.2", blocks: [] },
      4096,
    );
    expect(g.history?.startAngle).toBe(0);
    expect(g.history?.endAngle).toBeCloseTo(Math.PI / 2);
    expect(g.headAngle).toBeCloseTo(Math.PI / 2);
  });

  it("fills the ring once the history is as long as the capacity", () => {
    const g = ringGeometry(
      { firstByteOffset: 8193, histlen: 16384, sizeBytes: 16384, model: "6.2", blocks: [] },
      24576,
    );
    expect(g.history && g.history.endAngle - g.history.startAngle).toBeCloseTo(2 * Math.PI);
    expect(g.headAngle).toBeCloseTo(Math.PI);
  });

  it("has no history before the first write and ticks at 7.0 block starts", () => {
    const g = ringGeometry(
      {
        firstByteOffset: 1,
        histlen: 0,
        sizeBytes: 16384,
        model: "7.0",
        blocks: [{ offset: 4097, size: 20480, used: 10 }],
      },
      0,
    );
    expect(g.history).toBeNull();
    expect(g.blockAngles[0]).toBeCloseTo(Math.PI / 2);
  });
});

describe("resumeVerdict", () => {
  it("says how many more bytes a disconnected replica can resume after", () => {
    const v = resumeVerdict(master(1000, 1, 1000), replica(900));
    expect(v.tone).toBe("wait");
    expect(v.roomBytes).toBe(16384 - 100);
    expect(v.text).toBe(
      "r1 is reconnecting; it can resume with +CONTINUE for 16.3 kB more writes.",
    );
    expect(
      resumeVerdict(master(1000, 1, 1000), replica(900, { cut: true, linkState: "connected" }))
        .text,
    ).toBe("r1's link is cut; it can resume with +CONTINUE for 16.3 kB more writes.");
  });

  it("says a replica behind the oldest byte needs a full resync", () => {
    const v = resumeVerdict(master(40_000, 23_617, 16384), replica(20_000));
    expect(v.tone).toBe("bad");
    expect(v.text).toBe(
      "r1 is reconnecting; it is 3.62 kB behind the oldest byte m still holds: it needs a full resync (+FULLRESYNC).",
    );
  });

  it("accepts the previous replication id up to second_repl_offset", () => {
    const promoted = {
      ...master(500, 1, 500),
      replId: "f".repeat(40),
      replId2: REPLID,
      secondReplOffset: 401,
    };
    expect(resumeVerdict(promoted, replica(400)).tone).toBe("wait");
    expect(resumeVerdict(promoted, replica(450)).tone).toBe("bad");
  });

  it("says a replica is receiving its snapshot during a full sync", () => {
    expect(resumeVerdict(master(100, 1, 100), replica(0, { linkState: "transfer" })).text).toBe(
      "r1 is receiving a full sync (the RDB snapshot).",
    );
  });

  it("reports a streaming replica's lag and a crashed one as down", () => {
    expect(resumeVerdict(master(100, 1, 100), replica(86, { streaming: true })).text).toBe(
      "r1 is streaming; its last ACK was for offset 86 (14 B behind).",
    );
    expect(resumeVerdict(master(100, 1, 100), replica(86, { running: false })).tone).toBe("off");
  });
});

describe("ringChange", () => {
  it("says which bytes entered the backlog since the last look", () => {
    expect(ringChange({ first: 1, head: 100 }, { first: 1, head: 160, size: 1000 }, 160)).toEqual([
      { kind: "written", from: 100, to: 160 },
    ]);
  });

  it("says which bytes fell off when the backlog trimmed its oldest block", () => {
    expect(
      ringChange({ first: 1, head: 30000 }, { first: 20441, head: 30100, size: 16384 }, 9660),
    ).toEqual([
      { kind: "written", from: 30000, to: 30100 },
      { kind: "trimmed", from: 0, to: 16384 },
    ]);
  });

  it("draws at most a ring's worth of new bytes, and nothing for a history that started again", () => {
    expect(ringChange({ first: 1, head: 10 }, { first: 1, head: 5000, size: 1000 }, 1000)).toEqual([
      { kind: "written", from: 4000, to: 5000 },
    ]);
    expect(ringChange({ first: 1, head: 500 }, { first: 1, head: 0, size: 1000 }, 0)).toEqual([]);
  });
});
