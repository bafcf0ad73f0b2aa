import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { array, bulk, error, integer, NIL, NIL_ARRAY, EMPTY_ARRAY, OK } from "../reply";
import { commandLength, encodeCommand, encodeReply } from "./encode";

const byteString = fc.uint8Array({ maxLength: 40 }).map((bytes) => String.fromCharCode(...bytes));

describe("encodeCommand", () => {
  it("writes SET k v as the 27 bytes the fact sheet shows", () => {
    const bytes = encodeCommand(["SET", "k", "v"]);
    expect(bytes).toBe("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
    expect(bytes.length).toBe(27);
  });

  it.each([
    [["SET", "k", "v"], 27],
    [["SET", "key", "value"], 33],
    [["SELECT", "0"], 23],
    [["SELECT", "9"], 23],
    [["SELECT", "10"], 24],
    [["SELECT", "99"], 24],
    [["ping"], 14],
    [["REPLCONF", "GETACK", "*"], 37],
    [["MULTI"], 15],
    [["EXEC"], 14],
    [["INCR", "x"], 21],
    [["DEL", "k"], 20],
    [["UNLINK", "k"], 23],
    [["SET", "k1", "v1"], 29],
    [["PEXPIREAT", "k", "1700000000000"], 46],
    [["SET", "k", "v", "PXAT", "1700000000000"], 57],
    [["SET", "k", "1.1", "KEEPTTL"], 42],
    [["PUBLISH", "ch", "msg"], 34],
  ])("encodes %j in %i bytes, and commandLength agrees", (argv, length) => {
    expect(encodeCommand(argv).length).toBe(length);
    expect(commandLength(argv)).toBe(length);
  });

  it("counts bytes, not characters, so an argument of all 256 byte values is 256 long", () => {
    const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join("");
    const bytes = encodeCommand(["SET", "k", all]);
    expect(bytes).toContain("$256\r\n");
    expect(bytes.length).toBe(commandLength(["SET", "k", all]));
  });

  it("commandLength matches the encoded length for any argv", () => {
    fc.assert(
      fc.property(fc.array(byteString, { maxLength: 12 }), (argv) => {
        expect(commandLength(argv)).toBe(encodeCommand(argv).length);
      }),
    );
  });

  it("commandLength handles argument lengths across digit boundaries", () => {
    for (const length of [0, 9, 10, 99, 100, 999, 1000, 10000]) {
      const argv = ["SET", "k", "x".repeat(length)];
      expect(commandLength(argv)).toBe(encodeCommand(argv).length);
    }
  });
});

describe("encodeReply", () => {
  it("writes each RESP2 reply type", () => {
    expect(encodeReply(OK)).toBe("+OK\r\n");
    expect(encodeReply(error("ERR x"))).toBe("-ERR x\r\n");
    expect(encodeReply(integer(1))).toBe(":1\r\n");
    expect(encodeReply(integer(-42))).toBe(":-42\r\n");
    expect(encodeReply(bulk("v1"))).toBe("$2\r\nv1\r\n");
    expect(encodeReply(bulk(""))).toBe("$0\r\n\r\n");
    expect(encodeReply(NIL)).toBe("$-1\r\n");
    expect(encodeReply(NIL_ARRAY)).toBe("*-1\r\n");
    expect(encodeReply(EMPTY_ARRAY)).toBe("*0\r\n");
  });

  it("writes nested arrays depth first", () => {
    const reply = array([bulk("a"), array([integer(1), NIL]), NIL_ARRAY]);
    expect(encodeReply(reply)).toBe("*3\r\n$1\r\na\r\n*2\r\n:1\r\n$-1\r\n*-1\r\n");
  });

  it("prints integers beyond 2^53 in decimal, never in exponent notation", () => {
    expect(encodeReply(integer(2 ** 63))).toBe(":9223372036854775808\r\n");
    expect(encodeReply(integer(-(2 ** 60)))).toBe(":-1152921504606846976\r\n");
  });
});
