import type { ByteString } from "../bytes";
import type { Reply } from "../reply";
import { ByteQueue } from "./byteQueue";
import { reprByte } from "./repr";

/**
 * Streaming RESP parsers. Both accept the stream split anywhere: feeding it
 * whole, in random chunks or byte by byte yields the same results with the
 * same byte counts.
 */

/** `PROTO_INLINE_MAX_SIZE`: the longest header or inline line Redis waits for. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
/** `proto-max-bulk-len` default (512 MB). */
export const DEFAULT_PROTO_MAX_BULK_LEN = 512 * 1024 * 1024;
const INT_MAX = 2147483647;
/** Below V8's shortest sliced string (13), `slice` copies: the longest command name worth keeping. */
const MAX_KEPT_NAME = 12;
/** The longest argument given a string of its own rather than a slice of the read buffer (see `ownArgument`). */
const MAX_COPIED_ARGUMENT = 32;

const NUL = 0x00;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const DQUOTE = 0x22;
const DOLLAR = 0x24;
const SQUOTE = 0x27;
const STAR = 0x2a;
const BACKSLASH = 0x5c;

/** One request, ready to execute. */
export interface ParsedCommand {
  readonly argv: ByteString[];
  /**
   * Stream bytes this request occupied, plus any empty requests just before
   * it (blank lines, `*0`, `*-1`). That is how far `c->reploff` moves when
   * Redis executes it, so summing `bytes` over a master link gives the
   * replica's offset.
   */
  readonly bytes: number;
  /** Sent as an inline line rather than a multibulk. */
  readonly inline: boolean;
}

/** A request Redis refuses; it replies `-ERR <error>` (never to a master) and closes the connection. */
export interface ProtocolError {
  /** The reply text after `-ERR `, worded as networking.c words it. */
  readonly error: string;
  /** What `setProtocolError` logs: `Protocol error (<reason>) from client: ...`. */
  readonly reason: string;
}

export type RequestParseResult = ParsedCommand | ProtocolError | undefined;

export interface RequestParserOptions {
  /**
   * The connection is a replica's link to its master (`CLIENT_MASTER`): bulk
   * lengths are not limited by `proto-max-bulk-len`, and an inline request
   * other than an empty keep-alive line is a protocol error.
   */
  readonly master?: boolean;
  readonly protoMaxBulkLen?: number;
}

/**
 * What a Redis server reads from a connection (`processInputBuffer`,
 * `processMultibulkBuffer`, `processInlineBuffer` in 7.0 networking.c).
 * Call `feed` with received bytes, then `next` until it returns undefined.
 * After a protocol error every call returns the same error: Redis closes the
 * connection.
 *
 * Where Redis's behaviour depends on how reads happened to be chunked, this
 * parser behaves as if bytes arrived one at a time, so results never depend
 * on chunking: a header or inline line must end within the first
 * `PROTO_INLINE_MAX_SIZE + 1` bytes or it is "too big".
 */
export class RequestParser {
  private readonly queue = new ByteQueue();
  private readonly master: boolean;
  private readonly protoMaxBulkLen: number;
  /** Arguments still to read in the current multibulk; 0 between requests. */
  private multibulkLen = 0;
  /** Length of the bulk argument being read, or -1 when its header is next. */
  private bulkLen = -1;
  private argv: ByteString[] = [];
  /** Bytes of the request in progress already taken from the queue. */
  private partialBytes = 0;
  /** Bytes of empty requests not yet attributed to a command. */
  private skippedBytes = 0;
  /** Bytes at the queue head already searched for a line terminator in vain. */
  private scannedBytes = 0;
  private blankLineCount = 0;
  private failure: ProtocolError | undefined;
  /** The first argument of the last request read whole (see `commandName`). */
  private lastName: ByteString = "";

  constructor(options: RequestParserOptions = {}) {
    this.master = options.master ?? false;
    this.protoMaxBulkLen = options.protoMaxBulkLen ?? DEFAULT_PROTO_MAX_BULK_LEN;
  }

