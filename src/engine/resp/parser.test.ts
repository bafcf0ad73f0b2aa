import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ByteString } from "../bytes";
import type { Reply } from "../reply";
import { array, bulk, error, integer, NIL, NIL_ARRAY, OK } from "../reply";
import { encodeCommand, encodeReply } from "./encode";
import {
  PROTO_INLINE_MAX_SIZE,
  RequestParser,
  type RequestParseResult,
  type ReplyParseResult,
  ReplyParser,
  type RequestParserOptions,
  splitArgs,
  string2ll,
} from "./parser";

const ALL_BYTES = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join("");

/** Feeds `chunks` one at a time, draining the parser after each. */
function parseRequests(chunks: readonly ByteString[], options: RequestParserOptions = {}) {
  const parser = new RequestParser(options);
  const results: Exclude<RequestParseResult, undefined>[] = [];
  for (const chunk of chunks) {
    parser.feed(chunk);
    for (let r = parser.next(); r !== undefined; r = parser.next()) {
      results.push(r);
      if ("error" in r) return { results, parser };
    }
  }
  return { results, parser };
}

function parseReplies(chunks: readonly ByteString[]) {
  const parser = new ReplyParser();
  const results: Exclude<ReplyParseResult, undefined>[] = [];
  for (const chunk of chunks) {
    parser.feed(chunk);
    for (let r = parser.next(); r !== undefined; r = parser.next()) {
      results.push(r);
      if ("error" in r) return { results, parser };
    }
  }
  return { results, parser };
}

/** Splits `bytes` at the given (unsorted, possibly repeated) positions. */
function splitAt(bytes: ByteString, cuts: readonly number[]): ByteString[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: ByteString[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(bytes.slice(from, p));
    from = p;
  }
  chunks.push(bytes.slice(from));
  return chunks;
}

const bytesOf = (s: ByteString) => s.split("");

const byteString = (maxLength: number) =>
  fc.uint8Array({ maxLength }).map((bytes) => String.fromCharCode(...bytes));

