/**
 * Splits a line into arguments exactly as redis-cli splits its prompt input
 * (`sds.c:sdssplitargs`), so a scenario's command lines and the page's console
 * accept what a terminal user would type:
 *
 * - white space separates words; leading blanks are any C `isspace` character,
 *   but only space, tab, CR and LF end an unquoted word (as in sdssplitargs);
 * - double quotes group and decode `\"` `\\` `\n` `\r` `\t` `\b` `\a` `\xHH`
 *   (any other `\c` is `c`); single quotes group literally, except `\'`;
 * - quotes may start in the middle of a word (`key"a b"` is `keya b`), but a
 *   closing quote must be followed by white space or the end of the line.
 *
 * Text is UTF-8 encoded; `\xHH` yields one raw byte. One deliberate difference:
 * redis-cli stops at a NUL character (its input is a C string); here NUL is an
 * ordinary byte. Columns are 1-based and count UTF-16 code units, as editors and
 * textarea selections do.
 */
import { utf8ToBytes, type ByteString } from "../engine/bytes";

export interface Token {
  /** The argument: quotes removed, escapes decoded, text UTF-8 encoded. */
  readonly bytes: ByteString;
  /** Index (0-based) of the token's first character in the line. */
  readonly start: number;
  /** Index (0-based) just past the token's last character. */
  readonly end: number;
  /** 1-based column of the token's first character (`start + 1`). */
  readonly column: number;
  /** Whether any part of the token was quoted. */
  readonly quoted: boolean;
}

export type TokenizeResult =
  | {
      readonly ok: true;
      readonly tokens: readonly Token[];
      /** Index of the `stopAt` word when tokenizing stopped there. */
      readonly stoppedAt?: number;
    }
  | { readonly ok: false; readonly column: number; readonly message: string };

export interface TokenizeOptions {
  /** Index to start at (default 0); columns still count from the line's start. */
  readonly from?: number;
  /** Stop before an unquoted word that is exactly this text (e.g. `=>`). */
  readonly stopAt?: string;
}

/** C `isspace` in the C locale: what sdssplitargs skips between words. */
export function isBlank(ch: string | undefined): boolean {
  return ch === " " || ch === "\t" || ch === "\n" || ch === "\v" || ch === "\f" || ch === "\r";
}

/** The characters that end an unquoted word in sdssplitargs. */
function endsWord(ch: string | undefined): boolean {
  return ch === undefined || ch === " " || ch === "\t" || ch === "\n" || ch === "\r";
}

function isHexDigit(ch: string | undefined): boolean {
  return ch !== undefined && /^[0-9a-fA-F]$/.test(ch);
}

const ESCAPES: Readonly<Record<string, string>> = {
  n: "\n",
  r: "\r",
  t: "\t",
  b: "\b",
  a: "\x07",
};

/**
 * Splits `line` into arguments as redis-cli does, or returns the first error with
 * its column. Never throws.
 */
export function tokenize(line: string, options: TokenizeOptions = {}): TokenizeResult {
  const tokens: Token[] = [];
  let p = options.from ?? 0;
  const n = line.length;
  for (;;) {
    while (p < n && isBlank(line[p])) p++;
    if (p >= n) return { ok: true, tokens };
    const stopAt = options.stopAt;
    if (stopAt !== undefined && line.startsWith(stopAt, p) && endsWord(line[p + stopAt.length])) {
      return { ok: true, tokens, stoppedAt: p };
    }
    const start = p;
    // Bytes so far, and pending text that still needs UTF-8 encoding.
    let bytes = "";
    let text = "";
    let quoted = false;
    let quote: '"' | "'" | undefined;
    let quoteStart = 0;
    for (;;) {
      const ch = line[p];
      if (quote === '"') {
        if (ch === undefined) return unbalanced(quote, quoteStart);
        if (
          ch === "\\" &&
          line[p + 1] === "x" &&
          isHexDigit(line[p + 2]) &&
          isHexDigit(line[p + 3])
        ) {
          bytes += utf8ToBytes(text) + String.fromCharCode(parseInt(line.slice(p + 2, p + 4), 16));
          text = "";
          p += 4;
        } else if (ch === "\\" && p + 1 < n) {
          const next = line[p + 1] ?? "";
          text += ESCAPES[next] ?? next;
          p += 2;
        } else if (ch === '"') {
          if (p + 1 < n && !isBlank(line[p + 1])) return badClose(p);
          quote = undefined;
          p++;
          break;
        } else {
          text += ch;
          p++;
        }
      } else if (quote === "'") {
        if (ch === undefined) return unbalanced(quote, quoteStart);
        if (ch === "\\" && line[p + 1] === "'") {
          text += "'";
          p += 2;
        } else if (ch === "'") {
          if (p + 1 < n && !isBlank(line[p + 1])) return badClose(p);
          quote = undefined;
          p++;
          break;
        } else {
          text += ch;
          p++;
        }
      } else if (endsWord(ch)) {
        break;
      } else if (ch === '"' || ch === "'") {
        quote = ch;
        quoted = true;
        quoteStart = p;
        p++;
      } else {
        text += ch;
        p++;
      }
    }
    tokens.push({ bytes: bytes + utf8ToBytes(text), start, end: p, column: start + 1, quoted });
  }
}

function unbalanced(quote: string, at: number): TokenizeResult {
  return {
    ok: false,
    column: at + 1,
    message: `unbalanced quotes: this ${quote} is never closed`,
  };
}

function badClose(at: number): TokenizeResult {
  return {
    ok: false,
    column: at + 2,
    message: "a closing quote must be followed by a space or the end of the line",
  };
}

/**
 * Where a `#` comment starts in a scenario line, or the line's length if it has
 * none. A comment is a `#` that begins a word outside quotes, with quotes tracked
 * as `tokenize` tracks them; an unclosed quote runs to the end of the line, so a
 * `#` after a lone apostrophe (`say it's # 1`) is text, not a comment.
 */
export function commentStart(line: string): number {
  const n = line.length;
  let p = 0;
  for (;;) {
    while (p < n && isBlank(line[p])) p++;
    if (p >= n) return n;
    if (line[p] === "#") return p;
    let quote: string | undefined;
    for (;;) {
      const ch = line[p];
      if (ch === undefined) return n;
      if (quote === '"') {
        if (ch === "\\" && p + 1 < n) p += 2;
        else {
          if (ch === '"') quote = undefined;
          p++;
        }
      } else if (quote === "'") {
        if (ch === "\\" && line[p + 1] === "'") p += 2;
        else {
          if (ch === "'") quote = undefined;
          p++;
        }
      } else if (endsWord(ch)) {
        break;
      } else {
        if (ch === '"' || ch === "'") quote = ch;
        p++;
      }
    }
  }
}