  /** Appends bytes read from the connection. */
  feed(bytes: ByteString): void {
    this.queue.append(bytes);
  }

  /** Bytes fed but not yet part of a returned command. */
  get pending(): number {
    return this.queue.available + this.partialBytes + this.skippedBytes;
  }

  /**
   * Empty inline lines seen so far (`\n` or `\r\n`). A master refreshes a
   * replica's `repl_ack_time` on each: replicas send `\n` while loading.
   */
  get blankLines(): number {
    return this.blankLineCount;
  }

  /** The next whole command, undefined if more bytes are needed, or the protocol error. */
  next(): RequestParseResult {
    if (this.failure !== undefined) return this.failure;
    const q = this.queue;
    for (;;) {
      if (this.multibulkLen === 0) {
        if (q.available === 0) return undefined;
        if (q.byteAt(0) !== STAR) {
          const inline = this.inlineRequest();
          if (inline === "empty") continue;
          return inline;
        }
        const whole = this.wholeMultibulk();
        if (whole !== undefined) return whole;
        const header = this.multibulkHeader();
        if (header === "empty") continue;
        if (header !== "ok") return header;
      }
      while (this.multibulkLen > 0) {
        if (this.bulkLen === -1) {
          const header = this.bulkHeader();
          if (header !== "ok") return header;
        }
        if (q.available < this.bulkLen + 2) return undefined;
        const length = this.bulkLen;
        const arg = q.take(length);
        this.argv.push(
          length > MAX_KEPT_NAME && length <= MAX_COPIED_ARGUMENT
            ? ownArgument(arg, 0, length)
            : arg,
        );
        this.partialBytes += this.bulkLen;
        this.consume(2); // the CRLF; like Redis, not checked
        this.bulkLen = -1;
        this.multibulkLen--;
      }
      return this.complete(this.argv, false);
    }
  }

  /**
   * The common case in one pass: a whole multibulk request at the queue head
   * whose count and lengths are plain decimals of at most nine digits, read
   * in place without taking it piece by piece. Anything else (a request not
   * all here, a length to refuse, a malformed header) is left untouched for
   * the general path, which then finds exactly what it would have found.
   */
  private wholeMultibulk(): ParsedCommand | undefined {
    const q = this.queue;
    const buf = q.buffer;
    const start = q.start;
    const end = buf.length;
    let p = start + 1; // past the '*'
    let count = 0;
    let digits = 0;
    let c = p < end ? buf.charCodeAt(p) : -1;
    if (c < 0x31 || c > 0x39) return undefined; // no sign, no leading zero, not empty
    while (c >= 0x30 && c <= 0x39) {
      if (++digits > 9) return undefined;
      count = count * 10 + (c - 0x30);
      c = ++p < end ? buf.charCodeAt(p) : -1;
    }
    if (c !== CR) return undefined;
    p += 2; // CR and the byte after it, which Redis does not check either
    // Sized up front: growing an empty array reserves room for 17.
    const argv: ByteString[] = count <= 64 ? new Array<ByteString>(count) : [];
    for (let i = 0; i < count; i++) {
      if (p >= end || buf.charCodeAt(p) !== DOLLAR) return undefined;
      c = ++p < end ? buf.charCodeAt(p) : -1;
      let length = 0;
      digits = 0;
      if (c === 0x30) {
        c = ++p < end ? buf.charCodeAt(p) : -1; // "0" alone: an empty argument
      } else {
        if (c < 0x31 || c > 0x39) return undefined;
        while (c >= 0x30 && c <= 0x39) {
          if (++digits > 9) return undefined;
          length = length * 10 + (c - 0x30);
          c = ++p < end ? buf.charCodeAt(p) : -1;
        }
      }
      if (c !== CR || (!this.master && length > this.protoMaxBulkLen)) return undefined;
      p += 2;
      if (p + length + 2 > end) return undefined;
      argv[i] =
        i === 0
          ? this.commandName(buf, p, length)
          : length > MAX_KEPT_NAME && length <= MAX_COPIED_ARGUMENT
            ? ownArgument(buf, p, length)
            : buf.slice(p, p + length);
      p += length + 2;
    }
    this.queue.skip(p - start);
    this.scannedBytes = 0;
    const bytes = this.skippedBytes + (p - start);
    this.skippedBytes = 0;
    return { argv, bytes, inline: false };
  }

