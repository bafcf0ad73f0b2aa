import type { ByteString } from "../../engine/bytes";
import { catRepr } from "../../engine/resp/repr";
import { formatBytes } from "../format/bytes";

/** What a chunk of bytes on a replication link is, for its colour and legend. */
export type PacketKind =
  | "write" // commands in the replication stream (SELECT, SET, …)
  | "rdb" // the snapshot of a full sync
  | "ack" // REPLCONF ACK <offset>, replica to master
  | "ping" // the master's ping in the stream, and the replica's REPLCONF GETACK
  | "handshake" // PING, REPLCONF, PSYNC and the master's answers (+FULLRESYNC, +CONTINUE)
  | "reply" // other replies (+PONG, +OK, errors)
  | "keepalive" // the bare newline a master sends while a replica waits for its snapshot
  | "data"; // bytes that do not start a RESP frame (the middle of a longer transfer)

/** One RESP frame (or the start of one) found in a chunk. */
type Frame =
  | { readonly type: "command"; readonly args: readonly ByteString[] }
  | { readonly type: "simple" | "error" | "integer"; readonly text: string }
  | { readonly type: "bulk"; readonly length: number }
  | { readonly type: "rdb"; readonly sizeBytes: number }
  | { readonly type: "newline" }
  | { readonly type: "partial"; readonly sizeBytes: number };

/** Frames shown by name before the label says "+N more". */
const SHOWN_FRAMES = 2;
const MAX_ARG_CHARS = 18;
const MAX_TEXT_CHARS = 40;

/**
 * A short label for a chunk of bytes sent on a connection, read from the RESP
 * itself: `SET k1 v1`, `SELECT 0 + SET k v`, `PSYNC 8f…a1 377`, `+CONTINUE`,
 * `REPLCONF ACK 411`, `ping`, `RDB 14.2 kB`. `hint` is the engine's own tag for
 * the send (`rdb`, `stream`, …) and only helps with chunks that start mid-frame.
 */
export function packetLabel(bytes: ByteString, hint = ""): string {
  const frames = splitFrames(bytes);
  const labels = frames.map((f) => frameLabel(f, hint));
  if (labels.length === 0) return hint === "rdb" ? "RDB 0 B" : "0 B";
  const shown = labels.slice(0, SHOWN_FRAMES).join(" + ");
  const more = labels.length - SHOWN_FRAMES;
  return more > 0 ? `${shown} +${more} more` : shown;
}

/** The kind of a chunk, for its colour: the most telling frame in it wins. */
export function packetKind(bytes: ByteString, hint = ""): PacketKind {
  const kinds = new Set(splitFrames(bytes).map((f) => frameKind(f, hint)));
  const order: readonly PacketKind[] = [
    "rdb",
    "write",
    "ack",
    "ping",
    "handshake",
    "reply",
    "keepalive",
    "data",
  ];
  return order.find((k) => kinds.has(k)) ?? "data";
}

/**
 * How many commands (RESP arrays) a chunk starts with, read without copying
 * their arguments: a stream's rate counts them. Stops at the first frame that
 * is not a whole command.
 */
export function commandCount(bytes: ByteString): number {
  let count = 0;
  let pos = 0;
  while (pos < bytes.length && bytes[pos] === "*") {
    const header = readLine(bytes, pos + 1);
    const n = header ? Number(header.line) : NaN;
    if (!header || !Number.isInteger(n) || n < 0) break;
    let p = header.next;
    for (let i = 0; i < n && p >= 0; i++) {
      const len = bytes[p] === "$" ? readLine(bytes, p + 1) : null;
      const size = len ? Number(len.line) : NaN;
      p = len && Number.isInteger(size) && size >= 0 ? len.next + size + 2 : -1;
    }
    if (p < 0 || p > bytes.length) break;
    count++;
    pos = p;
  }
  return count;
}

function frameKind(frame: Frame, hint: string): PacketKind {
  switch (frame.type) {
    case "rdb":
      return "rdb";
    case "newline":
      return "keepalive";
    case "partial":
      return hint === "rdb" ? "rdb" : "data";
    case "simple":
      return /^(FULLRESYNC|CONTINUE)\b/i.test(frame.text) ? "handshake" : "reply";
    case "error":
    case "integer":
    case "bulk":
      return "reply";
    case "command": {
      const name = (frame.args[0] ?? "").toUpperCase();
      const sub = (frame.args[1] ?? "").toUpperCase();
      if (name === "REPLCONF" && sub === "ACK") return "ack";
      if (name === "REPLCONF" && sub === "GETACK") return "ping";
      if (name === "PING") return hint === "stream" ? "ping" : "handshake";
      if (name === "REPLCONF" || name === "PSYNC" || name === "SYNC" || name === "AUTH") {
        return "handshake";
      }
      return "write";
    }
  }
}

function frameLabel(frame: Frame, hint: string): string {
  switch (frame.type) {
    case "command":
      return frame.args.map(shortArg).join(" ");
    case "simple":
      return `+${shortWords(frame.text)}`;
    case "error":
      return `-${shorten(frame.text, MAX_TEXT_CHARS)}`;
    case "integer":
      return `:${frame.text}`;
    case "bulk":
      return `$${frame.length}`;
    case "rdb":
      return `RDB ${formatBytes(frame.sizeBytes)}`;
    case "newline":
      return "\\n keepalive";
    case "partial":
      return hint === "rdb" ? `RDB ${formatBytes(frame.sizeBytes)}` : formatBytes(frame.sizeBytes);
  }
}

