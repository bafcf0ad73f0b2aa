import type { ByteString } from "./bytes";

/**
 * The replication backlog: the history of the stream a replica may ask for
 * with PSYNC. Offsets are positions in the replication stream; the first byte
 * ever produced has offset 1.
 */
export interface Backlog {
  readonly model: "7.0" | "6.2";
  /** `repl_backlog_first_byte_offset` (Redis's `backlog->offset`). */
  readonly firstByteOffset: number;
  /** `repl_backlog_histlen`. */
  readonly histlen: number;
  /** Appends stream bytes (the caller advances master_repl_offset by the same count). */
  feed(bytes: ByteString): void;
  /**
   * Appends `buf[from, to)`, as `feed(buf.slice(from, to))` does: a replica
   * feeds each command it applies from the buffer it read them in, and
   * consecutive ones are kept as one piece of it.
   */
  feedRange(buf: ByteString, from: number, to: number): void;
  /** The bytes from `offset` (inclusive) to the end; the caller checks the range first. */
  readFrom(offset: number): ByteString;
  /** Applies a new repl-backlog-size. */
  resize(sizeBytes: number, masterReplOffset: number): void;
  /** Lets go of history no longer needed (7.0: whole unreferenced blocks). */
  trim(): void;
  /** Pins history from `offset` for a replica that still has it to send (7.0 only). */
  reference(owner: object, offset: number): void;
  release(owner: object): void;
  /** Block boundaries, for drawing: [{offset, size, used}] (6.2: one ring). */
  blocks(): readonly BacklogBlockView[];
}

export interface BacklogBlockView {
  readonly offset: number;
  readonly size: number;
  readonly used: number;
}

/** `CONFIG_REPL_BACKLOG_MIN_SIZE`: smaller settings are raised to this. */
export const REPL_BACKLOG_MIN_SIZE = 16384;
/** `PROTO_REPLY_CHUNK_BYTES`: the smallest block the 7.0 buffer asks the allocator for. */
export const PROTO_REPLY_CHUNK_BYTES = 16384;
/** `sizeof(replBufBlock)` on 64-bit: refcount, id, repl_offset, size, used. */
export const REPL_BUF_BLOCK_HEADER = 40;

export function effectiveBacklogSize(configured: number): number {
  return Math.max(configured, REPL_BACKLOG_MIN_SIZE);
}

/**
 * jemalloc's usable size for a request: size classes are four per doubling
 * above 64 bytes (…, 16384, 20480, 24576, 28672, 32768, 40960, …).
 */
export function jemallocUsableSize(request: number): number {
  if (request <= 8) return 8;
  if (request <= 128) return Math.ceil(request / 16) * 16;
  const lg = Math.floor(Math.log2(request - 1));
  const spacing = 2 ** (lg - 2);
  return Math.ceil(request / spacing) * spacing;
}

export function createBacklog(
  model: "7.0" | "6.2",
  configuredSize: number,
  masterReplOffset: number,
): Backlog {
  return model === "7.0"
    ? new BlockBacklog(effectiveBacklogSize(configuredSize), masterReplOffset)
    : new RingBacklog(effectiveBacklogSize(configuredSize), masterReplOffset);
}

interface Block {
  /** Stream offset of the block's first byte. */
  readonly offset: number;
  /** Usable capacity, from the allocator. */
  readonly size: number;
  used: number;
  /** The block's bytes: these chunks, then `piece[pieceStart, pieceEnd)` if a piece is open. */
  chunks: ByteString[];
  piece: ByteString | null;
  pieceStart: number;
  pieceEnd: number;
}

/** Adds `buf[start, end)` to a block, extending its open piece when it continues it. */
function appendPiece(block: Block, buf: ByteString, start: number, end: number): void {
  if (block.piece !== null && block.pieceEnd === start && block.piece === buf) {
    block.pieceEnd = end;
    return;
  }
  closePiece(block);
  block.piece = buf;
  block.pieceStart = start;
  block.pieceEnd = end;
}

function closePiece(block: Block): void {
  const buf = block.piece;
  if (buf === null) return;
  const whole = block.pieceStart === 0 && block.pieceEnd === buf.length;
  block.chunks.push(whole ? buf : buf.slice(block.pieceStart, block.pieceEnd));
  block.piece = null;
}

/**
 * 7.0's shared replication buffer (`replication.c:feedReplicationBuffer`,
 * `incrementalTrimReplicationBacklog`): a list of blocks; the head block is
 * dropped only while the history would still exceed repl-backlog-size without
 * it and no replica still needs it.
 */
class BlockBacklog implements Backlog {
  readonly model = "7.0";
  private list: Block[] = [];
  private histBytes = 0;
  private first: number;
  private readonly refs = new Map<object, number>();

  constructor(
    private sizeBytes: number,
    masterReplOffset: number,
  ) {
    this.first = masterReplOffset + 1;
  }

  get firstByteOffset(): number {
    return this.first;
  }

  get histlen(): number {
    return this.histBytes;
  }

