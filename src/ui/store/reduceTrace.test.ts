import { describe, expect, it } from "vitest";
import { encodeCommand } from "../../engine/resp/encode";
import { InProcessCluster } from "../../sim/inProcessCluster";
import type { TraceEvent } from "../../sim/trace";
import { appendConsole, pruneTraffic, reduceTrace, reduceViews } from "./reduceTrace";
import { CONSOLE_CLIENT, initialState } from "./state";

const started = (node: string, ip: string, replicaOf: string | null = null): TraceEvent => ({
  t: 0,
  type: "nodeStarted",
  node,
  ip,
  runId: `${node}-run-id-0123456789`,
  replicaOf,
});

const send = (
  t: number,
  from: string,
  to: string,
  bytes: string,
  label = "stream",
): TraceEvent => ({
  t,
  type: "send",
  conn: "r1.0.1",
  from,
  to,
  bytes,
  label,
  deliverAt: t + 1000,
});

const boot = () =>
  reduceTrace(initialState(), [started("m", "10.0.0.1"), started("r1", "10.0.0.2", "m")]);

describe("reduceTrace", () => {
  it("returns the same state for no events", () => {
    const s = initialState();
    expect(reduceTrace(s, [])).toBe(s);
  });

  it("registers started nodes in order with their role and link state", () => {
    const s = boot();
    expect(s.order).toEqual(["m", "r1"]);
    expect(s.nodes.m?.role).toBe("master");
    expect(s.nodes.r1?.role).toBe("slave");
    expect(s.nodes.r1?.replState).toBe("connect");
    expect(s.announcement?.text).toContain("r1 started as a replica of m.");
  });

  it("puts a send in flight, labelled from its bytes, until its bytes are delivered", () => {
    const bytes = encodeCommand(["SET", "k1", "v1"]);
    let s = reduceTrace(boot(), [send(5000, "m", "r1", bytes)]);
    expect(s.packets).toHaveLength(1);
    expect(s.packets[0]?.label).toBe("SET k1 v1");
    expect(s.packets[0]?.kind).toBe("write");
    expect(s.wire).toHaveLength(1);
    s = reduceTrace(s, [
      { t: 6000, type: "deliver", conn: "r1.0.1", from: "m", to: "r1", size: 10 },
    ]);
    expect(s.packets[0]?.deliveredBytes).toBe(10);
    s = reduceTrace(s, [
      { t: 6000, type: "deliver", conn: "r1.0.1", from: "m", to: "r1", size: bytes.length - 10 },
    ]);
    expect(s.packets).toHaveLength(0);
    expect(s.wire).toHaveLength(1);
  });

  it("merges frames sent in the same instant on the same path", () => {
    const s = reduceTrace(boot(), [
      send(
        8000,
        "m",
        "r1",
        "+FULLRESYNC 0123456789012345678901234567890123456789 0\r\n",
        "handshake",
      ),
      send(8000, "m", "r1", `$EOF:${"a".repeat(40)}\r\nREDIS0010${"a".repeat(40)}`, "rdb"),
    ]);
    expect(s.packets).toHaveLength(1);
    expect(s.packets[0]?.label).toBe("+FULLRESYNC 01…89 0 + RDB 9 B");
    expect(s.packets[0]?.kind).toBe("rdb");
  });

  it("drops packets on a reset connection and packets to a crashed node", () => {
    const base = reduceTrace(boot(), [
      send(1, "m", "r1", "+PONG\r\n"),
      send(2, "r1", "m", encodeCommand(["PING"])),
    ]);
    const reset = reduceTrace(base, [
      { t: 3, type: "connClose", conn: "r1.0.1", from: "m", to: "r1", reason: "reset" },
    ]);
    expect(reset.packets).toHaveLength(0);
    const crashed = reduceTrace(base, [{ t: 3, type: "nodeCrashed", node: "r1" }]);
    expect(crashed.packets.map((p) => p.to)).toEqual(["m"]);
    expect(crashed.nodes.r1?.running).toBe(false);
    expect(crashed.log.at(-1)?.text).toContain("r1 crashed");
    const threw = reduceTrace(base, [
      { t: 3, type: "nodeCrashed", node: "r1", error: "TypeError: x is undefined" },
    ]);
    expect(threw.log.at(-1)?.text).toBe("r1 crashed: TypeError: x is undefined");
  });

  it("tracks cut paths and lets held packets resume from the cut after a heal", () => {
    let s = reduceTrace(boot(), [send(1000, "m", "r1", "+OK\r\n")]);
    s = reduceTrace(s, [{ t: 1500, type: "fault", fault: "cut", nodes: ["r1", "m"] }]);
    expect(s.cuts).toEqual(["m|r1"]);
    s = reduceTrace(s, [{ t: 9000, type: "fault", fault: "heal", nodes: ["m", "r1"] }]);
    expect(s.cuts).toEqual([]);
    expect(s.packets[0]?.t).toBe(8000);
    expect(s.packets[0]?.deliverAt).toBe(10000);
    expect(s.log.map((e) => e.text)).toEqual(
      expect.arrayContaining(["Link r1 ⇄ m cut: bytes on it are held", "Link m ⇄ r1 healed"]),
    );
  });

  it("cuts every link of a node and heals them all", () => {
    let s = reduceTrace(boot(), [started("r2", "10.0.0.3", "m")]);
    s = reduceTrace(s, [{ t: 1, type: "fault", fault: "cut", nodes: ["m"] }]);
    expect(s.cuts).toEqual(["m|r1", "m|r2"]);
    s = reduceTrace(s, [{ t: 2, type: "fault", fault: "heal", nodes: [] }]);
    expect(s.cuts).toEqual([]);
  });

  it("writes console replies as redis-cli prints them and counts pending commands", () => {
    let s = appendConsole(boot(), "r1", [{ kind: "input", text: "SET x 1" }], 1);
    expect(s.consoles.r1?.pending).toBe(1);
    s = reduceTrace(s, [
      {
        t: 5,
        type: "reply",
        node: "r1",
        client: CONSOLE_CLIENT,
        reply: { type: "error", value: "READONLY You can't write against a read only replica." },
      },
    ]);
    expect(s.consoles.r1?.pending).toBe(0);
    expect(s.consoles.r1?.lines.map((l) => [l.kind, l.text])).toEqual([
      ["input", "SET x 1"],
      ["error", "(error) READONLY You can't write against a read only replica."],
    ]);
  });

  it("ignores replies to other clients", () => {
    const s = reduceTrace(boot(), [
      { t: 5, type: "reply", node: "m", client: "script", reply: { type: "simple", value: "OK" } },
    ]);
    expect(s.consoles.m).toBeUndefined();
  });

  it("keeps Redis log lines word for word and names replicas by node in sync notes", () => {
    const s = reduceTrace(boot(), [
      {
        t: 7000,
        type: "process",
        node: "r1",
        event: { type: "log", level: "notice", text: "Connecting to MASTER m:6379" },
      },
      {
        t: 8000,
        type: "process",
        node: "m",
        event: {
          type: "sync",
          replica: "10.0.0.2:6379",
          decision: "continue",
          replId: "c4b944ca8b815b5c9dfe0f0973ad776fffc40d1c",
          offset: 53,
        },
      },
    ]);
    expect(s.log.at(-2)).toMatchObject({
      node: "r1",
      level: "notice",
      text: "Connecting to MASTER m:6379",
    });
    expect(s.log.at(-1)?.text).toBe("m accepts a partial resync from r1: +CONTINUE from offset 53");
  });
});

