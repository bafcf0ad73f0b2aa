import { describe, expect, it } from "vitest";
import { encodeCommand } from "../../engine/resp/encode";
import { commandCount, packetKind, packetLabel } from "./packetLabel";

const cmd = (...args: string[]) => encodeCommand(args);
const REPLID = "8f3c2d1e0b9a8f7e6d5c4b3a2f1e0d9c8b7a69a1";

describe("packetLabel", () => {
  it("names a write by its command words", () => {
    expect(packetLabel(cmd("SET", "k1", "v1"), "stream")).toBe("SET k1 v1");
    expect(packetKind(cmd("SET", "k1", "v1"), "stream")).toBe("write");
  });

  it("shows the SELECT that comes before the first write", () => {
    expect(packetLabel(cmd("SELECT", "0") + cmd("SET", "k", "v"))).toBe("SELECT 0 + SET k v");
  });

  it("counts the frames it does not name", () => {
    const burst = cmd("SET", "a", "1") + cmd("SET", "b", "2") + cmd("SET", "c", "3");
    expect(packetLabel(burst)).toBe("SET a 1 + SET b 2 +1 more");
  });

  it("shortens replication ids in PSYNC and +FULLRESYNC", () => {
    expect(packetLabel(cmd("PSYNC", REPLID, "377"))).toBe("PSYNC 8f…a1 377");
    expect(packetKind(cmd("PSYNC", REPLID, "377"))).toBe("handshake");
    expect(packetLabel(`+FULLRESYNC ${REPLID} 0\r\n`)).toBe("+FULLRESYNC 8f…a1 0");
    expect(packetLabel(`+CONTINUE ${REPLID}\r\n`)).toBe("+CONTINUE 8f…a1");
    expect(packetLabel("+CONTINUE\r\n")).toBe("+CONTINUE");
    expect(packetKind("+CONTINUE\r\n")).toBe("handshake");
  });

  it("labels acknowledgements and pings", () => {
    expect(packetLabel(cmd("REPLCONF", "ACK", "411"), "ack")).toBe("REPLCONF ACK 411");
    expect(packetKind(cmd("REPLCONF", "ACK", "411"), "ack")).toBe("ack");
    expect(packetLabel(cmd("ping"), "stream")).toBe("ping");
    expect(packetKind(cmd("ping"), "stream")).toBe("ping");
    expect(packetKind(cmd("PING"), "handshake")).toBe("handshake");
  });

  it("sizes a diskless RDB between its EOF marks", () => {
    const mark = "a".repeat(40);
    const rdb = "REDIS0010" + "x".repeat(14_191);
    const bytes = `$EOF:${mark}\r\n${rdb}${mark}`;
    expect(packetLabel(bytes, "rdb")).toBe("RDB 14.2 kB");
    expect(packetKind(bytes, "rdb")).toBe("rdb");
  });

  it("sizes an RDB sent from disk by its bulk length", () => {
    const rdb = "REDIS0010" + "x".repeat(250);
    expect(packetLabel(`$${rdb.length}\r\n${rdb}`)).toBe("RDB 259 B");
  });

  it("labels the +FULLRESYNC and the snapshot that follow each other", () => {
    const mark = "b".repeat(40);
    const bytes = `+FULLRESYNC ${REPLID} 0\r\n$EOF:${mark}\r\nREDIS0010${mark}`;
    expect(packetLabel(bytes)).toBe("+FULLRESYNC 8f…a1 0 + RDB 9 B");
    expect(packetKind(bytes)).toBe("rdb");
  });

  it("labels replies, errors and the keepalive newline", () => {
    expect(packetLabel("+PONG\r\n")).toBe("+PONG");
    expect(packetKind("+OK\r\n")).toBe("reply");
    expect(packetLabel("-NOAUTH Authentication required.\r\n")).toBe(
      "-NOAUTH Authentication required.",
    );
    expect(packetLabel(":3\r\n")).toBe(":3");
    expect(packetLabel("\n", "keepalive")).toBe("\\n keepalive");
    expect(packetKind("\n")).toBe("keepalive");
  });

  it("quotes arguments with spaces or binary bytes and cuts long ones", () => {
    expect(packetLabel(cmd("SET", "a b", "\x00\xff"))).toBe('SET "a b" "\\x00\\xff"');
    expect(packetLabel(cmd("SET", "k", "x".repeat(100)))).toBe(`SET k ${"x".repeat(17)}…`);
  });

  it("reads the inline protocol", () => {
    expect(packetLabel("PING\r\n")).toBe("PING");
  });

  it("sizes bytes that start in the middle of a frame", () => {
    expect(packetLabel("x".repeat(16_384), "rdb")).toBe("RDB 16.4 kB");
    expect(packetLabel("\x00\x01\x02")).toBe("3 B");
    expect(packetKind("\x00\x01\x02")).toBe("data");
    expect(packetLabel(cmd("SET", "k", "v").slice(0, 10))).toBe("10 B");
  });
});

describe("commandCount", () => {
  it("counts whole commands at the start of a chunk, and stops at anything else", () => {
    const set = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n";
    expect(commandCount(set + set)).toBe(2);
    expect(commandCount(`${set}*3\r\n$3\r\nSET`)).toBe(1);
    expect(commandCount("+OK\r\n")).toBe(0);
    expect(commandCount("$100\r\nREDIS0011")).toBe(0);
  });
});
