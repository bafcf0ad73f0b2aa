import { describe, expect, it } from "vitest";
import { InProcessCluster } from "../sim/inProcessCluster";
import type { TraceEvent } from "../sim/trace";
import { TraceRetention } from "./traceRetention";
import { emptySummary, mergeSummaries, summarise, totalTally } from "./traceSummary";

/** A master and a replica, a crash and restart of the replica (a full sync each time), and `writes` SETs. */
async function run(cluster: InProcessCluster, writes: number): Promise<void> {
  const config = new Map<string, string>();
  await cluster.startNode({ name: "m", config });
  await cluster.startNode({ name: "r1", replicaOf: "m", config });
  await cluster.settle(10_000_000);
  for (let i = 0; i < writes; i++) {
    await cluster.submit("m", "load", ["SET", `k${i % 50}`, `v${i}`]);
    if (i % 100 === 99) await cluster.advance(10_000);
  }
  await cluster.fault({ kind: "cut", a: "m", b: "r1" });
  await cluster.advance(100_000);
  await cluster.fault({ kind: "heal", a: "m", b: "r1" });
  await cluster.fault({ kind: "crash", node: "r1" });
  await cluster.advance(1_000_000);
  await cluster.fault({ kind: "restart", node: "r1" });
  await cluster.settle(10_000_000);
}

function summaryOf(events: readonly TraceEvent[]) {
  const s = emptySummary();
  summarise(s, events);
  return s;
}

describe("a trace summary", () => {
  it("counts a run's events by process: commands, bytes sent, syncs, crashes, log lines", async () => {
    const cluster = new InProcessCluster({ seed: 5 });
    await run(cluster, 300);
    const trace = cluster.trace();
    const s = summaryOf(trace);
    expect(s.events).toBe(trace.length);
    expect(s.fromUs).toBe(trace[0]?.t);
    expect(s.toUs).toBe(trace[trace.length - 1]?.t);
    const m = s.byNode["m"];
    const r1 = s.byNode["r1"];
    expect(m?.commands).toBe(300);
    expect(m?.fullSyncs).toBe(2);
    expect(r1?.crashes).toBe(1);
    expect(r1?.starts).toBe(2);
    expect(s.faults).toBe(trace.filter((e) => e.type === "fault").length);
    expect(s.faults).toBeGreaterThanOrEqual(2);
    const sent = trace.reduce((n, e) => n + (e.type === "send" ? e.bytes.length : 0), 0);
    expect(totalTally(s).bytesSent).toBe(sent);
    expect(m?.logLines).toBe(
      trace.filter((e) => e.type === "process" && e.node === "m" && e.event.type === "log").length,
    );
    const perNode = Object.values(s.byNode).reduce((n, t) => n + t.events, 0);
    expect(perNode + s.faults + s.ledgerChanges).toBe(s.events);
  });

  it("merges two stretches into the summary of both", async () => {
    const cluster = new InProcessCluster({ seed: 5 });
    await run(cluster, 120);
    const trace = cluster.trace();
    const cut = Math.floor(trace.length / 3);
    const merged = mergeSummaries(summaryOf(trace.slice(0, cut)), summaryOf(trace.slice(cut)));
    expect(merged).toEqual(summaryOf(trace));
  });
});

describe("trace retention", () => {
  it("summarises exactly the events a trace limit let go", async () => {
    const bounded = new InProcessCluster({ seed: 5, traceLimit: 300 });
    const retention = new TraceRetention(bounded);
    await run(bounded, 1000);
    const full = new InProcessCluster({ seed: 5 });
    await run(full, 1000);
    const all = full.trace();
    const dropped = bounded.traceDropped();
    expect(dropped).toBeGreaterThan(0);
    expect(bounded.trace().length).toBeLessThan(600);
    expect(retention.summary()).toEqual(summaryOf(all.slice(0, dropped)));
    expect(retention.summary().byNode["m"]?.commands).toBeGreaterThan(500);
  });

  it("holds no more than the cluster holds, however long the run", async () => {
    const bounded = new InProcessCluster({ seed: 5, traceLimit: 200 });
    const retention = new TraceRetention(bounded);
    await run(bounded, 3000);
    // The batches it holds cover at most the cluster's kept events and the batch in flight.
    const held = (retention as unknown as { held: (readonly TraceEvent[])[]; head: number }).held;
    const heldEvents = held.reduce((n, b) => n + b.length, 0);
    expect(heldEvents).toBeLessThanOrEqual(2 * bounded.trace().length + 400);
    expect(retention.summary().events).toBe(bounded.traceDropped());
  });
});
