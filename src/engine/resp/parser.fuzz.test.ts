import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ByteString } from "../bytes";
import { encodeCommand } from "./encode";
import {
  type ParsedCommand,
  type ParsedReply,
  type ProtocolError,
  type ReplyProtocolError,
  ReplyParser,
  RequestParser,
  type RequestParserOptions,
} from "./parser";
import { formatReply } from "./redisCli";

/*
 * Hostile input: whatever bytes arrive, split however the network splits
 * them, the parsers return commands (or replies) or one protocol error worded
 * as Redis (or hiredis) words it, never throw, and give the same result for
 * every split. The well-formed cases live in parser.test.ts.
 */

/** Every error `processInlineBuffer` / `processMultibulkBuffer` (7.0 networking.c) replies with. */
const REQUEST_ERRORS: readonly RegExp[] = [
  /^Protocol error: invalid multibulk length$/,
  /^Protocol error: invalid bulk length$/,
  /^Protocol error: expected '\$', got '[^\r\n\0]'$/,
  /^Protocol error: too big mbulk count string$/,
  /^Protocol error: too big bulk count string$/,
  /^Protocol error: too big inline request$/,
  /^Protocol error: unbalanced quotes in request$/,
];
/** What a master link additionally refuses (logged, not replied). */
const MASTER_ERRORS: readonly RegExp[] = [/^Master using the inline protocol\. Desync\?$/];

/** hiredis `read.c`: the reader errors redis-cli and a replica's master link can hit. */
const REPLY_ERRORS: readonly RegExp[] = [
  /^Bad integer value$/,
  /^Bad bulk string length$/,
  /^Bulk string length out of range$/,
  /^Bad multi-bulk length$/,
  /^Multi-bulk length out of range$/,
  /^Protocol error, got "(\\x[0-9a-f]{2}|\\[\\"nrtab]|[\x20-\x7e])" as reply type byte$/,
];

/** Any bytes, one per code unit. */
const rawBytes = (maxLength: number) =>
  fc.uint8Array({ maxLength }).map((bytes) => String.fromCharCode(...bytes));

/** Pieces RESP is made of, so random streams reach deep into the parsers. */
const RESP_PIECES = [
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
  "2",
  "3",
  "-1",
  "-2",
  "01",
  "+1",
  "2147483647",
  "2147483648",
  "536870912",
  "536870913",
  "9223372036854775808",
  " ",
  "\t",
  '"',
  "'",
  "\\",
  "\\x4",
  "\\x41",
  "PING",
  "SET",
  "k",
  "v",
  encodeCommand(["PING"]),
  encodeCommand(["SET", "k", "v"]),
  "*1\r\n$4\r\nPING\r\n",
  "*2\r\n",
  "$3\r\n",
  "*-1\r\n",
  "*0\r\n",
  "$-1\r\n",
];

/** Streams of RESP pieces and raw bytes: mostly almost-RESP, sometimes noise. */
const hostileStream = fc
  .array(fc.oneof(fc.constantFrom(...RESP_PIECES), rawBytes(6)), { maxLength: 40 })
  .map((parts) => parts.join(""));

/** Cut positions: a stream is split at each (modulo its length). */
const cuts = fc.array(fc.nat(), { maxLength: 12 });

