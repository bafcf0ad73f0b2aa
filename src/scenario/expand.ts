/**
 * Expansions inside a word: `$NAME` (a variable set by `let`), `$i` (the count
 * inside `repeat`), `$bytes(N)` (N copies of `x`) and `$$` (a literal `$`). Any other
 * `$` is literal. Names are greedy: `$i_2` is the variable `i_2`, `key:$i:x` uses `$i`.
 *
 * Expansion works on a word after `tokenize` has removed its quotes, so a value
 * that contains spaces stays one argument; `\x24` in quotes is a `$` like any other.
 */
import type { ByteString } from "../engine/bytes";

/** The largest `$bytes(N)`, and the largest word after expansion: enough for slow snapshots, small enough for a JS string. */
export const MAX_BYTES_EXPANSION = 64 * 1024 * 1024;

/** Variable names (`let VAR = …`). `i` and `bytes` are reserved for the built-ins. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const RESERVED_VARIABLES: ReadonlySet<string> = new Set(["i", "bytes"]);

/** A piece of a word; `at` is its index in the word. */
export type ExpansionPart = { readonly at: number } &
  /** Literal bytes. */
  (
    | { readonly kind: "text"; readonly text: ByteString }
    /** `$NAME`: the value of a variable set by `let`. */
    | { readonly kind: "variable"; readonly name: string }
    /** `$i`: the count inside `repeat`, 1 … N. */
    | { readonly kind: "count" }
    /** `$bytes(N)`: N copies of `x`. */
    | { readonly kind: "bytes"; readonly length: number }
    /** A malformed `$bytes…`, with the reason. */
    | { readonly kind: "invalid"; readonly message: string }
  );

const NAME_CHAR = /[A-Za-z0-9_]/;
const NAME_START = /[A-Za-z_]/;

/** Splits a word into literal text and expansions. Never throws. */
export function scanExpansions(word: string): ExpansionPart[] {
  const parts: ExpansionPart[] = [];
  let text = "";
  let textAt = 0;
  const flush = (): void => {
    if (text !== "") parts.push({ at: textAt, kind: "text", text });
    text = "";
  };
  let p = 0;
  while (p < word.length) {
    const ch = word[p] ?? "";
    const next = word[p + 1];
    if (text === "") textAt = p;
    if (ch !== "$") {
      text += ch;
      p++;
    } else if (next === "$") {
      text += "$";
      p += 2;
    } else if (next !== undefined && NAME_START.test(next)) {
      let end = p + 2;
      while (end < word.length && NAME_CHAR.test(word[end] ?? "")) end++;
      const name = word.slice(p + 1, end);
      flush();
      if (name === "bytes") {
        const m = /^\(([0-9]+)\)/.exec(word.slice(end));
        const length = m?.[1] === undefined ? NaN : Number(m[1]);
        if (!m) {
          parts.push({
            at: p,
            kind: "invalid",
            message: "expected $bytes(N) with a whole number N",
          });
        } else if (!(length <= MAX_BYTES_EXPANSION)) {
          parts.push({
            at: p,
            kind: "invalid",
            message: `$bytes(${m[1]}) is too large: at most ${MAX_BYTES_EXPANSION} bytes`,
          });
        } else {
          parts.push({ at: p, kind: "bytes", length });
        }
        p = end + (m?.[0].length ?? 0);
      } else {
        parts.push(name === "i" ? { at: p, kind: "count" } : { at: p, kind: "variable", name });
        p = end;
      }
    } else {
      text += "$";
      p++;
    }
  }
  flush();
  return parts;
}

export type ExpandResult =
  | { readonly ok: true; readonly value: ByteString }
  | { readonly ok: false; readonly message: string };

/**
 * Expands a word at run time with the variables set so far and, inside `repeat`,
 * the count `i`. Fails on an undefined variable, on `$i` outside `repeat`, and on a
 * malformed `$bytes`; never throws.
 */
export function expand(
  word: ByteString,
  vars: ReadonlyMap<string, ByteString>,
  count?: number,
): ExpandResult {
  let out = "";
  for (const part of scanExpansions(word)) {
    let piece: ByteString;
    switch (part.kind) {
      case "text":
        piece = part.text;
        break;
      case "variable": {
        const value = vars.get(part.name);
        if (value === undefined) return { ok: false, message: `undefined variable $${part.name}` };
        piece = value;
        break;
      }
      case "count":
        if (count === undefined) return { ok: false, message: "$i is only defined inside repeat" };
        piece = String(count);
        break;
      case "bytes":
        if (out.length + part.length > MAX_BYTES_EXPANSION) return tooLarge();
        piece = "x".repeat(part.length);
        break;
      case "invalid":
        return { ok: false, message: part.message };
    }
    // `let` can double a value line after line: stop before a string the page cannot hold.
    if (out.length + piece.length > MAX_BYTES_EXPANSION) return tooLarge();
    out += piece;
  }
  return { ok: true, value: out };
}

function tooLarge(): ExpandResult {
  return {
    ok: false,
    message: `the word expands to more than ${MAX_BYTES_EXPANSION} bytes, the most one argument may hold`,
  };
}