  feed(bytes: ByteString): void {
    this.feedRange(bytes, 0, bytes.length);
  }

  feedRange(buf: ByteString, from: number, to: number): void {
    const length = to - from;
    let pos = 0;
    let added = false;
    while (pos < length) {
      const tail = this.list[this.list.length - 1];
      if (tail && tail.used < tail.size) {
        const n = Math.min(tail.size - tail.used, length - pos);
        appendPiece(tail, buf, from + pos, from + pos + n);
        tail.used += n;
        pos += n;
        continue;
      }
      const left = length - pos;
      const limit = Math.max(Math.floor(this.sizeBytes / 16), PROTO_REPLY_CHUNK_BYTES);
      const request = Math.min(Math.max(left, PROTO_REPLY_CHUNK_BYTES), limit);
      const size = jemallocUsableSize(request + REPL_BUF_BLOCK_HEADER) - REPL_BUF_BLOCK_HEADER;
      const offset = this.first + this.histBytes + pos;
      this.list.push({
        offset,
        size,
        used: 0,
        chunks: [],
        piece: null,
        pieceStart: 0,
        pieceEnd: 0,
      });
      added = true;
    }
    this.histBytes += length;
    if (added) this.trim();
  }

  readFrom(offset: number): ByteString {
    const parts: ByteString[] = [];
    for (const block of this.list) {
      const end = block.offset + block.used;
      if (end <= offset) continue;
      const data = this.join(block);
      parts.push(offset > block.offset ? data.slice(offset - block.offset) : data);
    }
    return parts.join("");
  }

  resize(sizeBytes: number): void {
    this.sizeBytes = effectiveBacklogSize(sizeBytes);
    this.trim();
  }

  trim(): void {
    const pinned = Math.min(Infinity, ...this.refs.values());
    while (this.histBytes > this.sizeBytes && this.list.length > 1) {
      const head = this.list[0];
      const next = this.list[1];
      if (!head || !next) break;
      // A replica that has not sent the head block yet keeps it alive (refcount > 1).
      if (pinned < next.offset) break;
      if (this.histBytes - head.size <= this.sizeBytes) break;
      this.list.shift();
      this.histBytes -= head.size;
      this.first = next.offset;
    }
  }

  reference(owner: object, offset: number): void {
    this.refs.set(owner, offset);
  }

  release(owner: object): void {
    if (this.refs.delete(owner)) this.trim();
  }

  blocks(): readonly BacklogBlockView[] {
    return this.list.map((b) => ({ offset: b.offset, size: b.size, used: b.used }));
  }

  private join(block: Block): ByteString {
    closePiece(block);
    if (block.chunks.length > 1) block.chunks = [block.chunks.join("")];
    return block.chunks[0] ?? "";
  }
}

/**
 * 6.2's fixed ring of exactly repl-backlog-size bytes
 * (`6.2 replication.c:feedReplicationBacklog`).
 */
class RingBacklog implements Backlog {
  readonly model = "6.2";
  /** The ring's contents, oldest first, as appended (joined lazily). */
  private chunks: ByteString[] = [];
  private length = 0;
  private end: number;

  constructor(
    private sizeBytes: number,
    masterReplOffset: number,
  ) {
    this.end = masterReplOffset;
  }

  get firstByteOffset(): number {
    return this.end - this.length + 1;
  }

  get histlen(): number {
    return this.length;
  }

  feedRange(buf: ByteString, from: number, to: number): void {
    this.feed(from === 0 && to === buf.length ? buf : buf.slice(from, to));
  }

  feed(bytes: ByteString): void {
    this.end += bytes.length;
    const kept = bytes.length > this.sizeBytes ? bytes.slice(bytes.length - this.sizeBytes) : bytes;
    this.chunks.push(kept);
    this.length += kept.length;
    // Overwrite the oldest bytes, as the ring's write index wraps.
    while (this.length > this.sizeBytes) {
      const head = this.chunks[0] ?? "";
      const excess = this.length - this.sizeBytes;
      if (head.length <= excess) {
        this.chunks.shift();
        this.length -= head.length;
      } else {
        this.chunks[0] = head.slice(excess);
        this.length -= excess;
      }
    }
  }

  readFrom(offset: number): ByteString {
    if (this.chunks.length > 1) this.chunks = [this.chunks.join("")];
    return (this.chunks[0] ?? "").slice(offset - this.firstByteOffset);
  }

  resize(sizeBytes: number, masterReplOffset: number): void {
    const size = effectiveBacklogSize(sizeBytes);
    if (size === this.sizeBytes) return;
    // 6.2 reallocates the ring and discards its contents.
    this.sizeBytes = size;
    this.chunks = [];
    this.length = 0;
    this.end = masterReplOffset;
  }

  trim(): void {}
  reference(): void {}
  release(): void {}

  blocks(): readonly BacklogBlockView[] {
    return [{ offset: this.firstByteOffset, size: this.sizeBytes, used: this.length }];
  }
}