  /**
   * A request's first argument, `buf[p, p + length)`: the previous request's
   * string when it is the same name, as it mostly is (a stream of SETs). A
   * short slice is a copy, and a new string must be hashed again when the
   * command table looks it up.
   */
  private commandName(buf: ByteString, p: number, length: number): ByteString {
    const last = this.lastName;
    if (last.length === length && buf.startsWith(last, p)) return last;
    const name = buf.slice(p, p + length);
    // Only a short name is kept: a longer slice would keep the whole buffer alive.
    if (length <= MAX_KEPT_NAME) this.lastName = name;
    return name;
  }

  private multibulkHeader(): "ok" | "empty" | ProtocolError | undefined {
    const q = this.queue;
    const cr = this.findTerminator(CR);
    if (cr < 0) {
      if (q.available > PROTO_INLINE_MAX_SIZE) {
        return this.fail(
          "Protocol error: too big mbulk count string",
          "too big mbulk count string",
        );
      }
      return undefined;
    }
    if (cr + 2 > q.available) return undefined;
    const count = string2ll(q.peek(cr - 1, 1));
    if (count === undefined || count > INT_MAX) {
      return this.fail("Protocol error: invalid multibulk length", "invalid mbulk count");
    }
    this.consume(cr + 2);
    if (count <= 0) {
      this.skipRequest();
      return "empty";
    }
    this.multibulkLen = count;
    this.argv = [];
    return "ok";
  }

  private bulkHeader(): "ok" | ProtocolError | undefined {
    const q = this.queue;
    const cr = this.findTerminator(CR);
    if (cr < 0) {
      if (q.available > PROTO_INLINE_MAX_SIZE) {
        return this.fail("Protocol error: too big bulk count string", "too big bulk count string");
      }
      return undefined;
    }
    if (cr + 2 > q.available) return undefined;
    const first = q.byteAt(0);
    if (first !== DOLLAR) {
      // addReplyErrorFormat turns CR and LF into spaces. A NUL cannot get
      // here: the terminator search stops at one, as strchr does.
      const shown = first === CR || first === LF ? " " : String.fromCharCode(first);
      return this.fail(
        `Protocol error: expected '$', got '${shown}'`,
        "expected $ but got something else",
      );
    }
    const length = string2ll(q.peek(cr - 1, 1));
    if (length === undefined || length < 0 || (!this.master && length > this.protoMaxBulkLen)) {
      return this.fail("Protocol error: invalid bulk length", "invalid bulk length");
    }
    this.consume(cr + 2);
    this.bulkLen = length;
    return "ok";
  }

  private inlineRequest(): "empty" | ParsedCommand | ProtocolError | undefined {
    const q = this.queue;
    const newline = this.findTerminator(LF);
    if (newline < 0) {
      if (q.available > PROTO_INLINE_MAX_SIZE) {
        return this.fail("Protocol error: too big inline request", "too big inline request");
      }
      return undefined;
    }
    let queryLen = newline;
    let linefeedChars = 1;
    if (newline > 0 && q.byteAt(newline - 1) === CR) {
      queryLen--;
      linefeedChars++;
    }
    const argv = splitArgs(q.peek(queryLen));
    if (argv === undefined) {
      return this.fail(
        "Protocol error: unbalanced quotes in request",
        "unbalanced quotes in inline request",
      );
    }
    if (this.master && queryLen !== 0) {
      // Redis logs this and closes the link without replying.
      const reason = "Master using the inline protocol. Desync?";
      return this.fail(reason, reason);
    }
    if (queryLen === 0) this.blankLineCount++;
    this.consume(queryLen + linefeedChars);
    if (argv.length === 0) {
      this.skipRequest();
      return "empty";
    }
    return this.complete(argv, true);
  }