/** A replication ID (40 hex digits) as `8f…a1`; other words as they are. */
function shortWords(text: string): string {
  return shorten(text.split(" ").map(shortId).join(" "), MAX_TEXT_CHARS);
}

function shortId(word: string): string {
  return /^[0-9a-f]{40}$/.test(word) ? `${word.slice(0, 2)}…${word.slice(-2)}` : word;
}

/** An argument as a person would type it: quoted only when it must be, cut when long. */
function shortArg(arg: ByteString): string {
  const plain = /^[\x21-\x7e]+$/.test(arg) && !arg.includes('"') && !arg.includes("'");
  const shown = plain ? shortId(arg) : catRepr(arg);
  return shorten(shown, MAX_ARG_CHARS);
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Reads a `\r\n`-terminated line starting at `pos`, or null when it is incomplete. */
function readLine(bytes: ByteString, pos: number): { line: string; next: number } | null {
  const end = bytes.indexOf("\r\n", pos);
  return end < 0 ? null : { line: bytes.slice(pos, end), next: end + 2 };
}

/** Length of the `$EOF:<40 bytes>` mark that opens and closes a diskless RDB transfer. */
const EOF_MARK_BYTES = 40;

/**
 * Splits a chunk into the RESP frames it holds. A chunk may carry several
 * frames (`SELECT` and a write) or end in the middle of one; what cannot be
 * read becomes one `partial` frame of the remaining size.
 */
function splitFrames(bytes: ByteString): Frame[] {
  const frames: Frame[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const start = pos;
    const read = readFrame(bytes, pos);
    if (!read) {
      frames.push({ type: "partial", sizeBytes: bytes.length - start });
      break;
    }
    frames.push(read.frame);
    pos = read.next;
  }
  return frames;
}

function readFrame(bytes: ByteString, pos: number): { frame: Frame; next: number } | null {
  const lead = bytes[pos];
  if (lead === "\n") return { frame: { type: "newline" }, next: pos + 1 };
  if (lead === "+" || lead === "-" || lead === ":") {
    const r = readLine(bytes, pos + 1);
    if (!r) return null;
    const type = lead === "+" ? "simple" : lead === "-" ? "error" : "integer";
    return { frame: { type, text: r.line }, next: r.next };
  }
  if (lead === "*") return readCommand(bytes, pos);
  if (lead === "$") return readBulkOrRdb(bytes, pos);
  return readInline(bytes, pos);
}

function readCommand(bytes: ByteString, pos: number): { frame: Frame; next: number } | null {
  const header = readLine(bytes, pos + 1);
  if (!header) return null;
  const count = Number(header.line);
  if (!Number.isInteger(count) || count < 0) return null;
  const args: ByteString[] = [];
  let p = header.next;
  for (let i = 0; i < count; i++) {
    if (bytes[p] !== "$") return null;
    const len = readLine(bytes, p + 1);
    if (!len) return null;
    const n = Number(len.line);
    if (!Number.isInteger(n) || n < 0 || len.next + n + 2 > bytes.length) return null;
    args.push(bytes.slice(len.next, len.next + n));
    p = len.next + n + 2;
  }
  return { frame: { type: "command", args }, next: p };
}

function readBulkOrRdb(bytes: ByteString, pos: number): { frame: Frame; next: number } | null {
  const header = readLine(bytes, pos + 1);
  if (!header) return null;
  if (header.line.startsWith("EOF:")) {
    // Diskless sync: `$EOF:<mark>\r\n<rdb><mark>`; the size is what lies between the marks.
    const mark = header.line.slice(4);
    const body = bytes.length - header.next;
    const closed = mark.length === EOF_MARK_BYTES && bytes.endsWith(mark) && body >= EOF_MARK_BYTES;
    const sizeBytes = closed ? body - EOF_MARK_BYTES : body;
    return { frame: { type: "rdb", sizeBytes }, next: bytes.length };
  }
  const n = Number(header.line);
  if (!Number.isInteger(n)) return null;
  if (n < 0) return { frame: { type: "bulk", length: n }, next: header.next };
  if (bytes.startsWith("REDIS", header.next)) {
    // A snapshot from disk: `$<len>\r\n<rdb>`, with no CRLF after it.
    return { frame: { type: "rdb", sizeBytes: n }, next: Math.min(bytes.length, header.next + n) };
  }
  if (header.next + n + 2 > bytes.length) return null;
  return { frame: { type: "bulk", length: n }, next: header.next + n + 2 };
}

/** The inline protocol (`PING\r\n`), as a person types into telnet. */
function readInline(bytes: ByteString, pos: number): { frame: Frame; next: number } | null {
  const end = bytes.indexOf("\n", pos);
  if (end < 0) return null;
  const line = bytes.slice(pos, end).replace(/\r$/, "");
  if (!/^[\x20-\x7e]*$/.test(line)) return null;
  const args = line.split(" ").filter((w) => w.length > 0);
  return { frame: { type: "command", args }, next: end + 1 };
}
