import { describe, expect, it } from "vitest";
import { InProcessCluster } from "./inProcessCluster";

const CONFIG = new Map([["repl-diskless-sync-delay", "0"]]);

async function cluster(): Promise<InProcessCluster> {
  const c = new InProcessCluster({ seed: 1 });
  await c.startNode({ name: "m", config: CONFIG });
  await c.startNode({ name: "r1", replicaOf: "m", config: CONFIG });
  expect(await c.settle(60_000_000)).toBe(true);
  return c;
}

function lowerLimit(c: InProcessCluster, node: string, maxKeys: number): void {
  const server = c.server(node);
  if (!server) throw new Error(`${node} is not running`);
  server.keyspace.maxKeys = maxKeys;
}

// The real limit is MAX_KEYS_PER_NODE (a million keys); these lower it to keep the tests small.
describe("a node out of room for keys", () => {
  it("dies of it, as redis-server dies when its machine runs out of memory, naming the limit", async () => {
    const c = await cluster();
    lowerLimit(c, "m", 100);
    expect(await c.command("m", "c", ["DEBUG", "POPULATE", "60"])).toEqual({
      type: "simple",
      value: "OK",
    });
    expect(await c.command("m", "c", ["SELECT", "3"])).toEqual({ type: "simple", value: "OK" });
    expect(await c.command("m", "c", ["DEBUG", "POPULATE", "40"])).toEqual({
      type: "simple",
      value: "OK",
    });
    // Overwriting an existing key needs no room.
    expect(await c.command("m", "c", ["SET", "key:0", "again"])).toEqual({
      type: "simple",
      value: "OK",
    });
    // Nor does renaming a key: the count stays at the limit.
    expect(await c.command("m", "c", ["RENAME", "key:0", "renamed"])).toEqual({
      type: "simple",
      value: "OK",
    });
    await c.submit("m", "c", ["SET", "one-too-many", "v"]);
    await c.advance(0);
    expect(c.trace()).toContainEqual(
      expect.objectContaining({
        type: "nodeCrashed",
        node: "m",
        error:
          "Out Of Memory: no room for key 101; a node holds at most 100 keys in the playground",
      }),
    );
    expect(c.slot("m")?.running).toBe(false);
    // The rest of the cluster goes on.
    expect(c.slot("r1")?.running).toBe(true);
    expect(await c.command("r1", "c", ["PING"])).toEqual({ type: "simple", value: "PONG" });
  });

  it("stops DEBUG POPULATE mid-way, and a replica applying its master's writes dies the same way", async () => {
    const c = await cluster();
    lowerLimit(c, "r1", 10);
    for (let i = 0; i < 11; i++) {
      expect(await c.command("m", "c", ["SET", `k${i}`, "v"])).toEqual({
        type: "simple",
        value: "OK",
      });
    }
    await c.settle(60_000_000);
    expect(c.slot("r1")?.running).toBe(false);
    expect(c.slot("m")?.running).toBe(true);

    lowerLimit(c, "m", 20);
    await c.submit("m", "c", ["DEBUG", "POPULATE", "1000"]);
    await c.advance(0);
    expect(c.slot("m")?.running).toBe(false);
  });
});