describe("RequestParser", () => {
  const stream =
    encodeCommand(["SELECT", "0"]) +
    encodeCommand(["SET", "k", "v"]) +
    "\n" +
    encodeCommand(["ping"]) +
    "PING\r\n" +
    encodeCommand(["SET", "k1", "v\r\n1"]) +
    "*0\r\n" +
    encodeCommand(["REPLCONF", "GETACK", "*"]);
  const expected = [
    { argv: ["SELECT", "0"], bytes: 23, inline: false },
    { argv: ["SET", "k", "v"], bytes: 27, inline: false },
    { argv: ["ping"], bytes: 1 + 14, inline: false },
    { argv: ["PING"], bytes: 6, inline: true },
    { argv: ["SET", "k1", "v\r\n1"], bytes: 31, inline: false },
    { argv: ["REPLCONF", "GETACK", "*"], bytes: 4 + 37, inline: false },
  ];

  it("parses a stream of commands with the bytes each occupied", () => {
    const { results, parser } = parseRequests([stream]);
    expect(results).toEqual(expected);
    expect(parser.pending).toBe(0);
    expect(expected.reduce((sum, c) => sum + c.bytes, 0)).toBe(stream.length);
  });

  it("gives the same commands and byte counts for every split into two chunks", () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      expect(parseRequests([stream.slice(0, cut), stream.slice(cut)]).results).toEqual(expected);
    }
  });

  it("gives the same commands and byte counts when fed byte by byte", () => {
    expect(parseRequests(bytesOf(stream)).results).toEqual(expected);
  });

  it("gives the same commands and byte counts for any random split", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 20 }), (cuts) => {
        expect(parseRequests(splitAt(stream, cuts)).results).toEqual(expected);
      }),
    );
  });

  it("round-trips any commands, split anywhere", () => {
    const argvs = fc.array(fc.array(byteString(20), { minLength: 1, maxLength: 6 }), {
      maxLength: 8,
    });
    fc.assert(
      fc.property(argvs, fc.array(fc.nat(), { maxLength: 30 }), (commands, cuts) => {
        const bytes = commands.map(encodeCommand).join("");
        const { results, parser } = parseRequests(splitAt(bytes, cuts));
        expect(results).toEqual(
          commands.map((argv) => ({ argv, bytes: encodeCommand(argv).length, inline: false })),
        );
        expect(parser.pending).toBe(0);
      }),
    );
  });

  it("is binary safe: arguments may hold all 256 byte values, CRLF and NUL included", () => {
    const argv = ["SET", ALL_BYTES, ALL_BYTES + ALL_BYTES];
    const bytes = encodeCommand(argv);
    expect(parseRequests([bytes]).results).toEqual([{ argv, bytes: bytes.length, inline: false }]);
    expect(parseRequests(bytesOf(bytes)).results).toEqual([
      { argv, bytes: bytes.length, inline: false },
    ]);
  });

  it("reports what is buffered but not yet a whole command as pending", () => {
    const parser = new RequestParser();
    const set = encodeCommand(["SET", "k", "v"]);
    parser.feed(set + set.slice(0, 10));
    expect(parser.next()).toEqual({ argv: ["SET", "k", "v"], bytes: 27, inline: false });
    expect(parser.next()).toBeUndefined();
    expect(parser.pending).toBe(10);
    parser.feed(set.slice(10));
    expect(parser.next()).toEqual({ argv: ["SET", "k", "v"], bytes: 27, inline: false });
    expect(parser.pending).toBe(0);
  });

  describe("keep-alive newlines", () => {
    it("skips an empty line and counts its bytes in the next command", () => {
      for (const blank of ["\n", "\r\n", "\n\n\r\n"]) {
        const { results, parser } = parseRequests([blank + encodeCommand(["ping"])]);
        expect(results).toEqual([{ argv: ["ping"], bytes: blank.length + 14, inline: false }]);
        expect(parser.blankLines).toBe(blank.split("\n").length - 1);
      }
    });

    it("holds a trailing newline as pending until a command follows", () => {
      const parser = new RequestParser();
      parser.feed("\n");
      expect(parser.next()).toBeUndefined();
      expect(parser.pending).toBe(1);
      expect(parser.blankLines).toBe(1);
      parser.feed(encodeCommand(["ping"]));
      expect(parser.next()).toEqual({ argv: ["ping"], bytes: 15, inline: false });
      expect(parser.pending).toBe(0);
    });

    it("treats *0, *-1 and blank-only lines as empty requests too", () => {
      const { results, parser } = parseRequests(["*0\r\n*-1\r\n   \r\n" + encodeCommand(["EXEC"])]);
      expect(results).toEqual([{ argv: ["EXEC"], bytes: 4 + 5 + 5 + 14, inline: false }]);
      expect(parser.blankLines).toBe(0);
    });

    it("accepts a lone newline on a master link", () => {
      const { results } = parseRequests(["\n", encodeCommand(["ping"])], { master: true });
      expect(results).toEqual([{ argv: ["ping"], bytes: 15, inline: false }]);
    });
  });

  describe("inline commands", () => {
    it("splits on blanks and ends at LF or CRLF", () => {
      expect(parseRequests(["SET k v\r\nGET   k\n"]).results).toEqual([
        { argv: ["SET", "k", "v"], bytes: 9, inline: true },
        { argv: ["GET", "k"], bytes: 8, inline: true },
      ]);
    });

    it("understands double and single quotes as sdssplitargs does", () => {
      expect(parseRequests(['SET "a b" \'c\\\'d\' "\\x41\\n\\t\\\\\\"" ""\r\n']).results).toEqual([
        { argv: ["SET", "a b", "c'd", 'A\n\t\\"', ""], bytes: 36, inline: true },
      ]);
    });

    it("refuses unbalanced quotes", () => {
      for (const line of ['SET "a b\r\n', "SET 'a\r\n", 'SET "a"b\r\n']) {
        expect(parseRequests([line]).results).toEqual([
          {
            error: "Protocol error: unbalanced quotes in request",
            reason: "unbalanced quotes in inline request",
          },
        ]);
      }
    });

    it("waits for the end of a line holding a NUL byte, as strchr stops there", () => {
      const { results, parser } = parseRequests(["PING\0x\n"]);
      expect(results).toEqual([]);
      expect(parser.pending).toBe(7);
    });

    it("refuses inline commands from a master", () => {
      expect(parseRequests(["PING\r\n"], { master: true }).results).toEqual([
        {
          error: "Master using the inline protocol. Desync?",
          reason: "Master using the inline protocol. Desync?",
        },
      ]);
    });
  });

  describe("protocol errors", () => {
    const cases: [string, ByteString, string, string][] = [
      [
        "a non-numeric count",
        "*abc\r\n",
        "Protocol error: invalid multibulk length",
        "invalid mbulk count",
      ],
      [
        "a count with a plus sign",
        "*+1\r\n",
        "Protocol error: invalid multibulk length",
        "invalid mbulk count",
      ],
      [
        "an empty count",
        "*\r\n",
        "Protocol error: invalid multibulk length",
        "invalid mbulk count",
      ],
      [
        "a count over INT_MAX",
        "*2147483648\r\n",
        "Protocol error: invalid multibulk length",
        "invalid mbulk count",
      ],
      [
        "a bulk without $",
        "*1\r\nX3\r\n",
        "Protocol error: expected '$', got 'X'",
        "expected $ but got something else",
      ],
      [
        "an empty bulk header",
        "*1\r\n\r\n",
        "Protocol error: expected '$', got ' '",
        "expected $ but got something else",
      ],
      [
        "a negative bulk length",
        "*1\r\n$-1\r\n",
        "Protocol error: invalid bulk length",
        "invalid bulk length",
      ],
      [
        "a bulk length with a leading zero",
        "*1\r\n$03\r\n",
        "Protocol error: invalid bulk length",
        "invalid bulk length",
      ],
      [
        "a bulk over 512 MB",
        "*1\r\n$536870913\r\n",
        "Protocol error: invalid bulk length",
        "invalid bulk length",
      ],
    ];

    it.each(cases)("refuses %s", (_name, bytes, error, reason) => {
      expect(parseRequests([bytes]).results).toEqual([{ error, reason }]);
      expect(parseRequests(bytesOf(bytes)).results).toEqual([{ error, reason }]);
    });

    it("lets a master send bulks over proto-max-bulk-len", () => {
      const { results } = parseRequests(["*1\r\n$536870913\r\n"], { master: true });
      expect(results).toEqual([]);
    });

    it("refuses a count line with no CR once more than 64 KB are buffered", () => {
      const parser = new RequestParser();
      parser.feed("*" + "1".repeat(PROTO_INLINE_MAX_SIZE - 1));
      expect(parser.next()).toBeUndefined();
      parser.feed("1");
      expect(parser.next()).toEqual({
        error: "Protocol error: too big mbulk count string",
        reason: "too big mbulk count string",
      });
    });

    it("refuses a bulk length line with no CR once more than 64 KB are buffered", () => {
      const parser = new RequestParser();
      parser.feed("*1\r\n$" + "1".repeat(PROTO_INLINE_MAX_SIZE - 1));
      expect(parser.next()).toBeUndefined();
      parser.feed("1");
      expect(parser.next()).toEqual({
        error: "Protocol error: too big bulk count string",
        reason: "too big bulk count string",
      });
    });

    it("refuses an inline line with no newline once more than 64 KB are buffered", () => {
      const parser = new RequestParser();
      for (let i = 0; i < PROTO_INLINE_MAX_SIZE; i += 1024) parser.feed("a".repeat(1024));
      expect(parser.next()).toBeUndefined();
      parser.feed("a");
      expect(parser.next()).toEqual({
        error: "Protocol error: too big inline request",
        reason: "too big inline request",
      });
    });

    it("refuses a 64 KB+ line the same way however it is chunked", () => {
      const line = "a".repeat(PROTO_INLINE_MAX_SIZE + 10) + "\n";
      const error = {
        error: "Protocol error: too big inline request",
        reason: "too big inline request",
      };
      expect(parseRequests([line]).results).toEqual([error]);
      expect(parseRequests(splitAt(line, [1000, 40000, 65537])).results).toEqual([error]);
    });

    it("keeps answering the same error after one, as the connection is closing", () => {
      const parser = new RequestParser();
      parser.feed("*x\r\n" + encodeCommand(["ping"]));
      const first = parser.next();
      expect(first).toEqual({
        error: "Protocol error: invalid multibulk length",
        reason: "invalid mbulk count",
      });
      expect(parser.next()).toBe(first);
    });

    it("reports commands before the error first", () => {
      const { results } = parseRequests([encodeCommand(["ping"]) + "*1\r\n!\r\n"]);
      expect(results).toEqual([
        { argv: ["ping"], bytes: 14, inline: false },
        {
          error: "Protocol error: expected '$', got '!'",
          reason: "expected $ but got something else",
        },
      ]);
    });
  });

  it("parses a large stream fed in 16 KB chunks", () => {
    const one = encodeCommand(["SET", "key:000000", "value-value-value"]);
    const count = 50_000;
    const stream = one.repeat(count);
    const parser = new RequestParser();
    let parsed = 0;
    let bytes = 0;
    for (let i = 0; i < stream.length; i += 16 * 1024) {
      parser.feed(stream.slice(i, i + 16 * 1024));
      for (let r = parser.next(); r !== undefined; r = parser.next()) {
        if ("error" in r) throw new Error(r.error);
        parsed++;
        bytes += r.bytes;
      }
    }
    expect(parsed).toBe(count);
    expect(bytes).toBe(stream.length);
  });

  it("parses a 64 MB argument arriving in 64 KB chunks", () => {
    const value = "x".repeat(64 * 1024 * 1024);
    const bytes = encodeCommand(["SET", "big", value]);
    const parser = new RequestParser({ master: true });
    let result: RequestParseResult;
    for (let i = 0; i < bytes.length; i += 64 * 1024) {
      parser.feed(bytes.slice(i, i + 64 * 1024));
      result = parser.next();
      if (result !== undefined) break;
    }
    expect(result).toBeDefined();
    if (result === undefined || "error" in result) throw new Error("no command");
    expect(result.bytes).toBe(bytes.length);
    expect(result.argv[2]?.length).toBe(value.length);
  });
});