  /**
   * `strchr(querybuf + qb_pos, code)` within the first PROTO_INLINE_MAX_SIZE + 1
   * bytes: the terminator's index, or -1. Like strchr it stops at a NUL byte.
   */
  private findTerminator(code: number): number {
    const q = this.queue;
    const limit = Math.min(q.available, PROTO_INLINE_MAX_SIZE + 1);
    for (let i = this.scannedBytes; i < limit; i++) {
      const byte = q.byteAt(i);
      if (byte === code) {
        this.scannedBytes = i;
        return i;
      }
      if (byte === NUL) {
        this.scannedBytes = PROTO_INLINE_MAX_SIZE + 1;
        return -1;
      }
    }
    // Never below the mark a NUL left: later chunks must not search past it.
    this.scannedBytes = Math.max(this.scannedBytes, limit);
    return -1;
  }

  private consume(length: number): void {
    this.queue.skip(length);
    this.partialBytes += length;
    this.scannedBytes = 0;
  }

  private skipRequest(): void {
    this.skippedBytes += this.partialBytes;
    this.partialBytes = 0;
  }

  private complete(argv: ByteString[], inline: boolean): ParsedCommand {
    const bytes = this.skippedBytes + this.partialBytes;
    this.skippedBytes = 0;
    this.partialBytes = 0;
    this.argv = [];
    return { argv, bytes, inline };
  }

  private fail(error: string, reason: string): ProtocolError {
    this.failure = { error, reason };
    return this.failure;
  }
}

/**
 * One array of char codes per argument length, made full once: setting
 * `length` on one shared array makes it holey, and `fromCharCode.apply` over
 * a holey array took Chromium's slow path (a 16-byte key: 30% faster in a
 * worker with these, hashing it into a Map included).
 */
const argumentCodes: number[][] = Array.from({ length: MAX_COPIED_ARGUMENT + 1 }, (_, n) =>
  new Array<number>(n).fill(0),
);

/**
 * `buf[p, p + length)` copied into a flat string. From 13 characters on, V8's
 * `slice` makes a view into the read buffer instead; a key kept as such a view
 * keeps the whole buffer alive in the keyspace, and each dictionary lookup
 * with one hashes and compares it on V8's slow path for indirect strings.
 * Copying short arguments (keys, mostly) costs less than it saves: replicated
 * SETs with 16-byte keys ran 7 to 13% faster in one process and 5% in
 * workers (medians of alternated runs). Copying long ones (values) cost more
 * than it saved, so they stay slices.
 */
function ownArgument(buf: ByteString, p: number, length: number): ByteString {
  const codes = argumentCodes[length];
  if (codes === undefined) return buf.slice(p, p + length);
  for (let i = 0; i < length; i++) codes[i] = buf.charCodeAt(p + i);
  return String.fromCharCode.apply(null, codes);
}

/** One reply read from a server, with the bytes it occupied. */
export interface ParsedReply {
  readonly reply: Reply;
  readonly bytes: number;
}

/** A malformed reply stream, worded as hiredis (which redis-cli and replicas' clients use) words it. */
export interface ReplyProtocolError {
  readonly error: string;
}

export type ReplyParseResult = ParsedReply | ReplyProtocolError | undefined;

/** An array whose elements are still arriving. */
interface Frame {
  readonly items: Reply[];
  remaining: number;
}

/**
 * What a client reads from a server: RESP2 replies, nested arrays, null bulk
 * (`$-1`) and null array (`*-1`). Call `feed`, then `next` until undefined.
 * After a protocol error every call returns the same error.
 */
