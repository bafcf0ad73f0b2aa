import type { ByteString } from "../bytes";

/**
 * Compaction threshold: the consumed prefix of the buffer is dropped when it
 * is at least this long and at least half the buffer, so each byte is copied
 * O(1) times on average however the stream is chunked.
 */
const COMPACT_MIN_BYTES = 4096;

/** What `takeUntil` hands back: payload bytes, and whether the mark was reached. */
export interface UntilMark {
  /** Bytes known to come before the mark (the mark itself is never included). */
  readonly bytes: ByteString;
  /** True once the mark was found and consumed; nothing after it was taken. */
  readonly found: boolean;
}

/**
 * The unread bytes of one connection, in order. A replica reads its master
 * link in three modes on the same stream: lines (`+FULLRESYNC <id> <off>`,
 * `$<len>` / `$EOF:<mark>`, `\n` keep-alives), a raw payload (the RDB, by
 * size or up to the EOF mark) and then the command stream
 * (`RequestParser.feed(queue.takeAll())`). Every byte is taken exactly once;
 * `consumed` counts them.
 *
 * Indexes passed to `byteAt`, `indexOf` and `peek` are relative to the first
 * unread byte.
 */
export class ByteQueue {
  private buf: ByteString = "";
  /** Index in `buf` of the first unread byte. */
  private pos = 0;
  private consumedBytes = 0;

  /** Appends bytes received from the peer. */
  append(bytes: ByteString): void {
    if (bytes.length === 0) return;
    if (this.pos === this.buf.length) {
      this.buf = bytes;
      this.pos = 0;
    } else if (this.pos >= COMPACT_MIN_BYTES && this.pos * 2 >= this.buf.length) {
      this.buf = this.buf.slice(this.pos) + bytes;
      this.pos = 0;
    } else {
      this.buf += bytes;
    }
  }

  /**
   * The string that holds the unread bytes, from index `start` on: for a
   * parser that scans a whole request in place and then `skip`s it.
   */
  get buffer(): ByteString {
    return this.buf;
  }

  /** Index in `buffer` of the first unread byte. */
  get start(): number {
    return this.pos;
  }

  /** Bytes received and not yet taken. */
  get available(): number {
    return this.buf.length - this.pos;
  }

  /** Bytes taken (or skipped) since the queue was created. */
  get consumed(): number {
    return this.consumedBytes;
  }

  /** The unread byte at `index`, or -1 past the end. */
  byteAt(index: number): number {
    return index < this.available ? this.buf.charCodeAt(this.pos + index) : -1;
  }

  /** Where `needle` next occurs at or after `from`, or -1. */
  indexOf(needle: string, from = 0): number {
    const at = this.buf.indexOf(needle, this.pos + from);
    return at < 0 ? -1 : at - this.pos;
  }

  /** Up to `length` unread bytes starting at `from`, without taking them. */
  peek(length: number, from = 0): ByteString {
    const start = this.pos + from;
    return this.buf.slice(start, Math.min(start + length, this.buf.length));
  }

  /** Drops up to `length` unread bytes. */
  skip(length: number): void {
    const n = Math.min(Math.max(length, 0), this.available);
    this.pos += n;
    this.consumedBytes += n;
    if (this.pos === this.buf.length) {
      this.buf = "";
      this.pos = 0;
    }
  }

  /** Takes up to `length` bytes (fewer if fewer are available). */
  take(length: number): ByteString {
    const bytes = this.peek(length);
    this.skip(bytes.length);
    return bytes;
  }

  /** Takes every unread byte, e.g. to hand the rest of the stream to a `RequestParser`. */
  takeAll(): ByteString {
    return this.take(this.available);
  }

  /**
   * The next line without its terminator, as `syncReadLine` reads it: up to
   * `\n`, with one `\r` before it dropped. An empty string is a keep-alive
   * newline; undefined means no whole line has arrived yet.
   */
  peekLine(): string | undefined {
    const newline = this.indexOf("\n");
    if (newline < 0) return undefined;
    return this.peek(this.lineLength(newline));
  }

  /** Like `peekLine`, but also takes the line and its terminator. */
  takeLine(): string | undefined {
    const newline = this.indexOf("\n");
    if (newline < 0) return undefined;
    const line = this.peek(this.lineLength(newline));
    this.skip(newline + 1);
    return line;
  }

  /**
   * Takes payload bytes up to `mark` (the diskless `$EOF:<40 chars>` mode).
   * When the mark has arrived, returns the bytes before it and consumes the
   * mark too, leaving whatever follows. Otherwise returns every byte that
   * cannot be the start of the mark, holding back only a tail that could be,
   * so callers can show progress as the payload streams in. (Redis compares
   * the last 40 bytes read with the mark; the master sends nothing after it
   * until the replica's first ACK, so the first occurrence is the same one.)
   */
  takeUntil(mark: ByteString): UntilMark {
    if (mark.length === 0) return { bytes: "", found: true };
    const at = this.indexOf(mark);
    if (at >= 0) {
      const bytes = this.take(at);
      this.skip(mark.length);
      return { bytes, found: true };
    }
    return { bytes: this.take(this.available - this.markPrefixAtEnd(mark)), found: false };
  }

  /** Length of the longest unread suffix that is a proper prefix of `mark`. */
  private markPrefixAtEnd(mark: ByteString): number {
    const end = this.buf.length;
    for (let k = Math.min(mark.length - 1, this.available); k > 0; k--) {
      if (this.buf.startsWith(mark.slice(0, k), end - k)) return k;
    }
    return 0;
  }

  private lineLength(newline: number): number {
    return newline > 0 && this.byteAt(newline - 1) === 0x0d ? newline - 1 : newline;
  }
}