describe("splitArgs", () => {
  it("splits like sdssplitargs", () => {
    expect(splitArgs("")).toEqual([]);
    expect(splitArgs("  \t ")).toEqual([]);
    expect(splitArgs("a  b\tc")).toEqual(["a", "b", "c"]);
    expect(splitArgs('ab"c d"e')).toBeUndefined();
    expect(splitArgs('ab"c d" e')).toEqual(["abc d", "e"]);
    expect(splitArgs('"\\x4"')).toEqual(["x4"]);
    expect(splitArgs('"\\xff\\q"')).toEqual(["\xffq"]);
    expect(splitArgs("'a\\nb'")).toEqual(["a\\nb"]);
    expect(splitArgs("\x0ba\x0c")).toEqual(["a\x0c"]);
  });
});

describe("string2ll", () => {
  it("accepts only what Redis's string2ll accepts", () => {
    expect(string2ll("0")).toBe(0);
    expect(string2ll("-12")).toBe(-12);
    expect(string2ll("9223372036854775807")).toBe(2 ** 63);
    expect(string2ll("-9223372036854775808")).toBe(-(2 ** 63));
    for (const bad of [
      "",
      "-",
      "-0",
      "01",
      "+1",
      " 1",
      "1 ",
      "1a",
      "9223372036854775808",
      "-9223372036854775809",
    ]) {
      expect(string2ll(bad)).toBeUndefined();
    }
  });
});

