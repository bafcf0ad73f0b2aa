import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ByteString } from "../bytes";
import type { ProcessOutput } from "../io";
import { Server } from "../server/server";
import { encodeCommand } from "./encode";

/*
 * Hostile bytes on a real server's connections: a client connection, and a
 * replica's link to its master during the handshake and while streaming.
 * Whatever arrives, in whatever chunks, the server never throws; a client's
 * protocol error is answered with `-ERR Protocol error: ...` and the
 * connection closed, as networking.c does.
 */

const rawBytes = (maxLength: number) =>
  fc.uint8Array({ maxLength }).map((bytes) => String.fromCharCode(...bytes));

const PIECES = [
  "*",
  "$",
  "+",
  "-",
  ":",
  "\r\n",
  "\r",
  "\n",
  "\0",
  "0",
  "1",
  "3",
  "-1",
  "2147483648",
  " ",
  '"',
  "'",
  "PING",
  "+PONG\r\n",
  "+OK\r\n",
  "+CONTINUE\r\n",
  "+FULLRESYNC 0123456789012345678901234567890123456789 0\r\n",
  "$EOF:",
  "$5\r\nREDIS",
  "-ERR nope\r\n",
  encodeCommand(["PING"]),
  encodeCommand(["SET", "k", "v"]),
  encodeCommand(["SELECT", "3"]),
  encodeCommand(["REPLCONF", "GETACK", "*"]),
  encodeCommand(["MULTI"]),
  encodeCommand(["EXEC"]),
  encodeCommand(["RPUSH", "l", "a", "b"]),
];

const hostileStream = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), rawBytes(6)), { maxLength: 40 })
  .map((parts) => parts.join(""));

const chunked = fc
  .tuple(hostileStream, fc.array(fc.nat(), { maxLength: 8 }))
  .map(([stream, cuts]) => {
    const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
    const chunks: ByteString[] = [];
    let from = 0;
    for (const p of points) {
      chunks.push(stream.slice(from, p));
      from = p;
    }
    chunks.push(stream.slice(from));
    return chunks;
  });

function server(name: string): Server {
  return new Server({
    name,
    ip: "10.0.0.2",
    port: 6379,
    incarnation: 0,
    seed: 7,
    startTime: 0,
    epochMs: 1767225600000,
    version: "7.0",
  });
}

const sentOn = (out: readonly ProcessOutput[], conn: string) =>
  out.flatMap((o) => (o.kind === "send" && o.conn === conn ? [o.bytes] : [])).join("");

describe("a server fed hostile bytes", () => {
  it("on a client connection: answers commands or one protocol error, then closes; never throws", () => {
    fc.assert(
      fc.property(chunked, (chunks) => {
        const s = server("m");
        const out: ProcessOutput[] = [];
        let t = 0;
        out.push(...s.handle(t, { kind: "accepted", conn: "c1", peerIp: "10.0.0.9", peerPort: 5 }));
        for (const bytes of chunks) {
          t += 1000;
          out.push(...s.handle(t, { kind: "bytesReceived", conn: "c1", bytes }));
        }
        const replies = sentOn(out, "c1");
        const closed = out.some((o) => o.kind === "close" && o.conn === "c1");
        const protocolError = /-ERR Protocol error: [^\r\n]*\r\n$/.exec(replies);
        if (protocolError) expect(closed).toBe(true);
        if (closed && !protocolError) {
          // Only a protocol error closes a client this way in these streams.
          expect(replies).toMatch(/-ERR Protocol error: /);
        }
      }),
      { numRuns: 1000 },
    );
  }, 30_000);

  it("on a replica's link to its master, in the handshake or streaming: never throws", () => {
    const streaming = "+PONG\r\n+OK\r\n+OK\r\n+CONTINUE\r\n";
    fc.assert(
      fc.property(fc.boolean(), chunked, (afterHandshake, chunks) => {
        const s = server("r1");
        const out = s.handle(0, {
          kind: "clientCommand",
          client: "c",
          argv: ["REPLICAOF", "m", "6379"],
        });
        const connect = out.find((o) => o.kind === "connect");
        if (connect?.kind !== "connect") throw new Error("REPLICAOF opened no connection");
        let t = 1000;
        s.handle(t, { kind: "connected", conn: connect.conn });
        const prefix = afterHandshake ? [streaming] : [];
        for (const bytes of [...prefix, ...chunks]) {
          t += 1000;
          s.handle(t, { kind: "bytesReceived", conn: connect.conn, bytes });
        }
        // The process stays answerable whatever its master sent.
        t += 1000;
        const ping = s.handle(t, { kind: "clientCommand", client: "c", argv: ["PING"] });
        expect(ping).toContainEqual({
          kind: "reply",
          client: "c",
          reply: { type: "simple", value: "PONG" },
        });
      }),
      { numRuns: 1000 },
    );
  }, 30_000);

  it("streams a replica's offset by exactly the bytes its master sent once the link is up", () => {
    const s = server("r1");
    const out = s.handle(0, {
      kind: "clientCommand",
      client: "c",
      argv: ["REPLICAOF", "m", "6379"],
    });
    const connect = out.find((o) => o.kind === "connect");
    if (connect?.kind !== "connect") throw new Error("REPLICAOF opened no connection");
    s.handle(1000, { kind: "connected", conn: connect.conn });
    s.handle(2000, {
      kind: "bytesReceived",
      conn: connect.conn,
      bytes: "+PONG\r\n+OK\r\n+OK\r\n+CONTINUE\r\n",
    });
    const before = s.masterReplOffset;
    const stream = encodeCommand(["SET", "k", "v"]) + "\n" + encodeCommand(["PING"]);
    for (const ch of stream)
      s.handle(3000, { kind: "bytesReceived", conn: connect.conn, bytes: ch });
    expect(s.masterReplOffset - before).toBe(stream.length);
  });
});
