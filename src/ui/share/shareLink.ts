import type { RecordedAction } from "../script/actionScript";
import { fromBase64Url, toBase64Url } from "./base64url";
import { InflateError, deflateRaw, inflateRaw } from "./deflate";

/**
 * What a share link carries: enough to rebuild the reader's view by
 * deterministic replay. The same script, seed and actions give the same run,
 * so the link holds no state of the cluster, only how to get there.
 */
export interface SharedRun {
  /** The built-in scenario's name when the script is one, else null. */
  readonly name: string | null;
  /** The scenario text, as the editor holds it. */
  readonly script: string;
  /** What the reader did on top of the script, with the virtual times it took effect. */
  readonly actions: readonly RecordedAction[];
  /** When the script's own lines had all run (the actions' times count from it), or null. */
  readonly doneAtUs: number | null;
  /** The guided Next presses: at virtual time `t`, after `seq` script blocks had run. */
  readonly nexts: readonly { readonly t: number; readonly seq: number }[];
  readonly seed: number;
  /** The virtual time the view shows. */
  readonly positionUs: number;
}

/**
 * The format tag every link starts with. A new format gets a new tag and this
 * page keeps reading the old ones, so links already posted keep working.
 */
export const SHARE_VERSION = "v1";

/** The fragment key: `#share=v1.…`. A fragment never reaches a server, so any static host serves it. */
export const SHARE_KEY = "share";

/** The longest link text we try to read, and the most a link may inflate to (a small link must not expand without bound). */
export const MAX_SHARE_CHARS = 200_000;
export const MAX_SHARED_BYTES = 1_000_000;

/** The text of a built-in scenario by name, or undefined for a name the page does not have. */
export type BuiltinScenarios = (name: string) => string | undefined;

export type ShareDecoding =
  | {
      readonly ok: true;
      readonly run: SharedRun;
      /** Set when the link opens something that may differ from what its author saw. */
      readonly notice: string | null;
    }
  | { readonly ok: false; readonly message: string };

/**
 * The link text for a run: `v1.` and the URL-safe base64 of the deflated JSON.
 * A built-in scenario the reader did not edit travels as its name and a hash
 * of its text (a link of ~100 characters instead of ~1,000); any other script
 * travels whole.
 */
export async function encodeShare(
  run: SharedRun,
  builtins: BuiltinScenarios = () => undefined,
): Promise<string> {
  const builtin = run.name !== null && builtins(run.name) === run.script;
  const json = JSON.stringify({
    n: run.name,
    s: run.seed,
    p: run.positionUs,
    ...(builtin ? { h: textHash(run.script) } : { t: run.script }),
    a: run.actions.map((a) => [a.t, a.line]),
    ...(run.doneAtUs !== null ? { d: run.doneAtUs } : {}),
    ...(run.nexts.length > 0 ? { x: run.nexts.map((n) => [n.t, n.seq]) } : {}),
  });
  const packed = await deflateRaw(new TextEncoder().encode(json));
  return `${SHARE_VERSION}.${toBase64Url(packed)}`;
}

/**
 * The run a link text holds, or a sentence saying what is wrong with it. Any
 * string gives one or the other; nothing in it is ever executed.
 */
export async function decodeShare(
  token: string,
  builtins: BuiltinScenarios = () => undefined,
): Promise<ShareDecoding> {
  const fail = (why: string): ShareDecoding => ({
    ok: false,
    message: `This share link cannot be opened: ${why}.`,
  });
  if (token.length === 0) return fail("it is empty");
  if (token.length > MAX_SHARE_CHARS)
    return fail(`it is ${token.length} characters long, more than the ${MAX_SHARE_CHARS} allowed`);
  const dot = token.indexOf(".");
  const version = dot < 0 ? null : token.slice(0, dot);
  if (version === null || !/^v[0-9]+$/.test(version))
    return fail(`it should start with "${SHARE_VERSION}." (it starts with ${quoteStart(token)})`);
  if (version !== SHARE_VERSION)
    return fail(
      `it was made in format ${version}, and this playground reads ${SHARE_VERSION} (a newer playground made it?)`,
    );
  const base64 = fromBase64Url(token.slice(dot + 1));
  if (!base64.ok) return fail(base64.message);
  let bytes: Uint8Array;
  try {
    bytes = await inflateRaw(base64.bytes, MAX_SHARED_BYTES);
  } catch (e) {
    if (e instanceof InflateError) return fail(e.message);
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return fail("its content is damaged (not the JSON a share link holds)");
  }
  const read = readRun(json, builtins);
  return "problem" in read ? fail(read.problem) : { ok: true, ...read };
}