export class ReplyParser {
  private readonly queue = new ByteQueue();
  private readonly stack: Frame[] = [];
  /** Bytes of the top-level reply in progress already taken from the queue. */
  private partialBytes = 0;
  private failure: ReplyProtocolError | undefined;

  /** Appends bytes read from the connection. */
  feed(bytes: ByteString): void {
    this.queue.append(bytes);
  }

  /** Bytes fed but not yet part of a returned reply. */
  get pending(): number {
    return this.queue.available + this.partialBytes;
  }

  /** The next whole reply, undefined if more bytes are needed, or the protocol error. */
  next(): ReplyParseResult {
    if (this.failure !== undefined) return this.failure;
    for (;;) {
      const item = this.item();
      if (item === undefined || "error" in item) return item;
      let value: Reply | undefined = item.reply;
      // Attach the finished value to its parents, closing arrays it completes.
      while (value !== undefined) {
        const top = this.stack[this.stack.length - 1];
        if (top === undefined) {
          const bytes = this.partialBytes;
          this.partialBytes = 0;
          return { reply: value, bytes };
        }
        top.items.push(value);
        top.remaining--;
        if (top.remaining > 0) value = undefined;
        else {
          this.stack.pop();
          value = { type: "array", value: top.items };
        }
      }
    }
  }

  /**
   * Reads one item at the queue head. Scalars come back whole; an array
   * header pushes a frame and is reported as `{ reply: undefined }` unless
   * the array is null or empty.
   */
  private item(): { reply: Reply | undefined } | ReplyProtocolError | undefined {
    const q = this.queue;
    const cr = this.lineEnd();
    if (cr < 0) return undefined;
    const type = q.byteAt(0);
    const line = q.peek(cr - 1, 1);
    switch (type) {
      case 0x2b: // +
        this.consume(cr + 2);
        return { reply: { type: "simple", value: line } };
      case 0x2d: // -
        this.consume(cr + 2);
        return { reply: { type: "error", value: line } };
      case 0x3a: {
        // :
        const value = string2ll(line);
        if (value === undefined) return this.fail("Bad integer value");
        this.consume(cr + 2);
        return { reply: { type: "integer", value } };
      }
      case DOLLAR: {
        const length = string2ll(line);
        if (length === undefined) return this.fail("Bad bulk string length");
        if (length < -1) return this.fail("Bulk string length out of range");
        if (length === -1) {
          this.consume(cr + 2);
          return { reply: { type: "bulk", value: null } };
        }
        if (q.available < cr + 2 + length + 2) return undefined;
        this.consume(cr + 2);
        const value = q.take(length);
        this.consume(2);
        this.partialBytes += length;
        return { reply: { type: "bulk", value } };
      }
      case STAR: {
        const count = string2ll(line);
        if (count === undefined) return this.fail("Bad multi-bulk length");
        if (count < -1) return this.fail("Multi-bulk length out of range");
        this.consume(cr + 2);
        if (count === -1) return { reply: { type: "array", value: null } };
        if (count === 0) return { reply: { type: "array", value: [] } };
        this.stack.push({ items: [], remaining: count });
        return { reply: undefined };
      }
      default:
        return this.fail(`Protocol error, got "${reprByte(type)}" as reply type byte`);
    }
  }

  /** Index of the `\r` of the first `\r\n` at the queue head, or -1 (hiredis `seekNewline`). */
  private lineEnd(): number {
    const q = this.queue;
    let from = 0;
    for (;;) {
      const cr = q.indexOf("\r", from);
      if (cr < 0 || cr + 1 >= q.available) return -1;
      if (q.byteAt(cr + 1) === LF) return cr;
      from = cr + 1;
    }
  }

  private consume(length: number): void {
    this.queue.skip(length);
    this.partialBytes += length;
  }

  private fail(error: string): ReplyProtocolError {
    this.failure = { error };
    return this.failure;
  }
}

