// FAILOVER as redis-server 7.0.15 does it: every reply, log line and INFO
// field checked here was first observed on real processes (three servers on
// 127.0.0.1, replicas stopped with SIGSTOP where a test cuts them off).
import { describe, expect, it } from "vitest";
import { formatReply } from "../resp/redisCli";
import { TestNetwork } from "../sentinel/testing/network";
import { infoFields } from "./info";

const SECOND = 1_000_000;

/** m with replicas r1 (10.0.0.2) and r2 (10.0.0.3), synced, with one write acknowledged. */
function cluster(): TestNetwork {
  const net = new TestNetwork(1000, 7);
  const config = { "repl-diskless-sync-delay": "0" };
  net.addServer("m", "10.0.0.1", { config });
  net.addServer("r1", "10.0.0.2", { replicaOf: "m", config });
  net.addServer("r2", "10.0.0.3", { replicaOf: "m", config });
  net.advance(2 * SECOND);
  net.command("m", ["SET", "a", "1"]);
  net.advance(1.1 * SECOND);
  return net;
}

const say = (net: TestNetwork, node: string, ...argv: string[]): string =>
  formatReply(net.command(node, argv));

const field = (net: TestNetwork, node: string, name: string): string | undefined =>
  infoFields(net.server(node)).get(name);

/** Sends a command without waiting for its reply. */
function submit(net: TestNetwork, node: string, client: string, ...argv: string[]): () => string {
  const before = net.replies.length;
  const server = net.server(node);
  const out = server.handle(net.now, { kind: "clientCommand", client, argv });
  const immediate = out.find((o) => o.kind === "reply");
  return () => {
    if (immediate?.kind === "reply") return formatReply(immediate.reply);
    const later = net.replies.slice(before).find((r) => r.host === node && r.client === client);
    return later ? formatReply(later.reply) : "(no reply yet)";
  };
}

describe("FAILOVER's argument checks", () => {
  it("answers each misuse with Redis's error, in Redis's order", () => {
    const net = new TestNetwork();
    net.addServer("m", "10.0.0.1");
    net.advance(SECOND / 10);
    expect(say(net, "m", "FAILOVER")).toBe("(error) ERR FAILOVER requires connected replicas.");
    expect(say(net, "m", "FAILOVER", "ABORT")).toBe("(error) ERR No failover in progress.");
    expect(say(net, "m", "FAILOVER", "TIMEOUT", "0")).toBe(
      "(error) ERR FAILOVER timeout must be greater than 0",
    );
    expect(say(net, "m", "FAILOVER", "TIMEOUT", "abc")).toBe(
      "(error) ERR value is not an integer or out of range",
    );
    expect(say(net, "m", "FAILOVER", "TO", "10.0.0.2")).toBe("(error) ERR syntax error");
    expect(say(net, "m", "FAILOVER", "ABORT", "x")).toBe("(error) ERR syntax error");
    expect(say(net, "m", "FAILOVER", "TIMEOUT", "10", "TIMEOUT", "5")).toBe(
      "(error) ERR syntax error",
    );
    expect(say(net, "m", "FAILOVER", "FORCE")).toBe(
      "(error) ERR FAILOVER requires connected replicas.",
    );
  });

  it("refuses FORCE without a target and a timeout, unknown targets and replicas", () => {
    const net = cluster();
    expect(say(net, "m", "FAILOVER", "FORCE", "TIMEOUT", "100")).toBe(
      "(error) ERR FAILOVER with force option requires both a timeout and target HOST and IP.",
    );
    expect(say(net, "m", "FAILOVER", "TO", "10.0.0.9", "6379")).toBe(
      "(error) ERR FAILOVER target HOST and PORT is not a replica.",
    );
    expect(say(net, "r1", "FAILOVER")).toBe(
      "(error) ERR FAILOVER is not valid when server is a replica.",
    );
  });
});

