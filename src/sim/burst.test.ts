import { describe, expect, it } from "vitest";
import { LegacyInProcessCluster } from "./__reference__/legacyInProcessCluster";
import { coalesceWrites, firstDifference } from "./__scenarios__/runScript";
import type { Cluster } from "./cluster";
import { InProcessCluster } from "./inProcessCluster";
import { EVENTS_PER_STEP, INPUTS_PER_STEP } from "./hostStep";

const WRITES = 3 * EVENTS_PER_STEP + 17;

async function burst(cluster: Cluster): Promise<string[]> {
  const config = new Map<string, string>();
  await cluster.startNode({ name: "m", config });
  await cluster.startNode({ name: "r1", replicaOf: "m", config });
  await cluster.startNode({ name: "r2", replicaOf: "m", config });
  await cluster.settle(10_000_000);
  for (let i = 0; i < WRITES; i++) await cluster.submit("m", "burst", ["SET", `k${i}`, `v${i}`]);
  await cluster.advance(0);
  await cluster.settle(10_000_000);
  return cluster.trace().map((e) => JSON.stringify(e));
}

describe("a burst of writes", () => {
  it("is fired over several steps of one window and gives the run of the single global queue", async () => {
    const split = new InProcessCluster({ seed: 3 });
    const lines = await burst(split);
    const legacy = await burst(new LegacyInProcessCluster({ seed: 3 }));
    expect(firstDifference(coalesceWrites(legacy), coalesceWrites(lines))).toBeNull();
    const { steps, windows } = split.stats();
    expect(steps - windows).toBeGreaterThanOrEqual(3);
  });

  it("leaves the master as one segment per replica and step", async () => {
    const cluster = new InProcessCluster({ seed: 3 });
    const lines = await burst(cluster);
    const sends = lines.filter((l) => l.includes('"type":"send"') && l.includes('"from":"m"'));
    const writes = sends.filter((l) => l.includes('"label":"stream"') && l.includes("SET"));
    expect(writes).toHaveLength(2 * Math.ceil(WRITES / Math.min(EVENTS_PER_STEP, INPUTS_PER_STEP)));
    expect(await cluster.keyspaceDigest("r2")).toBe(await cluster.keyspaceDigest("m"));
  });
});

describe("a trace limit", () => {
  it("keeps the newest events of a long run and counts the ones it let go", async () => {
    const full = new InProcessCluster({ seed: 3 });
    const all = await burst(full);
    const bounded = new InProcessCluster({ seed: 3, traceLimit: 500 });
    await burst(bounded);
    const kept = bounded.trace().map((e) => JSON.stringify(e));
    expect(kept.length).toBeGreaterThanOrEqual(500);
    expect(kept.length).toBeLessThan(1000);
    expect(bounded.traceDropped() + kept.length).toBe(all.length);
    expect(kept).toEqual(all.slice(all.length - kept.length));
  });
});