describe("pruneTraffic", () => {
  it("drops packets long past their delivery time unless their path is cut", () => {
    const s = reduceTrace(boot(), [send(0, "m", "r1", "+OK\r\n")]);
    expect(pruneTraffic(s, 10_000).packets).toHaveLength(1);
    expect(pruneTraffic(s, 100_000).packets).toHaveLength(0);
    const cut = reduceTrace(s, [{ t: 1, type: "fault", fault: "cut", nodes: ["m", "r1"] }]);
    expect(pruneTraffic(cut, 100_000).packets).toHaveLength(1);
  });
});

describe("reduceTrace on a real cluster's trace", () => {
  it("ends with nothing in flight, both replicas online and the write acknowledged", async () => {
    const cluster = new InProcessCluster({ seed: 7 });
    const config = new Map([["repl-diskless-sync-delay", "0"]]);
    await cluster.startNode({ name: "m", config });
    await cluster.startNode({ name: "r1", replicaOf: "m", config });
    await cluster.startNode({ name: "r2", replicaOf: "m", config });
    await cluster.advance(3_000_000);
    await cluster.submit("m", CONSOLE_CLIENT, ["SET", "k1", "v1"]);
    await cluster.advance(500_000);
    let s = reduceTrace(initialState(), cluster.trace());
    s = reduceViews(s, await cluster.views());
    expect(s.packets).toEqual([]);
    expect(s.nodes.r1?.replState).toBe("connected");
    expect(s.views.r2?.masterReplOffset).toBe(52);
    expect(s.views.r2?.keys.map((k) => k.key)).toEqual(["k1"]);
    expect(s.consoles.m?.lines.map((l) => l.text)).toEqual(["OK"]);
    expect(s.wire.some((p) => p.label === "SELECT 0 + SET k1 v1")).toBe(true);
    expect(s.wire.some((p) => p.label === "REPLCONF ACK 52")).toBe(true);
    expect(s.log.some((e) => e.text === "MASTER <-> REPLICA sync: Finished with success")).toBe(
      true,
    );
  });

  it("keeps the identity of the parts the events left alone, so their views do not render again", () => {
    const s = boot();
    const next = reduceTrace(s, [
      { t: 5, type: "command", node: "m", client: "load", argv: ["SET", "k", "v"] },
    ]);
    expect(next).not.toBe(s);
    expect(next.log).toBe(s.log);
    expect(next.order).toBe(s.order);
    expect(next.nodes).toBe(s.nodes);
    expect(next.cuts).toBe(s.cuts);
    expect(next.consoles).toBe(s.consoles);
    expect(next.packets).toBe(s.packets);
    expect(next.wire).toBe(s.wire);
    const sent = reduceTrace(next, [send(6, "m", "r1", "*1\r\n$4\r\nPING\r\n")]);
    expect(sent.wire).not.toBe(next.wire);
    expect(sent.log).toBe(s.log);
  });
});
