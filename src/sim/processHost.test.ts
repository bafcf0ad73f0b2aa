import { afterEach, describe, expect, it, vi } from "vitest";
import { utf8ToBytes } from "../engine/bytes";
import type { ProcessInput, VirtualTime } from "../engine/io";
import { Server } from "../engine/server/server";
import { ClusterError } from "./cluster";
import { InProcessCluster } from "./inProcessCluster";

const CONFIG = new Map([["repl-diskless-sync-delay", "0"]]);

/** Makes `node`'s engine throw on the command BOOM, as an engine bug would. */
function boomOn(node: string): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the server as `this`
  const handle = Server.prototype.handle;
  vi.spyOn(Server.prototype, "handle").mockImplementation(function (
    this: Server,
    now: VirtualTime,
    input: ProcessInput,
  ) {
    if (this.name === node && input.kind === "clientCommand" && input.argv[0] === "BOOM")
      throw new Error("boom");
    return handle.call(this, now, input);
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a process host", () => {
  it("crashes only its process when the engine throws, and the cluster carries on", async () => {
    const cluster = new InProcessCluster({ seed: 1, engineErrors: "crash" });
    await cluster.startNode({ name: "m", config: CONFIG });
    await cluster.startNode({ name: "r1", replicaOf: "m", config: CONFIG });
    expect(await cluster.settle(60_000_000)).toBe(true);
    boomOn("r1");

    await expect(cluster.command("r1", "c", [utf8ToBytes("BOOM")])).rejects.toThrow(ClusterError);
    expect(cluster.trace()).toContainEqual(
      expect.objectContaining({ type: "nodeCrashed", node: "r1", error: "boom" }),
    );
    expect(cluster.slot("r1")?.running).toBe(false);

    expect(await cluster.command("m", "c", ["SET", "k", "v"])).toEqual({
      type: "simple",
      value: "OK",
    });
    expect(await cluster.settle(60_000_000)).toBe(true);
    await cluster.fault({ kind: "restart", node: "r1" });
    expect(await cluster.settle(60_000_000)).toBe(true);
    expect(await cluster.command("r1", "c", ["GET", "k"])).toEqual({ type: "bulk", value: "v" });
  });

  it("rethrows an engine exception when asked to (the runner, so tests show the stack)", async () => {
    const cluster = new InProcessCluster({ seed: 1 });
    await cluster.startNode({ name: "m", config: CONFIG });
    boomOn("m");
    await expect(cluster.command("m", "c", [utf8ToBytes("BOOM")])).rejects.toThrow("boom");
  });
});
