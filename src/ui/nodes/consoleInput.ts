import type { ByteString } from "../../engine/bytes";
import { tokenize } from "../../scenario/tokenize";

/**
 * The longest line a node's console takes, in characters. Redis reads an
 * inline request of up to 64 KB (`PROTO_INLINE_MAX_SIZE`); a console line is
 * held the same to that, so a pasted megabyte cannot freeze the page. Larger
 * values belong in a script (`$bytes(N)`, up to 64 MB) or `DEBUG POPULATE`.
 */
export const MAX_CONSOLE_LINE_CHARS = 64 * 1024;

/** How much of an over-long line the console echoes back. */
const ECHO_CHARS = 120;

/** What a line typed into a node's console asks for. */
export type ConsoleInput =
  | { readonly kind: "empty" }
  | { readonly kind: "clear" }
  /** Refused before it reaches the node: `echo` is what the console shows as typed. */
  | { readonly kind: "error"; readonly echo: string; readonly message: string }
  | { readonly kind: "command"; readonly argv: readonly ByteString[] };

/**
 * Reads a console line as redis-cli reads its prompt: blank does nothing,
 * `clear` clears, unbalanced quotes print redis-cli's `Invalid argument(s)`,
 * anything else is split into arguments (UTF-8, `\xHH` for raw bytes) and
 * sent, unknown commands included: the node answers those as Redis does.
 * Never throws.
 */
export function readConsoleLine(line: string): ConsoleInput {
  if (line.length > MAX_CONSOLE_LINE_CHARS) {
    return {
      kind: "error",
      echo: `${line.slice(0, ECHO_CHARS)}… (${line.length} characters)`,
      message: `Line too long: the console takes at most ${MAX_CONSOLE_LINE_CHARS} characters. For a large value use a script's $bytes(N) or DEBUG POPULATE.`,
    };
  }
  const trimmed = line.trim();
  if (trimmed === "") return { kind: "empty" };
  if (trimmed.toLowerCase() === "clear") return { kind: "clear" };
  const parsed = tokenize(line);
  if (!parsed.ok) return { kind: "error", echo: line, message: "Invalid argument(s)" };
  // Only blanks redis-cli does not split on (\v, \f) would leave no word: nothing to send.
  if (parsed.tokens.length === 0) return { kind: "empty" };
  return { kind: "command", argv: parsed.tokens.map((t) => t.bytes) };
}
