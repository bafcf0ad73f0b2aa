/**
 * What every line parser shares: the state of the parse (names declared so far,
 * Sentinel groups, variables), the error a line throws, and the checks on words
 * (argument counts, names, numbers, units, operators, expansions).
 */
import { bytesToUtf8 } from "../engine/bytes";
import type { CompareOp } from "./ast";
import { scanExpansions } from "./expand";
import { isBlank, tokenize, type Token } from "./tokenize";
import type { UnitParse } from "./units";

/** Node, Sentinel and client names. */
export const NAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

/** `ledger` would make `expect ledger …` ambiguous. */
const RESERVED_NAMES: ReadonlySet<string> = new Set(["ledger"]);

const FIELD_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.|-]*$/;
const OPS: readonly CompareOp[] = ["=", "!=", "<", "<=", ">", ">="];

export type NameKind = "node" | "sentinel" | "client";
export const PROCESS: readonly NameKind[] = ["node", "sentinel"];
export const NODE: readonly NameKind[] = ["node"];
export const ANY: readonly NameKind[] = ["node", "sentinel", "client"];
/** What has a network address, so `cut`, `heal`, `reset` and `link` apply to it. */
export const NETWORKED: readonly NameKind[] = ANY;

/** Thrown inside one line's parse; caught by the line loop. */
export class LineError extends Error {
  readonly column: number;
  constructor(column: number, message: string) {
    super(message);
    this.column = column;
  }
}

export interface State {
  readonly names: Map<string, { readonly kind: NameKind; readonly line: number }>;
  /** Where each name is declared anywhere in the file, for "declared later" hints. */
  readonly declaredAnywhere: ReadonlyMap<string, number>;
  readonly groups: Set<string>;
  readonly variables: Set<string>;
  /** The line of the first title, seed, epoch and redis line. */
  readonly hoisted: Map<string, number>;
}

/** One line being parsed: its comment-free content and where it is. */
export interface Ctx {
  readonly st: State;
  readonly content: string;
  readonly lineNo: number;
  readonly source: string;
  readonly inRepeat: boolean;
}

/** Splits the line from `from` into words, or fails at the tokenizer's column. */
export function words(ctx: Ctx, from: number): readonly Token[] {
  const result = tokenize(ctx.content, { from });
  if (!result.ok) throw new LineError(result.column, result.message);
  return result.tokens;
}

/** A word as text (UTF-8 decoded), or "" for a missing word. */
export function text(t: Token | undefined): string {
  return t === undefined ? "" : bytesToUtf8(t.bytes);
}

/** A word's column, or 1 for a missing word. */
export function col(t: Token | undefined): number {
  return t?.column ?? 1;
}

/** Checks the number of words (the keyword included) against `usage`. */
export function arity(
  ctx: Ctx,
  w: readonly Token[],
  min: number,
  max: number,
  usage: string,
): void {
  const extra = w[max];
  if (extra !== undefined) {
    throw new LineError(extra.column, `unexpected '${text(extra)}': expected '${usage}'`);
  }
  if (w.length < min) {
    const parts = usage.split("'")[0]?.split(" ") ?? [];
    const what = (parts[w.length] ?? "argument").replace(/…$/, "");
    throw missing(ctx.content, what, usage);
  }
}

export function missing(content: string, what: string, usage: string): LineError {
  return new LineError(trimmedEnd(content) + 1, `missing ${what}: expected '${usage}'`);
}

export function keyword(t: Token | undefined, word: string, usage: string): void {
  if (text(t) !== word)
    throw new LineError(col(t), `expected '${word}', not '${text(t)}': '${usage}'`);
}

export function hoist(ctx: Ctx, kind: string, start: number): void {
  const first = ctx.st.hoisted.get(kind);
  if (first !== undefined) {
    throw new LineError(start + 1, `duplicate ${kind} line: the first is on line ${first}`);
  }
  ctx.st.hoisted.set(kind, ctx.lineNo);
}

export function checkName(name: string, column: number): void {
  if (!NAME_PATTERN.test(name)) {
    throw new LineError(
      column,
      `invalid name '${name}': expected a lowercase letter, then up to 31 lowercase letters, digits or '-'`,
    );
  }
  if (RESERVED_NAMES.has(name))
    throw new LineError(column, `'${name}' is reserved and cannot name a process`);
}

export function declare(ctx: Ctx, t: Token | undefined, kind: NameKind): string {
  const name = text(t);
  checkName(name, col(t));
  const previous = ctx.st.names.get(name);
  if (previous !== undefined) {
    throw new LineError(col(t), `'${name}' is already declared on line ${previous.line}`);
  }
  ctx.st.names.set(name, { kind, line: ctx.lineNo });
  return name;
}

