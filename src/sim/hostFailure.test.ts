import { describe, expect, it } from "vitest";
import { Coordinator } from "./coordinator";
import type { HostStep, HostReport } from "./hostStep";
import { LocalHostSet } from "./localHosts";

/** In-thread hosts where one host's worker "dies" (as a worker that throws would) at a chosen step. */
class FailingHosts extends LocalHostSet {
  failAt: { name: string; step: number } | null = null;
  private steps = 0;

  override async step(
    steps: ReadonlyMap<string, HostStep>,
  ): Promise<ReadonlyMap<string, HostReport>> {
    const reports = new Map(await super.step(steps));
    this.steps++;
    const fail = this.failAt;
    if (fail && this.steps === fail.step) {
      reports.set(fail.name, {
        name: fail.name,
        now: 0,
        running: false,
        sent: {},
        nextAt: null,
        minSentAt: null,
        quiet: { stalledUntil: 0, queuedFrom: {}, sentTo: {}, server: null },
        records: [],
        failed: "RangeError: out of memory",
      });
    }
    return reports;
  }

  get count(): number {
    return this.steps;
  }
}

const CONFIG = new Map([["repl-diskless-sync-delay", "0"]]);

describe("a host whose worker fails", () => {
  it("shows its process crashed with the error, and the rest of the cluster goes on", async () => {
    const hosts = new FailingHosts({ seed: 1, traceBytes: true, engineErrors: "crash" });
    const cluster = new Coordinator(hosts, { seed: 1 });
    await cluster.startNode({ name: "m", config: CONFIG });
    await cluster.startNode({ name: "r1", replicaOf: "m", config: CONFIG });
    await cluster.startNode({ name: "r2", replicaOf: "m", config: CONFIG });
    expect(await cluster.settle(60_000_000)).toBe(true);

    hosts.failAt = { name: "r2", step: hosts.count + 1 };
    await cluster.advance(1_000_000);
    expect(cluster.trace()).toContainEqual(
      expect.objectContaining({
        type: "nodeCrashed",
        node: "r2",
        error: "RangeError: out of memory",
      }),
    );
    expect(cluster.slotView("r2")?.running).toBe(false);

    expect(await cluster.command("m", "c", ["SET", "k", "v"])).toEqual({
      type: "simple",
      value: "OK",
    });
    expect(await cluster.settle(120_000_000)).toBe(true);
    expect(await cluster.command("r1", "c", ["GET", "k"])).toEqual({ type: "bulk", value: "v" });

    await cluster.fault({ kind: "restart", node: "r2" });
    expect(await cluster.settle(120_000_000)).toBe(true);
    expect(await cluster.command("r2", "c", ["GET", "k"])).toEqual({ type: "bulk", value: "v" });
  });
});