const simpleText = fc
  .array(
    fc.integer({ min: 0, max: 255 }).filter((b) => b !== 0x0d && b !== 0x0a),
    { maxLength: 12 },
  )
  .map((bytes) => String.fromCharCode(...bytes));

const replyArbitrary: fc.Arbitrary<Reply> = fc.letrec<{ reply: Reply }>((tie) => ({
  reply: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    simpleText.map((value): Reply => ({ type: "simple", value })),
    simpleText.map((value): Reply => ({ type: "error", value })),
    fc.maxSafeInteger().map((value): Reply => integer(value)),
    fc.option(byteString(30), { nil: null }).map((value): Reply => bulk(value)),
    fc
      .option(fc.array(tie("reply"), { maxLength: 4 }), { nil: null })
      .map((value): Reply => array(value)),
  ),
})).reply;

describe("ReplyParser", () => {
  it("parses each RESP2 reply type", () => {
    const replies = [
      OK,
      error("ERR x"),
      integer(-3),
      bulk("v\r\n"),
      NIL,
      NIL_ARRAY,
      array([]),
      array([bulk("a"), array([integer(1), NIL])]),
    ];
    const { results } = parseReplies([replies.map(encodeReply).join("")]);
    expect(results).toEqual(replies.map((reply) => ({ reply, bytes: encodeReply(reply).length })));
  });

  it("round-trips encodeReply for any replies, split anywhere", () => {
    fc.assert(
      fc.property(
        fc.array(replyArbitrary, { maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (replies, cuts) => {
          const bytes = replies.map(encodeReply).join("");
          const { results, parser } = parseReplies(splitAt(bytes, cuts));
          expect(results).toEqual(
            replies.map((reply) => ({ reply, bytes: encodeReply(reply).length })),
          );
          expect(parser.pending).toBe(0);
        },
      ),
    );
  });

  it("gives the same replies fed byte by byte", () => {
    const reply = array([bulk(ALL_BYTES), array([OK, NIL_ARRAY, integer(7)]), NIL]);
    const bytes = encodeReply(reply);
    expect(parseReplies(bytesOf(bytes)).results).toEqual([{ reply, bytes: bytes.length }]);
  });

  it("counts a partly received array as pending", () => {
    const parser = new ReplyParser();
    parser.feed("*2\r\n$1\r\na\r\n");
    expect(parser.next()).toBeUndefined();
    expect(parser.pending).toBe(11);
    parser.feed(":1\r\n");
    expect(parser.next()).toEqual({ reply: array([bulk("a"), integer(1)]), bytes: 15 });
    expect(parser.pending).toBe(0);
  });

  it.each([
    ["!oops\r\n", 'Protocol error, got "!" as reply type byte'],
    ["\x00\r\n", 'Protocol error, got "\\x00" as reply type byte'],
    [":12a\r\n", "Bad integer value"],
    ["$x\r\n", "Bad bulk string length"],
    ["$-2\r\n", "Bulk string length out of range"],
    ["*x\r\n", "Bad multi-bulk length"],
    ["*-2\r\n", "Multi-bulk length out of range"],
  ])("refuses %j with hiredis's message", (bytes, error) => {
    expect(parseReplies([bytes]).results).toEqual([{ error }]);
  });
});