/**
 * `string2ll`: a decimal long long, strictly: optional `-`, no `+`, no
 * leading zeros, no spaces, within 64 bits. Undefined when Redis rejects it.
 * Values beyond 2^53 come back rounded, which is fine for the range checks
 * they feed.
 */
export function string2ll(text: string): number | undefined {
  const length = text.length;
  if (length === 0 || length >= 21) return undefined; // LONG_STR_SIZE
  if (text === "0") return 0;
  let start = 0;
  if (text.charCodeAt(0) === 0x2d) {
    start = 1;
    if (length === 1) return undefined;
  }
  const first = text.charCodeAt(start);
  if (first < 0x31 || first > 0x39) return undefined;
  for (let i = start + 1; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  if (length - start <= 15) return Number(text);
  const big = BigInt(text);
  if (big > 9223372036854775807n || big < -9223372036854775808n) return undefined;
  return Number(big);
}

/**
 * `sdssplitargs`: splits an inline request into arguments. Blanks separate
 * arguments; `"..."` understands `\n \r \t \b \a`, `\xHH` and `\<any>`;
 * `'...'` only `\'`. A closing quote must be followed by a blank or the end.
 * Undefined for unbalanced quotes. Empty arguments (`""`) are kept.
 */
export function splitArgs(line: ByteString): ByteString[] | undefined {
  const n = line.length;
  // C string semantics: reading past the end (or at a NUL) gives 0.
  const at = (i: number): number => (i < n ? line.charCodeAt(i) : NUL);
  const args: ByteString[] = [];
  let p = 0;
  for (;;) {
    while (at(p) !== NUL && isSpace(at(p))) p++;
    if (at(p) === NUL) return args;
    let inDouble = false;
    let inSingle = false;
    let done = false;
    let current = "";
    while (!done) {
      const c = at(p);
      if (inDouble) {
        if (
          c === BACKSLASH &&
          at(p + 1) === 0x78 &&
          isHexDigit(at(p + 2)) &&
          isHexDigit(at(p + 3))
        ) {
          current += String.fromCharCode(hexValue(at(p + 2)) * 16 + hexValue(at(p + 3)));
          p += 3;
        } else if (c === BACKSLASH && at(p + 1) !== NUL) {
          p++;
          current += unescape(at(p));
        } else if (c === DQUOTE) {
          if (at(p + 1) !== NUL && !isSpace(at(p + 1))) return undefined;
          done = true;
        } else if (c === NUL) {
          return undefined;
        } else {
          current += String.fromCharCode(c);
        }
      } else if (inSingle) {
        if (c === BACKSLASH && at(p + 1) === SQUOTE) {
          p++;
          current += "'";
        } else if (c === SQUOTE) {
          if (at(p + 1) !== NUL && !isSpace(at(p + 1))) return undefined;
          done = true;
        } else if (c === NUL) {
          return undefined;
        } else {
          current += String.fromCharCode(c);
        }
      } else if (c === SPACE || c === LF || c === CR || c === TAB || c === NUL) {
        done = true;
      } else if (c === DQUOTE) {
        inDouble = true;
      } else if (c === SQUOTE) {
        inSingle = true;
      } else {
        current += String.fromCharCode(c);
      }
      if (at(p) !== NUL) p++;
    }
    args.push(current);
  }
}

/** C locale `isspace`. */
function isSpace(c: number): boolean {
  return c === SPACE || (c >= TAB && c <= CR);
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function hexValue(c: number): number {
  if (c <= 0x39) return c - 0x30;
  return (c | 0x20) - 0x61 + 10;
}

function unescape(c: number): string {
  switch (c) {
    case 0x6e:
      return "\n";
    case 0x72:
      return "\r";
    case 0x74:
      return "\t";
    case 0x62:
      return "\b";
    case 0x61:
      return "\x07";
    default:
      return String.fromCharCode(c);
  }
}