/** The run inside a link's JSON, or what is missing or wrong in it. */
function readRun(
  json: unknown,
  builtins: BuiltinScenarios,
): { run: SharedRun; notice: string | null } | { problem: string } {
  const problem = (why: string) => ({ problem: why });
  if (typeof json !== "object" || json === null || Array.isArray(json))
    return problem("its content is not a run");
  const o = json as Record<string, unknown>;
  const { n, s, p, t, h, a, d, x } = o;
  const extra = Object.keys(o).filter((k) => !["n", "s", "p", "t", "h", "a", "d", "x"].includes(k));
  if (extra.length > 0)
    return problem(`its content has fields this format does not know: ${extra.join(", ")}`);
  if (n !== null && typeof n !== "string") return problem("its scenario name is not text");
  if (!isWhole(s)) return problem("its seed is not a whole number");
  if (!isWhole(p)) return problem("its position is not a whole number of microseconds");
  if (d !== undefined && !isWhole(d))
    return problem("its script end is not a whole number of microseconds");
  let script: string;
  let notice: string | null = null;
  if (typeof t === "string" && h === undefined) {
    script = t;
  } else if (typeof h === "string" && t === undefined && typeof n === "string") {
    const current = builtins(n);
    if (current === undefined)
      return problem(`it names the built-in scenario "${n}", which this playground does not have`);
    script = current;
    if (textHash(current) !== h)
      notice = `The built-in scenario "${n}" has changed since this link was made: you see its current version, which may differ from what the link's author saw.`;
  } else {
    return problem("it holds no script");
  }
  if (!Array.isArray(a)) return problem("its actions are not a list");
  const actions: RecordedAction[] = [];
  for (const [i, item] of a.entries()) {
    if (!Array.isArray(item) || item.length !== 2 || !isWhole(item[0]) || !isLine(item[1]))
      return problem(`its action ${i + 1} is not a time and a script line`);
    actions.push({ t: item[0], line: item[1] });
  }
  const nexts: { t: number; seq: number }[] = [];
  if (x !== undefined) {
    if (!Array.isArray(x)) return problem("its Next presses are not a list");
    for (const [i, item] of x.entries()) {
      const last = nexts[nexts.length - 1];
      if (!Array.isArray(item) || item.length !== 2 || !isWhole(item[0]) || !isWhole(item[1]))
        return problem(`its Next press ${i + 1} is not a time and a count`);
      if (last && (item[0] < last.t || item[1] <= last.seq))
        return problem(`its Next press ${i + 1} comes before the one ahead of it`);
      nexts.push({ t: item[0], seq: item[1] });
    }
  }
  const doneAtUs = d ?? null;
  return { run: { name: n, seed: s, positionUs: p, script, actions, doneAtUs, nexts }, notice };
}

/** FNV-1a over the UTF-16 code units, as 8 hex digits: enough to notice that a built-in changed. */
export function textHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

function isWhole(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

function isLine(v: unknown): v is string {
  return typeof v === "string" && !/[\r\n]/.test(v);
}

function quoteStart(token: string): string {
  const start = token.slice(0, 12);
  return JSON.stringify(start) + (token.length > start.length ? "…" : "");
}

/** The page's address with the link in its fragment (replacing any fragment it had). */
export function shareUrl(pageUrl: string, token: string): string {
  const url = new URL(pageUrl);
  url.hash = `${SHARE_KEY}=${token}`;
  return url.toString();
}

/** The link text in a fragment (`#share=v1.…`), or null when the fragment holds none. */
export function shareTokenFrom(hash: string): string | null {
  const fragment = hash.startsWith("#") ? hash.slice(1) : hash;
  const prefix = `${SHARE_KEY}=`;
  return fragment.startsWith(prefix) ? fragment.slice(prefix.length) : null;
}
