import { describe, expect, it } from "vitest";
import { readRdb } from "../engine/rdb/reader";
import { formatReply } from "../engine/resp/redisCli";
import { ClusterError } from "./cluster";
import { InProcessCluster } from "./inProcessCluster";
import type { TraceEvent } from "./trace";

const CONFIG = new Map([["repl-diskless-sync-delay", "0"]]);
const SECOND = 1_000_000;

async function ask(c: InProcessCluster, node: string, ...argv: string[]): Promise<string> {
  return formatReply(await c.command(node, "test", argv));
}

function logLines(events: readonly TraceEvent[], node: string): string[] {
  return events.flatMap((e) =>
    e.type === "process" && e.node === node && e.event.type === "log" ? [e.event.text] : [],
  );
}

async function twoMasters(): Promise<InProcessCluster> {
  const c = new InProcessCluster({ seed: 7, traceBytes: false });
  await c.startNode({ name: "a", config: CONFIG });
  await c.startNode({ name: "b", config: CONFIG });
  await ask(c, "a", "SET", "k", "v");
  await ask(c, "a", "RPUSH", "l", "1", "2", "3");
  await ask(c, "a", "HSET", "h", "f", "x");
  await ask(c, "a", "SET", "t", "1", "PX", "500000");
  await ask(c, "b", "SET", "only-b", "1");
  return c;
}

describe("dump.rdb download and load", () => {
  it("dumps a node's dataset and loads it into another, replacing its keys", async () => {
    const c = await twoMasters();
    const before = c.trace().length;
    const rdb = await c.dumpRdb("a");
    expect(rdb.startsWith("REDIS")).toBe(true);
    expect(readRdb(rdb).keyspace.totalKeys()).toBe(4);
    // Reading is a query: nothing happened in the run.
    expect(c.trace().length).toBe(before);

    const replId = (await c.snapshot("b")).info.get("master_replid");
    await c.loadRdb("b", rdb);
    await c.advance(SECOND);
    expect(await c.keyspaceDigest("b")).toBe(await c.keyspaceDigest("a"));
    expect(await ask(c, "b", "EXISTS", "only-b")).toBe("(integer) 0");
    expect((await c.snapshot("b")).info.get("master_replid")).toBe(replId);
    expect(logLines(c.trace(), "b")).toContain("DB loaded from dump.rdb: 4 keys");
    expect(c.trace()).toContainEqual(
      expect.objectContaining({ type: "loadRdb", node: "b", size: rdb.length }),
    );
  });

  it("keeps the data and logs a clear error for a file that is not an RDB", async () => {
    const c = await twoMasters();
    const digest = await c.keyspaceDigest("b");
    await c.loadRdb("b", "not an rdb file at all");
    await c.advance(SECOND);
    expect(await c.keyspaceDigest("b")).toBe(digest);
    const errors = logLines(c.trace(), "b").filter((l) => l.startsWith("Error loading the RDB: "));
    expect(errors).toHaveLength(1);
  });

  it("refuses a node that is not running", async () => {
    const c = await twoMasters();
    await c.fault({ kind: "crash", node: "b" });
    await expect(c.loadRdb("b", await c.dumpRdb("a"))).rejects.toBeInstanceOf(ClusterError);
    await expect(c.dumpRdb("b")).rejects.toBeInstanceOf(ClusterError);
  });

  it("is deterministic: the same run gives the same trace", async () => {
    const run = async (): Promise<string> => {
      const c = await twoMasters();
      await c.loadRdb("b", await c.dumpRdb("a"));
      await ask(c, "b", "GET", "k");
      return JSON.stringify(c.trace());
    };
    expect(await run()).toBe(await run());
  });
});
