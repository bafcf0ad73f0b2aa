import { describe, expect, it } from "vitest";
import type { Reply } from "../engine/reply";
import { formatReply } from "../engine/resp/redisCli";
import type { SentinelSpec } from "./cluster";
import { ClusterError } from "./cluster";
import { InProcessCluster } from "./inProcessCluster";

const CONFIG = new Map([["repl-diskless-sync-delay", "0"]]);
const SECOND = 1_000_000;

function sentinel(name: string, master = "m", downAfterMs = 5000): SentinelSpec {
  return {
    kind: "sentinel",
    name,
    monitors: [{ group: "mymaster", masterHost: master, masterPort: 6379, quorum: 2 }],
    sentinelConfig: { downAfterMs, failoverTimeoutMs: 20_000 },
  };
}

/** m, r1 and r2 (replicas of m by name, as `node r1 replicaof m` starts them), then s1…s3. */
async function cluster(sentinels = 3, seed = 1): Promise<InProcessCluster> {
  const c = new InProcessCluster({ seed, traceBytes: false });
  await c.startNode({ name: "m", config: CONFIG });
  await c.startNode({ name: "r1", replicaOf: "m", config: CONFIG });
  await c.startNode({
    name: "r2",
    replicaOf: "m",
    config: new Map([...CONFIG, ["replica-priority", "10"]]),
  });
  for (let i = 1; i <= sentinels; i++) await c.startNode(sentinel(`s${i}`));
  return c;
}

async function ask(c: InProcessCluster, node: string, ...argv: string[]): Promise<string> {
  const reply: Reply = await c.command(node, "test", argv);
  return formatReply(reply);
}

async function field(c: InProcessCluster, node: string, name: string): Promise<string | undefined> {
  return (await c.snapshot(node)).info.get(name);
}

describe("a Sentinel in the simulated cluster", () => {
  it("takes the next address of the 10.0.0.N sequence and listens on 26379", async () => {
    const c = await cluster(1);
    await c.startNode({ name: "late", config: CONFIG });
    expect(c.slot("s1")).toMatchObject({ ip: "10.0.0.4", port: 26379, kind: "sentinel" });
    expect(c.slot("late")).toMatchObject({ ip: "10.0.0.5", port: 6379, kind: "server" });
    expect(c.trace()).toContainEqual(
      expect.objectContaining({
        type: "nodeStarted",
        node: "s1",
        ip: "10.0.0.4",
        kind: "sentinel",
      }),
    );
    const m = c.trace().find((e) => e.type === "nodeStarted" && e.node === "m");
    expect(m && "kind" in m).toBe(false);
  });

  it("watches the master by address and finds replicas that name their master by host name", async () => {
    const c = await cluster(1);
    await c.advance(11 * SECOND);
    expect(await ask(c, "s1", "SENTINEL", "get-master-addr-by-name", "mymaster")).toBe(
      '1) "10.0.0.1"\n2) "6379"',
    );
    const sentinelInfo = await c.infoText("s1", "sentinel");
    expect(sentinelInfo).toContain(
      "master0:name=mymaster,status=ok,address=10.0.0.1:6379,slaves=2,sentinels=1",
    );
    // r1 reports master_host:m; the resolver (built from the peer table) makes that 10.0.0.1.
    const view = (await c.sentinelViews())[0];
    expect(view?.masters[0]?.replicas.map((r) => [r.ip, r.flags])).toEqual([
      ["10.0.0.2", "slave"],
      ["10.0.0.3", "slave"],
    ]);
  });

  it("is left out of views(), answers INFO and snapshot, and has no keyspace", async () => {
    const c = await cluster(2);
    await c.advance(2 * SECOND);
    expect((await c.views()).map((v) => v.name)).toEqual(["m", "r1", "r2"]);
    expect((await c.sentinelViews()).map((v) => v.name)).toEqual(["s1", "s2"]);
    expect(await field(c, "s1", "redis_mode")).toBe("sentinel");
    expect(await field(c, "s1", "tcp_port")).toBe("26379");
    expect(await c.infoText("s1", "replication")).toBe("");
    await expect(c.keyspaceDigest("s1")).rejects.toThrow(ClusterError);
  });

  it("refuses a monitor of an unknown node or of another Sentinel", async () => {
    const c = await cluster(1);
    await expect(c.startNode(sentinel("s9", "nowhere"))).rejects.toThrow(ClusterError);
    await expect(c.startNode(sentinel("s9", "s1"))).rejects.toThrow(ClusterError);
  });

  it("logs its events and reports them as sentinel events in the trace", async () => {
    const c = await cluster(3);
    await c.advance(11 * SECOND);
    await c.fault({ kind: "crash", node: "m" });
    await c.advance(10 * SECOND);
    const events = c
      .trace()
      .flatMap((e) =>
        e.type === "process" && e.event.type === "sentinel" ? [{ node: e.node, ...e.event }] : [],
      );
    expect(events).toContainEqual({
      node: "s1",
      type: "sentinel",
      event: "+monitor",
      payload: "master mymaster 10.0.0.1 6379 quorum 2",
      level: "warning",
      group: "mymaster",
    });
    const names = new Set(events.map((e) => e.event));
    for (const name of ["+sdown", "+odown", "+elected-leader", "+promoted-slave", "+switch-master"])
      expect(names).toContain(name);
    // Each one beside its log line.
    const logs = c
      .trace()
      .flatMap((e) => (e.type === "process" && e.event.type === "log" ? [e.event.text] : []));
    for (const e of events) expect(logs).toContain(`${e.event} ${e.payload}`);
    expect(await field(c, "r2", "role")).toBe("master");
    expect(await field(c, "r1", "master_host")).toBe("10.0.0.3");
  });

  it("lets settle return within a few seconds, again and again, while Sentinels keep talking", async () => {
    const c = await cluster(3);
    expect(await c.settle(60 * SECOND)).toBe(true);
    await c.advance(11 * SECOND);
    for (let i = 0; i < 30; i++) {
      await c.advance(373_000 + i * 17_000);
      if (i % 3 === 0) await c.command("m", "w", ["SET", `k${i}`, "v"]);
      const started = c.now();
      expect(await c.settle(60 * SECOND)).toBe(true);
      expect(c.now() - started).toBeLessThan(3 * SECOND);
      expect(await field(c, "r1", "slave_repl_offset")).toBe(
        await field(c, "m", "master_repl_offset"),
      );
    }
    // The hellos moved the offset, not only the writes.
    expect(Number(await field(c, "m", "master_repl_offset"))).toBeGreaterThan(5000);
  });

  it("refuses a connection to a port nothing listens on", async () => {
    const c = await cluster(1);
    await c.command("r1", "c", ["REPLICAOF", "10.0.0.4", "6379"]);
    await c.advance(2 * SECOND);
    expect(await field(c, "r1", "master_link_status")).toBe("down");
    expect(c.trace().some((e) => e.type === "connOpen" && e.from === "r1" && e.to === "s1")).toBe(
      false,
    );
  });

  it("restarts watching the master it last knew, as its rewritten config file says", async () => {
    const c = await cluster(3);
    await c.advance(11 * SECOND);
    await c.fault({ kind: "crash", node: "m" });
    await c.advance(10 * SECOND);
    await c.fault({ kind: "crash", node: "s1" });
    await c.fault({ kind: "restart", node: "s1" });
    await c.advance(1000);
    expect(await ask(c, "s1", "SENTINEL", "get-master-addr-by-name", "mymaster")).toBe(
      '1) "10.0.0.3"\n2) "6379"',
    );
  });
});
