import { describe, expect, it } from "vitest";
import { formatReply } from "../engine/resp/redisCli";
import type { AppRoute } from "../engine/client/appClient";
import { InProcessCluster } from "./inProcessCluster";

const SECOND = 1_000_000;

/** m with replicas r1 and r2, three Sentinels, and a client of the group routed as asked. */
async function cluster(route: Partial<Extract<AppRoute, { kind: "sentinel" }>>) {
  const c = new InProcessCluster({ seed: 3 });
  const config = new Map([["repl-diskless-sync-delay", "0"]]);
  await c.startNode({ name: "m", config });
  await c.startNode({ name: "r1", replicaOf: "m", config });
  await c.startNode({ name: "r2", replicaOf: "m", config });
  for (const s of ["s1", "s2", "s3"]) {
    await c.startNode({
      kind: "sentinel",
      name: s,
      monitors: [{ group: "mymaster", masterHost: "m", quorum: 2 }],
      sentinelConfig: { downAfterMs: 5000, failoverTimeoutMs: 20_000 },
    });
  }
  await c.startNode({
    kind: "client",
    name: "app",
    route: { kind: "sentinel", group: "mymaster", sentinels: [], reads: "master", ...route },
  });
  await c.advance(11 * SECOND);
  await c.settle(60 * SECOND);
  return c;
}

const say = async (c: InProcessCluster, ...argv: string[]) =>
  formatReply(await c.command("app", "script", argv));

/** Where the client's answers came from, in order (the `appClient` events). */
function servers(c: InProcessCluster): string[] {
  return c
    .trace()
    .flatMap((e) =>
      e.type === "process" && e.event.type === "appClient"
        ? [`${e.event.op} ${e.event.server}`]
        : [],
    );
}

describe("an application client", () => {
  it("writes to the master and spreads reads over the replicas, round robin", async () => {
    const c = await cluster({ reads: "replicas" });
    expect(await say(c, "SET", "k", "v")).toBe("OK");
    await c.settle(60 * SECOND);
    for (let i = 0; i < 4; i++) expect(await say(c, "GET", "k")).toBe('"v"');
    expect(servers(c)).toEqual([
      "write 10.0.0.1:6379",
      "read 10.0.0.2:6379",
      "read 10.0.0.3:6379",
      "read 10.0.0.2:6379",
      "read 10.0.0.3:6379",
    ]);
  });

  it("keeps a transaction on the master and sends WAIT after its EXEC, not inside it", async () => {
    const c = await cluster({ reads: "replicas", wait: { numReplicas: 2, timeoutMs: 1000 } });
    expect(await say(c, "MULTI")).toBe("OK");
    expect(await say(c, "SET", "k", "v")).toBe("QUEUED");
    expect(await say(c, "GET", "k")).toBe("QUEUED");
    expect(await say(c, "EXEC")).toBe('1) 1) OK\n   2) "v"\n2) (integer) 2');
    expect(servers(c).every((s) => s.endsWith("10.0.0.1:6379"))).toBe(true);
  });

  it("follows +switch-master to the promoted replica", async () => {
    const c = await cluster({});
    expect(await say(c, "SET", "k", "v")).toBe("OK");
    await c.settle(60 * SECOND);
    await c.fault({ kind: "crash", node: "m" });
    await c.advance(20 * SECOND);
    expect(await say(c, "SET", "k2", "v2")).toBe("OK");
    const last = servers(c).at(-1) ?? "";
    expect(["write 10.0.0.2:6379", "write 10.0.0.3:6379"]).toContain(last);
    const ledger = await c.ledger();
    expect(ledger).toMatchObject({ acknowledged: 2, lost: 0 });
  });

  it("fails a request that gets no answer within 5 s, as a client library times out", async () => {
    const c = await cluster({});
    await c.fault({ kind: "cut", a: "app", b: "m" });
    expect(await say(c, "SET", "k", "v")).toBe(
      "(error) Error: no reply within 5s (connection dropped)",
    );
  });
});

describe("an application client fixed to one node", () => {
  it("says the connection was refused when its node is down", async () => {
    const c = new InProcessCluster({ seed: 3 });
    await c.startNode({ name: "m", config: new Map() });
    await c.startNode({
      kind: "client",
      name: "app",
      route: { kind: "node", addr: { ip: "m", port: 6379 } },
    });
    expect(await say(c, "SET", "k", "v")).toBe("OK");
    await c.fault({ kind: "crash", node: "m" });
    await c.advance(SECOND);
    // Its connection saw m's FIN; the next command finds nothing listening.
    expect(await say(c, "GET", "k")).toBe("(error) Error: Connection refused");
  });
});
