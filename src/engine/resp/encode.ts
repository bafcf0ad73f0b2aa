import type { ByteString } from "../bytes";
import type { Reply } from "../reply";

/**
 * RESP encoding, as Redis writes it: commands as multibulk arrays of bulk
 * strings (what clients send and what the replication stream carries) and
 * RESP2 replies. Every length here is a byte count.
 */

/** `*<n>\r\n` and `$<n>\r\n` for the small counts and lengths most commands have, made once. */
const MULTIBULK_HEADERS = Array.from({ length: 64 }, (_, n) => `*${n}\r\n`);
const BULK_HEADERS = Array.from({ length: 1024 }, (_, n) => `$${n}\r\n`);

/** Encodes argv as a RESP array of bulk strings: `SET k v` → `*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n`. */
export function encodeCommand(argv: readonly ByteString[]): ByteString {
  // Every command propagated to replicas comes through here. Joined from its
  // pieces, it is one flat string: concatenated, a rope of a dozen pieces
  // would stay alive in the backlog as long as the bytes do. Pushed onto a
  // literal rather than stored into `new Array(n)`: join is much slower on
  // an array with holes, even once they are filled.
  const n = argv.length;
  const parts: ByteString[] = [MULTIBULK_HEADERS[n] ?? `*${n}\r\n`];
  for (let i = 0; i < n; i++) {
    const arg = argv[i] ?? "";
    parts.push(BULK_HEADERS[arg.length] ?? `$${arg.length}\r\n`, arg, "\r\n");
  }
  return parts.join("");
}

/**
 * The byte length of `encodeCommand(argv)` without building it:
 * `3 + digits(argc) + Σ(5 + digits(len) + len)` (fact sheet §10.1).
 */
export function commandLength(argv: readonly ByteString[]): number {
  let length = 3 + decimalDigits(argv.length);
  for (const arg of argv) length += 5 + decimalDigits(arg.length) + arg.length;
  return length;
}

/** Encodes a reply as RESP2: `+OK\r\n`, `-ERR x\r\n`, `:1\r\n`, `$-1\r\n`, `*-1\r\n`, nested arrays. */
export function encodeReply(reply: Reply): ByteString {
  const parts: string[] = [];
  appendReply(parts, reply);
  return parts.join("");
}

function appendReply(parts: string[], reply: Reply): void {
  switch (reply.type) {
    case "simple":
      parts.push(`+${reply.value}\r\n`);
      return;
    case "error":
      parts.push(`-${reply.value}\r\n`);
      return;
    case "integer":
      parts.push(`:${formatInteger(reply.value)}\r\n`);
      return;
    case "bulk":
      parts.push(reply.value === null ? "$-1\r\n" : `$${reply.value.length}\r\n${reply.value}\r\n`);
      return;
    case "array":
      if (reply.value === null) {
        parts.push("*-1\r\n");
        return;
      }
      parts.push(`*${reply.value.length}\r\n`);
      for (const item of reply.value) appendReply(parts, item);
      return;
  }
}

/** A long long as `%lld` prints it (never exponent notation; fractions truncated). */
export function formatInteger(value: number): string {
  if (Number.isSafeInteger(value)) return String(value);
  if (!Number.isFinite(value)) return "0";
  return BigInt(Math.trunc(value)).toString();
}

function decimalDigits(n: number): number {
  let digits = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    digits++;
  }
  return digits;
}