export function ref(ctx: Ctx, t: Token | undefined, allowed: readonly NameKind[]): string {
  return refText(ctx, text(t), col(t), allowed);
}

export function refText(
  ctx: Ctx,
  name: string,
  column: number,
  allowed: readonly NameKind[],
): string {
  const entry = ctx.st.names.get(name);
  if (entry === undefined) {
    checkName(name, column);
    const later = ctx.st.declaredAnywhere.get(name);
    const hint =
      later !== undefined && later > ctx.lineNo ? ` (it is declared later, on line ${later})` : "";
    throw new LineError(
      column,
      `'${name}' is not declared by an earlier node, sentinel or client line${hint}`,
    );
  }
  if (!allowed.includes(entry.kind)) {
    throw new LineError(
      column,
      `'${name}' is a ${entry.kind}; expected ${allowed.map((k) => `a ${k}`).join(" or ")}`,
    );
  }
  return name;
}

/** Two different processes. */
export function pair(ctx: Ctx, a: Token | undefined, b: Token | undefined): [string, string] {
  const x = ref(ctx, a, NETWORKED);
  const y = ref(ctx, b, NETWORKED);
  if (x === y) throw new LineError(col(b), `expected two different processes, not '${x}' twice`);
  return [x, y];
}

/** Keyword options with a fixed number of values each, in any order, at most once. */
export function options(
  ctx: Ctx,
  w: readonly Token[],
  from: number,
  arities: Readonly<Record<string, number>>,
  usage: string,
): Map<string, Token[]> {
  const found = new Map<string, Token[]>();
  let i = from;
  while (i < w.length) {
    const key = w[i];
    const k = text(key);
    const n = Object.hasOwn(arities, k) ? arities[k] : undefined;
    if (n === undefined) throw new LineError(col(key), `unexpected '${k}': expected '${usage}'`);
    if (found.has(k)) throw new LineError(col(key), `'${k}' is given twice`);
    const values = w.slice(i + 1, i + 1 + n);
    if (values.length < n) throw missing(ctx.content, `value for '${k}'`, usage);
    found.set(k, values);
    i += 1 + n;
  }
  return found;
}

export function wholeNumber(t: Token | undefined, what: string, min: number, max: number): number {
  const s = text(t);
  const n = Number(s);
  if (!/^[0-9]+$/.test(s) || n < min || n > max) {
    throw new LineError(
      col(t),
      `invalid ${what} '${s}': expected a whole number from ${min} to ${max}`,
    );
  }
  return n;
}

export function unit(t: Token | undefined, parse: (word: string) => UnitParse): number {
  const r = parse(text(t));
  if (!r.ok) throw new LineError(col(t), r.message);
  return r.value;
}

export function op(t: Token | undefined): CompareOp {
  const s = text(t);
  const found = OPS.find((o) => o === s);
  if (found === undefined) {
    throw new LineError(col(t), `unknown operator '${s}': expected one of ${OPS.join(" ")}`);
  }
  return found;
}

export function field(t: Token | undefined): string {
  const s = text(t);
  if (!FIELD_PATTERN.test(s)) throw new LineError(col(t), `invalid INFO field '${s}'`);
  return s;
}

/**
 * Checks the expansions of a word that starts at index `start`: variables must be
 * set by an earlier `let`, `$i` needs `repeat`, `$bytes(N)` must be well formed.
 * When `approximate`, the word's bytes do not map one to one onto the source
 * (quotes, escapes, UTF-8), so errors point at the word's start.
 */
export function checkExpansions(ctx: Ctx, word: string, start: number, approximate: boolean): void {
  for (const part of scanExpansions(word)) {
    const column = start + 1 + (approximate ? 0 : part.at);
    if (part.kind === "invalid") throw new LineError(column, part.message);
    if (part.kind === "count" && !ctx.inRepeat) {
      throw new LineError(column, "$i is only defined inside repeat (write $$ for a literal $)");
    }
    if (part.kind === "variable" && !ctx.st.variables.has(part.name)) {
      throw new LineError(
        column,
        `undefined variable $${part.name}: no earlier 'let ${part.name} = …' (write $$ for a literal $)`,
      );
    }
  }
}

export function skipBlanks(s: string, from: number): number {
  let p = from;
  while (p < s.length && isBlank(s[p])) p++;
  return p;
}

export function chunkEnd(s: string, from: number): number {
  let p = from;
  while (p < s.length && !isBlank(s[p])) p++;
  return p;
}

export function trimmedEnd(s: string): number {
  let p = s.length;
  while (p > 0 && isBlank(s[p - 1])) p--;
  return p;
}