describe("a coordinated failover", () => {
  it("hands over to a caught-up target with a partial resync on both sides", () => {
    const net = cluster();
    const replId = field(net, "m", "master_replid");
    expect(say(net, "m", "FAILOVER", "TO", "10.0.0.3", "6379")).toBe("OK");
    net.advance(SECOND / 2);
    expect(field(net, "m", "role")).toBe("slave");
    expect(field(net, "m", "master_host")).toBe("10.0.0.3");
    expect(field(net, "m", "master_link_status")).toBe("up");
    expect(field(net, "r2", "role")).toBe("master");
    expect(field(net, "r2", "master_replid2")).toBe(replId);
    expect(field(net, "r2", "second_repl_offset")).toBe("51");
    expect(field(net, "m", "second_repl_offset")).toBe("51");
    expect(field(net, "r2", "sync_partial_ok")).toBe("1");
    expect(field(net, "r2", "sync_full")).toBe("0");
    expect(field(net, "m", "master_failover_state")).toBe("no-failover");
    expect(net.logs("m")).toEqual(
      expect.arrayContaining([
        "FAILOVER requested to 10.0.0.3:6379.",
        "Failover target 10.0.0.3:6379 is synced, failing over.",
        "Trying a partial resynchronization (request " + String(replId) + ":51).",
      ]),
    );
    expect(net.logs("r2")).toContain(`Failover request received for replid ${String(replId)}.`);
  });

  it("pauses writes but not reads while it waits, and counts the paused client as blocked", () => {
    const net = cluster();
    net.cut("m", "r1");
    net.cut("m", "r2");
    expect(say(net, "m", "SET", "b", "2")).toBe("OK");
    expect(say(net, "m", "FAILOVER", "TIMEOUT", "3000")).toBe("OK");
    const write = submit(net, "m", "writer", "SET", "c", "3");
    net.advance(SECOND / 10);
    expect(write()).toBe("(no reply yet)");
    expect(say(net, "m", "GET", "a")).toBe('"1"');
    expect(field(net, "m", "master_failover_state")).toBe("waiting-for-sync");
    expect(field(net, "m", "blocked_clients")).toBe("1");
    expect(field(net, "m", "clients_in_timeout_table")).toBe("0");
    expect(say(net, "m", "REPLICAOF", "10.0.0.2", "6379")).toBe(
      "(error) ERR REPLICAOF not allowed while failing over.",
    );
    expect(say(net, "m", "FAILOVER")).toBe("(error) ERR FAILOVER already in progress.");
    net.advance(3 * SECOND);
    expect(net.logs("m")).toContain(
      "FAILOVER to any replica aborted: Replica never caught up before timeout",
    );
    expect(write()).toBe("OK");
    expect(field(net, "m", "role")).toBe("master");
    expect(field(net, "m", "master_failover_state")).toBe("no-failover");
  });

  it("keeps the dataset still while it waits: a key whose time has come reads as missing but stays", () => {
    const net = cluster();
    net.cut("m", "r1");
    net.cut("m", "r2");
    expect(say(net, "m", "SET", "k", "v", "PX", "200")).toBe("OK");
    expect(say(net, "m", "FAILOVER", "TIMEOUT", "3000")).toBe("OK");
    net.advance(SECOND);
    expect(say(net, "m", "GET", "k")).toBe("(nil)");
    expect(say(net, "m", "DBSIZE")).toBe("(integer) 2");
    expect(field(net, "m", "expired_keys")).toBe("0");
    net.advance(3 * SECOND);
    expect(field(net, "m", "master_failover_state")).toBe("no-failover");
    expect(say(net, "m", "DBSIZE")).toBe("(integer) 1");
    expect(field(net, "m", "expired_keys")).toBe("1");
  });

  it("sends no replication PING while a failover with a timeout waits", () => {
    const net = cluster();
    net.cut("m", "r1");
    net.cut("m", "r2");
    const offset = field(net, "m", "master_repl_offset");
    say(net, "m", "FAILOVER", "TIMEOUT", "15000");
    net.advance(12 * SECOND);
    expect(field(net, "m", "master_repl_offset")).toBe(offset);
  });

  it("is aborted by FAILOVER ABORT, which lets the paused writes through", () => {
    const net = cluster();
    net.cut("m", "r1");
    net.cut("m", "r2");
    say(net, "m", "SET", "b", "2");
    say(net, "m", "FAILOVER");
    const write = submit(net, "m", "writer", "SET", "c", "3");
    expect(say(net, "m", "FAILOVER", "ABORT")).toBe("OK");
    expect(write()).toBe("OK");
    expect(field(net, "m", "master_failover_state")).toBe("no-failover");
    expect(net.logs("m")).toContain("FAILOVER to any replica aborted: Failover manually aborted");
  });

  it("with FORCE fails over to a target that never caught up once the timeout passes", () => {
    const net = cluster();
    net.cut("m", "r1");
    say(net, "m", "SET", "b", "2");
    expect(say(net, "m", "FAILOVER", "TO", "10.0.0.2", "6379", "TIMEOUT", "500", "FORCE")).toBe(
      "OK",
    );
    net.advance(0.7 * SECOND);
    expect(net.logs("m")).toContain("FAILOVER to 10.0.0.2:6379 time out exceeded, failing over.");
    expect(field(net, "m", "role")).toBe("slave");
    expect(field(net, "m", "master_failover_state")).toBe("failover-in-progress");
    net.heal("m", "r1");
    net.advance(SECOND);
    // TCP kept the order: r1 applied SET b before it read PSYNC … FAILOVER.
    expect(field(net, "r1", "role")).toBe("master");
    expect(say(net, "r1", "GET", "b")).toBe('"2"');
    expect(field(net, "m", "master_failover_state")).toBe("no-failover");
    expect(field(net, "m", "master_link_status")).toBe("up");
  });

  it("answers a write paused during a successful failover with READONLY", () => {
    const net = cluster();
    net.cut("m", "r1");
    net.cut("m", "r2");
    say(net, "m", "FAILOVER", "TO", "10.0.0.2", "6379");
    const write = submit(net, "m", "writer", "SET", "c", "3");
    net.heal("m", "r1");
    net.heal("m", "r2");
    net.advance(2 * SECOND);
    expect(write()).toBe("(error) READONLY You can't write against a read only replica.");
    expect(field(net, "r1", "role")).toBe("master");
  });
});