function splitAt(bytes: ByteString, positions: readonly number[]): ByteString[] {
  const points = [...new Set(positions.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: ByteString[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(bytes.slice(from, p));
    from = p;
  }
  chunks.push(bytes.slice(from));
  return chunks;
}

/** Feeds the chunks in order, draining after each; stops at the first error, as Redis closes the link. */
function requests(chunks: readonly ByteString[], options: RequestParserOptions = {}) {
  const parser = new RequestParser(options);
  const results: (ParsedCommand | ProtocolError)[] = [];
  for (const chunk of chunks) {
    parser.feed(chunk);
    for (let r = parser.next(); r !== undefined; r = parser.next()) {
      results.push(r);
      // What is left after an error depends on where the chunk ended: Redis drops it unread.
      if ("error" in r) return { results, pending: null };
    }
  }
  return { results, pending: parser.pending };
}

function replies(chunks: readonly ByteString[]) {
  const parser = new ReplyParser();
  const results: (ParsedReply | ReplyProtocolError)[] = [];
  for (const chunk of chunks) {
    parser.feed(chunk);
    for (let r = parser.next(); r !== undefined; r = parser.next()) {
      results.push(r);
      // What is left after an error depends on where the chunk ended: Redis drops it unread.
      if ("error" in r) return { results, pending: null };
    }
  }
  return { results, pending: parser.pending };
}

function expectWorded(error: string, allowed: readonly RegExp[]): void {
  expect(
    allowed.some((re) => re.test(error)),
    `unexpected error text: ${JSON.stringify(error)}`,
  ).toBe(true);
}

describe("RequestParser on hostile input", () => {
  for (const [who, options, allowed] of [
    ["a client", {}, REQUEST_ERRORS],
    ["a master link", { master: true }, [...REQUEST_ERRORS, ...MASTER_ERRORS]],
  ] as const) {
    describe(`from ${who}`, () => {
      it("returns commands or one protocol error worded as Redis words it, never throwing", () => {
        fc.assert(
          fc.property(fc.oneof(hostileStream, rawBytes(200)), (stream) => {
            const { results } = requests([stream], options);
            results.forEach((r, i) => {
              if ("error" in r) {
                expectWorded(r.error, allowed);
                expect(i).toBe(results.length - 1);
              } else {
                expect(r.argv.length).toBeGreaterThan(0);
                expect(r.bytes).toBeGreaterThan(0);
              }
            });
          }),
          { numRuns: 2000 },
        );
      }, 30_000);

      it("gives the same commands and the same error whatever the split", () => {
        fc.assert(
          fc.property(hostileStream, cuts, (stream, positions) => {
            const whole = requests([stream], options);
            expect(requests(splitAt(stream, positions), options)).toEqual(whole);
          }),
          { numRuns: 1000 },
        );
      }, 30_000);

      it("gives the same result fed byte by byte", () => {
        fc.assert(
          fc.property(hostileStream, (stream) => {
            expect(requests(stream.split(""), options)).toEqual(requests([stream], options));
          }),
          { numRuns: 300 },
        );
      }, 30_000);

      it("accounts for every byte: the commands' bytes plus what is pending make the stream", () => {
        fc.assert(
          fc.property(hostileStream, cuts, (stream, positions) => {
            const { results, pending } = requests(splitAt(stream, positions), options);
            if (pending === null) return;
            const used = results.reduce((sum, r) => sum + ("bytes" in r ? r.bytes : 0), 0);
            expect(used + pending).toBe(stream.length);
          }),
          { numRuns: 1000 },
        );
      }, 30_000);
    });
  }

  it("keeps waiting on a line that holds a NUL when it arrives byte by byte (strchr stops there)", () => {
    // Found by the split property: the search used to restart past the NUL on the next chunk.
    for (const options of [{}, { master: true }]) {
      expect(requests("\0PING\r\n".split(""), options)).toEqual({ results: [], pending: 7 });
      expect(requests(["\0*-1", "\r\n"], options)).toEqual({ results: [], pending: 6 });
    }
  });

  it("parses well-formed commands sent before garbage exactly as without it", () => {
    const argvs = fc.array(fc.array(rawBytes(10), { minLength: 1, maxLength: 4 }), {
      maxLength: 5,
    });
    fc.assert(
      fc.property(argvs, hostileStream, cuts, (commands, garbage, positions) => {
        const good = commands.map(encodeCommand).join("");
        const { results } = requests(splitAt(good + garbage, positions));
        expect(results.slice(0, commands.length)).toEqual(
          commands.map((argv) => ({ argv, bytes: encodeCommand(argv).length, inline: false })),
        );
      }),
      { numRuns: 500 },
    );
  }, 30_000);
});

describe("ReplyParser on hostile input", () => {
  it("returns replies or one error worded as hiredis words it, never throwing", () => {
    fc.assert(
      fc.property(fc.oneof(hostileStream, rawBytes(200)), (stream) => {
        const { results } = replies([stream]);
        results.forEach((r, i) => {
          if ("error" in r) {
            expectWorded(r.error, REPLY_ERRORS);
            expect(i).toBe(results.length - 1);
          }
        });
      }),
      { numRuns: 2000 },
    );
  }, 30_000);

  it("gives the same replies and the same error whatever the split", () => {
    fc.assert(
      fc.property(hostileStream, cuts, (stream, positions) => {
        expect(replies(splitAt(stream, positions))).toEqual(replies([stream]));
      }),
      { numRuns: 1000 },
    );
  }, 30_000);

  it("accounts for every byte: the replies' bytes plus what is pending make the stream", () => {
    fc.assert(
      fc.property(hostileStream, cuts, (stream, positions) => {
        const { results, pending } = replies(splitAt(stream, positions));
        if (pending === null) return;
        const used = results.reduce((sum, r) => sum + ("bytes" in r ? r.bytes : 0), 0);
        expect(used + pending).toBe(stream.length);
      }),
      { numRuns: 1000 },
    );
  }, 30_000);

  it("hands redis-cli only replies it can print", () => {
    fc.assert(
      fc.property(hostileStream, (stream) => {
        for (const r of replies([stream]).results) {
          if ("reply" in r) expect(typeof formatReply(r.reply)).toBe("string");
        }
      }),
      { numRuns: 1000 },
    );
  }, 30_000);
});
