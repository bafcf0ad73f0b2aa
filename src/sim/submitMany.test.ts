import { describe, expect, it } from "vitest";
import { InProcessCluster } from "./inProcessCluster";

async function run(many: boolean): Promise<string[]> {
  const cluster = new InProcessCluster({ seed: 7 });
  const config = new Map<string, string>();
  await cluster.startNode({ name: "m", config });
  await cluster.startNode({ name: "r1", replicaOf: "m", config });
  await cluster.settle(10_000_000);
  const writes = Array.from({ length: 600 }, (_, i) => ["SET", `k${i}`, `v${i}`]);
  if (many) {
    await cluster.submitMany("m", "burst", writes.slice(0, 250));
    await cluster.submitMany("m", "burst", writes.slice(250));
  } else {
    for (const argv of writes) await cluster.submit("m", "burst", argv);
  }
  await cluster.advance(0);
  await cluster.settle(10_000_000);
  return cluster.trace().map((e) => JSON.stringify(e));
}

describe("submitMany", () => {
  it("gives the run of one submit per command", async () => {
    const one = await run(false);
    expect(one.filter((l) => l.includes('"type":"reply"'))).toHaveLength(600);
    expect(await run(true)).toEqual(one);
  });
});

describe("settle", () => {
  it("runs the commands handed over and not yet run before it calls the cluster quiet", async () => {
    const cluster = new InProcessCluster({ seed: 7 });
    const config = new Map<string, string>();
    await cluster.startNode({ name: "m", config });
    await cluster.startNode({ name: "r1", replicaOf: "m", config });
    await cluster.settle(10_000_000);
    await cluster.submitMany("m", "burst", [
      ["SET", "a", "1"],
      ["SET", "b", "2"],
    ]);
    expect(await cluster.settle(10_000_000)).toBe(true);
    expect((await cluster.snapshot("r1")).info.get("db0")).toMatch(/^keys=2,/);
  });
});
