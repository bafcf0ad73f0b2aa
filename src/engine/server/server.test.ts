import { describe, expect, it } from "vitest";
import type { ProcessOutput } from "../io";
import { encodeCommand } from "../resp/encode";
import { Server } from "./server";

function server(name = "m"): Server {
  return new Server({
    name,
    ip: "10.0.0.1",
    port: 6379,
    incarnation: 0,
    seed: 42,
    startTime: 0,
    epochMs: 1767225600000,
    version: "7.0",
  });
}

const sends = (out: ProcessOutput[]) =>
  out.flatMap((o) => (o.kind === "send" ? [o.bytes] : [])).join("");

function run(s: Server, ...argv: string[]): ProcessOutput[] {
  return s.handle(s.now, { kind: "clientCommand", client: "c", argv });
}

describe("propagation on a master", () => {
  it("leaves master_repl_offset at 0 while no replica ever attached", () => {
    const s = server();
    run(s, "SET", "k", "v");
    expect(s.masterReplOffset).toBe(0);
  });

  it("emits SELECT before the first write and again only when the database changes", () => {
    const s = server();
    s.createBacklog();
    run(s, "SET", "a", "1");
    run(s, "SET", "b", "2");
    run(s, "SELECT", "3");
    run(s, "SET", "c", "3");
    expect(s.backlog?.readFrom(1)).toBe(
      encodeCommand(["SELECT", "0"]) +
        encodeCommand(["SET", "a", "1"]) +
        encodeCommand(["SET", "b", "2"]) +
        encodeCommand(["SELECT", "3"]) +
        encodeCommand(["SET", "c", "3"]),
    );
  });

  it("puts a transaction's SELECT after MULTI", () => {
    const s = server();
    s.createBacklog();
    run(s, "MULTI");
    run(s, "SET", "a", "1");
    run(s, "SET", "b", "2");
    run(s, "EXEC");
    expect(s.backlog?.readFrom(1)).toBe(
      encodeCommand(["MULTI"]) +
        encodeCommand(["SELECT", "0"]) +
        encodeCommand(["SET", "a", "1"]) +
        encodeCommand(["SET", "b", "2"]) +
        encodeCommand(["EXEC"]),
    );
  });

  it("keeps master_repl_offset equal to first byte offset + histlen - 1", () => {
    const s = server();
    s.createBacklog();
    for (let i = 0; i < 100; i++) run(s, "SET", `key:${i}`, "x".repeat(500));
    const b = s.backlog;
    expect(b && b.firstByteOffset + b.histlen - 1).toBe(s.masterReplOffset);
  });
});

describe("the replica side of the handshake", () => {
  it("a fresh master told REPLICAOF sends PSYNC with its own replid and offset 1", () => {
    const s = server("r1");
    const out = run(s, "REPLICAOF", "m", "6379");
    const connect = out.find((o) => o.kind === "connect");
    expect(connect).toMatchObject({ kind: "connect", host: "m", port: 6379 });
    if (connect?.kind !== "connect") return;
    const conn = connect.conn;
    expect(sends(s.handle(1000, { kind: "connected", conn }))).toBe(encodeCommand(["PING"]));
    expect(sends(s.handle(2000, { kind: "bytesReceived", conn, bytes: "+PONG\r\n" }))).toBe(
      encodeCommand(["REPLCONF", "listening-port", "6379"]) +
        encodeCommand(["REPLCONF", "capa", "eof", "capa", "psync2"]),
    );
    const psync = sends(s.handle(3000, { kind: "bytesReceived", conn, bytes: "+OK\r\n+OK\r\n" }));
    expect(psync).toBe(encodeCommand(["PSYNC", s.replId, "1"]));
    expect(s.replState).toBe("handshake");
  });

  it("a replica started with --replicaof asks PSYNC ? -1", () => {
    const s = new Server({
      name: "r1",
      ip: "10.0.0.2",
      port: 6379,
      incarnation: 0,
      seed: 1,
      startTime: 0,
      epochMs: 0,
      version: "7.0",
      replicaOf: { host: "m", port: 6379 },
    });
    const out = s.handle(1000, { kind: "timerFired" });
    const connect = out.find((o) => o.kind === "connect");
    if (connect?.kind !== "connect") throw new Error("no connect");
    s.handle(1000, { kind: "connected", conn: connect.conn });
    s.handle(1000, { kind: "bytesReceived", conn: connect.conn, bytes: "+PONG\r\n" });
    const psync = sends(
      s.handle(1000, { kind: "bytesReceived", conn: connect.conn, bytes: "+OK\r\n+OK\r\n" }),
    );
    expect(psync).toBe(encodeCommand(["PSYNC", "?", "-1"]));
  });

  it("refuses writes on a read-only replica with Redis's exact error", () => {
    const s = server("r1");
    run(s, "REPLICAOF", "m", "6379");
    const out = run(s, "SET", "x", "1");
    expect(out).toContainEqual({
      kind: "reply",
      client: "c",
      reply: { type: "error", value: "READONLY You can't write against a read only replica." },
    });
  });

  it("answers MASTERDOWN while the link is down and replica-serve-stale-data is no", () => {
    const s = server("r1");
    run(s, "CONFIG", "SET", "replica-serve-stale-data", "no");
    run(s, "REPLICAOF", "m", "6379");
    const out = run(s, "GET", "x");
    expect(out).toContainEqual({
      kind: "reply",
      client: "c",
      reply: {
        type: "error",
        value: "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
      },
    });
  });
});

describe("the active expire cycle", () => {
  it("reaches every key with a TTL in turn, past a first few hundred that live on", () => {
    const s = server();
    s.createBacklog();
    for (let i = 0; i < 300; i++) run(s, "SET", `long:${i}`, "v", "PX", "1000000");
    for (let i = 0; i < 100; i++) run(s, "SET", `short:${i}`, "v", "PX", "1");
    const dbsize = () => s.keyspace.db(0).size;
    expect(dbsize()).toBe(400);
    // serverCron every 100 ms: each beat looks at 200 keys, from where the last one stopped.
    const from = s.masterReplOffset + 1;
    for (let beat = 1; beat <= 4; beat++) s.handle(beat * 100_000 + 1000, { kind: "timerFired" });
    expect(dbsize()).toBe(300);
    // One DEL each, propagated bare.
    const stream = s.backlog?.readFrom(from) ?? "";
    expect(stream).toBe(
      Array.from({ length: 100 }, (_, i) => encodeCommand(["DEL", `short:${i}`])).join(""),
    );
    expect(s.keyspace.db(0).dict.has("long:0")).toBe(true);
  });
});
