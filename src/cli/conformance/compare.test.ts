import { describe, expect, it } from "vitest";
import { parseScenario } from "../../scenario/parse";
import { compareRuns, stableValue } from "./compare";
import { compareDigests, parseDigest } from "./digest";
import type { RunRecord, Sample } from "./observedRun";
import { lineEffect } from "./observedRun";
import type { NodeSample } from "./sample";

const NODE: NodeSample = {
  role: "master",
  master_repl_offset: "52",
  second_repl_offset: "-1",
  repl_backlog_first_byte_offset: "1",
  repl_backlog_histlen: "52",
  master_link_status: "(absent)",
  connected_slaves: "1",
  sync_full: "1",
  sync_partial_ok: "0",
  sync_partial_err: "0",
  "db0.keys": "1",
  master_replid: "m.master_replid@9",
  master_replid2: "(none)",
};

function sample(line: number, node: Partial<NodeSample> = {}): Sample {
  return {
    line,
    label: `after line ${line} (settle)`,
    nodes: new Map([["m", { ...NODE, ...node }]]),
    datasets: new Map(),
  };
}

function record(over: Partial<RunRecord> = {}): RunRecord {
  return {
    result: { ok: true },
    transcript: [],
    replies: [{ line: 10, node: "m", command: "SET k1 v1", reply: "OK" }],
    infos: [],
    samples: [sample(9), sample(0)],
    linesRun: 12,
    expectsPassed: 3,
    endSettled: true,
    unsettled: [],
    ...over,
  };
}

describe("compareRuns", () => {
  it("finds nothing when both runs agree, and counts what it compared", () => {
    const c = compareRuns(record(), record());
    expect(c.differences).toEqual([]);
    expect(c).toMatchObject({ lines: 12, replies: 1, expects: 3, fields: 26 });
  });

  it("reports a reply that differs, with its line and command", () => {
    const redis = record({
      replies: [{ line: 10, node: "m", command: "SET k1 v1", reply: "(nil)" }],
    });
    expect(compareRuns(record(), redis).differences).toEqual([
      { line: 10, where: "reply", field: "m> SET k1 v1", sim: "OK", redis: "(nil)" },
    ]);
  });

  it("reports a sampled field that differs", () => {
    const redis = record({ samples: [sample(9, { sync_partial_err: "1" }), sample(0)] });
    const [d] = compareRuns(record(), redis).differences;
    expect(d).toMatchObject({ line: 9, field: "m sync_partial_err", sim: "0", redis: "1" });
  });

  it("reports an expect that failed on one side, and why a settle gave up", () => {
    const redis = record({
      result: { ok: false, line: 11, message: "line 11: the cluster did not settle within 60s" },
      unsettled: [{ line: 11, reason: "r1 is at offset 40, m at 52" }],
      samples: [sample(9), sample(0, { connected_slaves: "0" })],
    });
    const differences = compareRuns(record(), redis).differences;
    expect(differences).toHaveLength(1); // the end is not compared when the runs stopped apart
    expect(differences[0]?.redis).toBe(
      "line 11: the cluster did not settle within 60s (still waiting: r1 is at offset 40, m at 52)",
    );
  });

  it("skips a node that is asleep on either side", () => {
    const redis = record({
      samples: [{ ...sample(9), nodes: new Map([["m", "asleep" as const]]) }, sample(0)],
    });
    expect(compareRuns(record(), redis).differences).toEqual([]);
  });
});

describe("stableValue", () => {
  it("drops the timing parts of composite fields", () => {
    expect(stableValue("slave0", "ip=10.0.0.2,port=6379,state=online,offset=52,lag=1")).toBe(
      "ip=10.0.0.2,port=6379,state=online,offset=52",
    );
    expect(stableValue("db0", "keys=1,expires=1,avg_ttl=9123")).toBe("keys=1,expires=1");
  });

  it("compares only the replication fields that do not depend on timing", () => {
    expect(stableValue("master_repl_offset", "52")).toBe("52");
    expect(stableValue("master_last_io_seconds_ago", "1")).toBeNull();
    expect(stableValue("run_id", "abc")).toBeNull();
  });
});

describe("datasets across the simulator and Redis", () => {
  const sim = parseDigest('0 "k" string "v" px 1767225700000\n0 "n" string "3"', 1767225600000);
  it("turns absolute expiry times into the time left", () => {
    expect(sim.get('0 "k"')).toEqual({ key: '0 "k"', value: 'string "v"', ttlMs: 100000 });
    expect(sim.get('0 "n"')?.ttlMs).toBeNull();
  });

  it("accepts a time left within the tolerance and reports values, keys and expiries", () => {
    const now = 1_800_000_000_000;
    const redis = parseDigest(
      `0 "k" string "v" px ${now + 99_500}\n0 "n" string "4"\n0 "x" list ["a"]`,
      now,
    );
    const r = compareDigests(sim, redis, 1000);
    expect(r.compared).toBe(3);
    expect(r.differences).toEqual([
      { key: '0 "n"', what: "value", sim: 'string "3"', redis: 'string "4"' },
      { key: '0 "x"', what: "key", sim: "absent", redis: "present" },
    ]);
    const late = parseDigest(`0 "k" string "v" px ${now + 50_000}\n0 "n" string "3"`, now);
    expect(compareDigests(sim, late, 1000).differences).toEqual([
      { key: '0 "k"', what: "expiry", sim: "expires in 100000 ms", redis: "expires in 50000 ms" },
    ]);
  });
});

describe("lineEffect: which lines leave the cluster at rest", () => {
  const script = parseScenario(
    "node m\nsettle\nexpect m role = master\nm> SET a 1\nrepeat 2 m> INCR n\nsay hi\nadvance 1s\nlet X = m role\n",
    "t.scenario",
  );
  if (!script.ok) throw new Error("does not parse");
  it("classifies each kind of line", () => {
    expect(script.script.lines.map(lineEffect)).toEqual([
      "disturbs",
      "settles",
      "observes",
      "disturbs",
      "disturbs",
      "neutral",
      "disturbs",
      "observes",
    ]);
  });
});
