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
  it("keeps the newest events exactly and summarises exactly the ones it let go", async () => {
    const cluster = new InProcessCluster({ seed: 5 });
    const retention = new TraceRetention(cluster, 300, 64);
    await run(cluster, 1000);
    const all = cluster.trace();
    const dropped = retention.droppedEvents();
    expect(dropped).toBeGreaterThan(0);
    expect(retention.kept()).toBeGreaterThanOrEqual(300);
    expect(retention.kept()).toBeLessThan(300 + 2 * 64);
    expect(dropped + retention.kept()).toBe(all.length);
    expect(retention.events()).toEqual(all.slice(dropped));
    expect(retention.summary()).toEqual(summaryOf(all.slice(0, dropped)));
    expect(retention.summary().byNode["m"]?.commands).toBeGreaterThan(500);
  });

  it("holds a few strings, not the events, however long the run", async () => {
    const cluster = new InProcessCluster({ seed: 5, traceLimit: 100 });
    const retention = new TraceRetention(cluster, 200, 64);
    await run(cluster, 3000);
    // Sealing runs in tasks of its own, after the window that handed the events over.
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    const held = retention as unknown as {
      chunks: ({ text: string } | { events: TraceEvent[] })[];
      open: TraceEvent[];
    };
    expect(held.chunks.length).toBeLessThanOrEqual(2 * Math.ceil(200 / 64) + 2);
    expect(held.chunks.every((c) => "text" in c)).toBe(true);
    expect(held.open.length).toBeLessThan(64);
    expect(retention.summary().events).toBe(retention.droppedEvents());
  });

  it("takes a burst longer than its limit in one go as it takes it event by event", async () => {
    const cluster = new InProcessCluster({ seed: 5 });
    await run(cluster, 1000);
    const all = cluster.trace();
    const feed = (batches: readonly (readonly TraceEvent[])[]) => {
      const listeners: ((events: readonly TraceEvent[]) => void)[] = [];
      const retention = new TraceRetention(
        { onTrace: (l) => (listeners.push(l), () => undefined) },
        300,
        64,
      );
      for (const batch of batches) for (const l of listeners) l(batch);
      return retention;
    };
    const burst = feed([all]);
    const oneByOne = feed(all.map((e) => [e]));
    expect(burst.droppedEvents()).toBe(oneByOne.droppedEvents());
    expect(burst.events()).toEqual(oneByOne.events());
    expect(burst.summary()).toEqual(oneByOne.summary());
    expect(burst.summary()).toEqual(summaryOf(all.slice(0, burst.droppedEvents())));
  });

  it("seals a burst a few chunks per task, so no task holds the page for long", async () => {
    const listeners: ((events: readonly TraceEvent[]) => void)[] = [];
    const retention = new TraceRetention(
      { onTrace: (l) => (listeners.push(l), () => undefined) },
      Infinity,
      4,
    );
    const events: TraceEvent[] = Array.from({ length: 400 }, (_, i) => ({
      t: i,
      type: "stall",
      node: "m",
      until: i + 1,
    }));
    for (const l of listeners) l(events);
    const held = retention as unknown as { chunks: unknown[]; open: TraceEvent[] };
    expect(held.chunks.length).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(held.chunks.length).toBe(2);
    for (let i = 0; i < 60; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    expect(held.chunks.length).toBe(100);
    expect(held.open.length).toBe(0);
    expect(retention.events()).toEqual(events);
  });

  it("keeps every event with no limit, and gives back one JSON would change as it was", () => {
    const listeners: ((events: readonly TraceEvent[]) => void)[] = [];
    const retention = new TraceRetention(
      { onTrace: (l) => (listeners.push(l), () => undefined) },
      Infinity,
      2,
    );
    const events: TraceEvent[] = [
      { t: 1, type: "fault", fault: "cut", nodes: ["m", "r1"] },
      { t: 2, type: "nodeCrashed", node: "r1", error: undefined as unknown as string },
      { t: 3, type: "stall", node: "m", until: 4 },
    ];
    for (const l of listeners) l(events);
    const kept = retention.events();
    expect(kept).toEqual(events);
    expect("error" in (kept[1] ?? {})).toBe(true);
    expect(retention.droppedEvents()).toBe(0);
  });
});
