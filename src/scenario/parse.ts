/**
 * The scenario parser: text in, a `Script` or every error out, each located at
 * `FILE:LINE:COLUMN`. Checks everything that can be known before the run: line
 * kinds, argument counts, names declared before use, units, config names and
 * values, variables set by an earlier `let`. Never throws.
 */
import { findConfig, parseConfigValue } from "../engine/config";
import {
  DEFAULT_EPOCH_MS,
  DEFAULT_INFO_SECTION,
  DEFAULT_REDIS_VERSION,
  DEFAULT_SEED,
  DEFAULT_SETTLE_TIMEOUT_US,
  type ClientLine,
  type ExpectValue,
  type LedgerField,
  type Line,
  type PathSettings,
  type RedisVersion,
  type RepeatableLine,
  type Script,
} from "./ast";
import { RESERVED_VARIABLES, VARIABLE_NAME } from "./expand";
import {
  ANY,
  LineError,
  NETWORKED,
  NODE,
  PROCESS,
  arity,
  checkExpansions,
  chunkEnd,
  col,
  declare,
  field,
  hoist,
  keyword,
  missing,
  op,
  options,
  pair,
  ref,
  refText,
  skipBlanks,
  text,
  trimmedEnd,
  unit,
  wholeNumber,
  words,
  type Ctx,
  type State,
} from "./parseContext";
import { commentStart, isBlank, tokenize, type Token } from "./tokenize";
import { parseDurationUs, parseEpochMs, parseRateBytesPerSec } from "./units";

export { NAME_PATTERN } from "./parseContext";

export interface ScenarioError {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;
  readonly message: string;
}

export type ParseResult =
  | { readonly ok: true; readonly script: Script }
  | { readonly ok: false; readonly errors: readonly ScenarioError[] };

/** Formats an error as `FILE:LINE:COLUMN: message`, the form the runner prints. */
export function formatError(e: ScenarioError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.message}`;
}

const GROUP_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const LEDGER_FIELDS: readonly LedgerField[] = ["acknowledged", "lost", "stale-reads"];
const MAX_REPEAT = 1_000_000;
/** The longest script, in characters (docs/limits.md): a long tutorial is a few thousand. */
export const MAX_SCRIPT_CHARS = 1_000_000;
/** Sentinel settings held in milliseconds that also accept a duration (`5s`). */
const MS_DURATION_PARAMS: ReadonlySet<string> = new Set([
  "sentinel-down-after",
  "sentinel-failover-timeout",
]);

const USAGE = {
  title: "title TEXT…",
  seed: "seed N",
  epoch: "epoch TIME",
  redis: "redis 7.0|6.2",
  config: "config PARAM VALUE…",
  node: "node NAME [replicaof MASTER] [priority N]",
  sentinel: "sentinel NAME monitor GROUP MASTER QUORUM",
  client:
    "client NAME sentinel GROUP [reads master|replicas] [wait N TIMEOUT]' or 'client NAME node NODE",
  clientSentinel: "client NAME sentinel GROUP [reads master|replicas] [wait N TIMEOUT]",
  clientNode: "client NAME node NODE",
  network: "network latency D [jitter D] [bandwidth R]",
  link: "link A B latency D [jitter D] [bandwidth R]",
  cut: "cut A B' or 'cut A",
  heal: "heal A B', 'heal A' or 'heal",
  reset: "reset A B",
  crash: "crash A",
  restart: "restart A",
  sleep: "sleep A D",
  advance: "advance D",
  settle: "settle [D]",
  repeat: "repeat N LINE…",
  info: "info NAME [SECTION]",
  step: "step TEXT…",
  say: "say TEXT…",
  let: "let VAR = NAME FIELD",
  expectField: "expect NAME FIELD OP VALUE",
  expectCommand: "expect NAME> COMMAND ARGS… => REPLY",
  expectKeyspace: "expect A keyspace = B",
  expectLedger: "expect ledger FIELD OP N",
  command: "NAME> COMMAND ARGS…",
} as const;

const KEYWORDS: ReadonlySet<string> = new Set(
  (
    "title seed epoch redis config node sentinel client network link cut heal reset crash " +
    "restart sleep advance settle repeat info step say let expect"
  ).split(" "),
);

/** Kinds that declare or set something once, so repeating them makes no sense. */
const NOT_REPEATABLE: ReadonlySet<string> = new Set(
  "title seed epoch redis node sentinel client repeat".split(" "),
);

/** A script over the limit: one error where the limit is crossed. */
function tooLong(body: string, file: string): ParseResult {
  const before = body.slice(0, MAX_SCRIPT_CHARS);
  const line = before.split("\n").length;
  const column = MAX_SCRIPT_CHARS - before.lastIndexOf("\n");
  const message = `the script is too long: ${body.length} characters, at most ${MAX_SCRIPT_CHARS}`;
  return { ok: false, errors: [{ file, line, column, message }] };
}

/**
 * Parses a whole scenario. On success the script holds every line in order and
 * the hoisted title, seed, epoch and Redis version; otherwise every error, in order.
 */
export function parseScenario(text: string, file = "<script>"): ParseResult {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (body.length > MAX_SCRIPT_CHARS) return tooLong(body, file);
  const rawLines = body.split("\n");
  const sources = rawLines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  const st: State = {
    names: new Map(),
    declaredAnywhere: prescanDeclarations(sources),
    groups: new Set(),
    variables: new Set(),
    hoisted: new Map(),
  };
  const errors: ScenarioError[] = [];
  const lines: Line[] = [];
  sources.forEach((source, i) => {
    const content = source.slice(0, commentStart(source));
    if (skipBlanks(content, 0) === content.length) return;
    const ctx: Ctx = { st, content, lineNo: i + 1, source, inRepeat: false };
    try {
      lines.push(parseLine(ctx, 0));
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      errors.push({ file, line: i + 1, column: e.column, message: e.message });
    }
  });
  if (errors.length > 0) return { ok: false, errors };

  let title: string | undefined;
  let seed = DEFAULT_SEED;
  let epochMs = DEFAULT_EPOCH_MS;
  let redisVersion: RedisVersion = DEFAULT_REDIS_VERSION;
  for (const line of lines) {
    if (line.kind === "title") title = line.text;
    else if (line.kind === "seed") seed = line.seed;
    else if (line.kind === "epoch") epochMs = line.epochMs;
    else if (line.kind === "redis") redisVersion = line.version;
  }
  const script: Script = {
    ...(title === undefined ? {} : { title }),
    seed,
    epochMs,
    redisVersion,
    lines,
  };
  return { ok: true, script };
}

function prescanDeclarations(sources: readonly string[]): Map<string, number> {
  const found = new Map<string, number>();
  sources.forEach((source, i) => {
    const m = /^[ \t\v\f\r]*(?:node|sentinel|client)[ \t\v\f\r]+([a-z][a-z0-9-]*)/.exec(source);
    if (m?.[1] !== undefined && !found.has(m[1])) found.set(m[1], i + 1);
  });
  return found;
}

// ---------------------------------------------------------------------------
// Lines

function parseLine(ctx: Ctx, from: number): Line {
  const { content } = ctx;
  const start = skipBlanks(content, from);
  const headEnd = chunkEnd(content, start);
  const head = content.slice(start, headEnd);
  const base = { line: ctx.lineNo, column: start + 1, source: ctx.source };

  const arrow = commandArrow(head);
  if (arrow !== undefined) {
    const cmd = parseCommandText(ctx, start, arrow, undefined);
    return { ...base, kind: "command", name: cmd.name, text: cmd.text, words: cmd.words };
  }
  if (!KEYWORDS.has(head)) throw new LineError(start + 1, unknownKind(ctx.st, head));
  if (ctx.inRepeat && NOT_REPEATABLE.has(head)) {
    throw new LineError(start + 1, `'${head}' cannot be repeated`);
  }

  switch (head) {
    case "title":
    case "step":
    case "say": {
      const text = restOfLine(ctx, headEnd, USAGE[head]);
      if (head === "title") {
        hoist(ctx, "title", start);
        return { ...base, kind: "title", text: text.text };
      }
      checkExpansions(ctx, text.text, text.start, false);
      return { ...base, kind: head, text: text.text };
    }
    case "repeat":
      return parseRepeat(ctx, base, headEnd);
    case "expect":
      return parseExpect(ctx, base, headEnd);
  }

  const w = words(ctx, start);
  switch (head) {
    case "seed": {
      arity(ctx, w, 2, 2, USAGE.seed);
      hoist(ctx, "seed", start);
      const seed = wholeNumber(w[1], "seed", 0, Number.MAX_SAFE_INTEGER);
      return { ...base, kind: "seed", seed };
    }
    case "epoch": {
      arity(ctx, w, 2, 2, USAGE.epoch);
      hoist(ctx, "epoch", start);
      return { ...base, kind: "epoch", epochMs: unit(w[1], parseEpochMs) };
    }
    case "redis": {
      arity(ctx, w, 2, 2, USAGE.redis);
      hoist(ctx, "redis", start);
      const v = text(w[1]);
      if (v !== "7.0" && v !== "6.2") {
        throw new LineError(col(w[1]), `unsupported Redis version '${v}': expected 7.0 or 6.2`);
      }
      return { ...base, kind: "redis", version: v };
    }
    case "config":
      return parseConfig(ctx, base, w);
    case "node":
      return parseNode(ctx, base, w);
    case "sentinel":
      return parseSentinel(ctx, base, w);
    case "client":
      return parseClient(ctx, base, w);
    case "network": {
      arity(ctx, w, 3, Infinity, USAGE.network);
      return { ...base, kind: "network", path: parsePath(ctx, w, 1, USAGE.network) };
    }
    case "link": {
      if (["latency", "jitter", "bandwidth"].includes(text(w[2]))) {
        throw new LineError(col(w[2]), `missing B: expected '${USAGE.link}'`);
      }
      arity(ctx, w, 5, Infinity, USAGE.link);
      const [a, b] = pair(ctx, w[1], w[2]);
      return { ...base, kind: "link", a, b, path: parsePath(ctx, w, 3, USAGE.link) };
    }
    case "cut": {
      arity(ctx, w, 2, 3, USAGE.cut);
      if (w.length === 2)
        return {
          ...base,
          kind: "cut",
          scope: { kind: "process", name: ref(ctx, w[1], NETWORKED) },
        };
      const [a, b] = pair(ctx, w[1], w[2]);
      return { ...base, kind: "cut", scope: { kind: "pair", a, b } };
    }
    case "heal": {
      arity(ctx, w, 1, 3, USAGE.heal);
      if (w.length === 1) return { ...base, kind: "heal", scope: { kind: "all" } };
      if (w.length === 2)
        return {
          ...base,
          kind: "heal",
          scope: { kind: "process", name: ref(ctx, w[1], NETWORKED) },
        };
      const [a, b] = pair(ctx, w[1], w[2]);
      return { ...base, kind: "heal", scope: { kind: "pair", a, b } };
    }
    case "reset": {
      arity(ctx, w, 3, 3, USAGE.reset);
      const [a, b] = pair(ctx, w[1], w[2]);
      return { ...base, kind: "reset", a, b };
    }
    case "crash":
    case "restart": {
      arity(ctx, w, 2, 2, USAGE[head]);
      return { ...base, kind: head, name: ref(ctx, w[1], PROCESS) };
    }
    case "sleep": {
      arity(ctx, w, 3, 3, USAGE.sleep);
      const name = ref(ctx, w[1], PROCESS);
      return { ...base, kind: "sleep", name, durationUs: unit(w[2], parseDurationUs) };
    }
    case "advance": {
      arity(ctx, w, 2, 2, USAGE.advance);
      return { ...base, kind: "advance", durationUs: unit(w[1], parseDurationUs) };
    }
    case "settle": {
      arity(ctx, w, 1, 2, USAGE.settle);
      const timeoutUs = w.length === 2 ? unit(w[1], parseDurationUs) : DEFAULT_SETTLE_TIMEOUT_US;
      return { ...base, kind: "settle", timeoutUs };
    }
    case "info": {
      arity(ctx, w, 2, 3, USAGE.info);
      const name = ref(ctx, w[1], PROCESS);
      const section = w[2] === undefined ? DEFAULT_INFO_SECTION : text(w[2]);
      if (!/^[A-Za-z_]+$/.test(section)) {
        throw new LineError(col(w[2]), `invalid INFO section '${section}'`);
      }
      return { ...base, kind: "info", name, section };
    }
    case "let":
      return parseLet(ctx, base, w);
  }
  // KEYWORDS and the cases above list the same words.
  throw new LineError(start + 1, unknownKind(ctx.st, head));
}

type Base = { readonly line: number; readonly column: number; readonly source: string };

function parseConfig(ctx: Ctx, base: Base, w: readonly Token[]): Line {
  arity(ctx, w, 3, Infinity, USAGE.config);
  const param = text(w[1]);
  const spec = findConfig(param);
  if (spec === undefined) throw new LineError(col(w[1]), `unknown config parameter '${param}'`);
  const values = w.slice(2);
  const extra = values[1];
  const manyWords = spec.type.kind === "string" || spec.type.kind === "clientOutputBufferLimit";
  if (!manyWords && extra !== undefined) {
    throw new LineError(extra.column, `unexpected '${text(extra)}': ${spec.name} takes one value`);
  }
  let raw = values.map(text).join(" ");
  if (MS_DURATION_PARAMS.has(spec.name) && /[a-z]$/.test(raw)) {
    const us = unit(w[2], parseDurationUs);
    if (us % 1000 !== 0) throw new LineError(col(w[2]), `${spec.name} is in whole milliseconds`);
    raw = String(us / 1000);
  }
  const parsed = parseConfigValue(spec, raw);
  if (!parsed.ok) {
    throw new LineError(col(w[2]), `invalid value '${raw}' for ${spec.name}: ${parsed.reason}`);
  }
  return { ...base, kind: "config", name: spec.name, value: parsed.value };
}

function parseNode(ctx: Ctx, base: Base, w: readonly Token[]): Line {
  arity(ctx, w, 2, Infinity, USAGE.node);
  const name = declare(ctx, w[1], "node");
  const opts = options(ctx, w, 2, { replicaof: 1, priority: 1 }, USAGE.node);
  const master = opts.get("replicaof")?.[0];
  const priority = opts.get("priority")?.[0];
  let replicaOf: string | undefined;
  if (master !== undefined) {
    if (text(master) === name)
      throw new LineError(master.column, `node '${name}' cannot replicate itself`);
    replicaOf = ref(ctx, master, NODE);
  }
  return {
    ...base,
    kind: "node",
    name,
    ...(replicaOf === undefined ? {} : { replicaOf }),
    ...(priority === undefined
      ? {}
      : { priority: wholeNumber(priority, "priority", 0, 2147483647) }),
  };
}

function parseSentinel(ctx: Ctx, base: Base, w: readonly Token[]): Line {
  arity(ctx, w, 2, 6, USAGE.sentinel);
  const name = declare(ctx, w[1], "sentinel");
  arity(ctx, w, 6, 6, USAGE.sentinel);
  keyword(w[2], "monitor", USAGE.sentinel);
  const group = text(w[3]);
  if (!GROUP_PATTERN.test(group)) throw new LineError(col(w[3]), `invalid group name '${group}'`);
  const master = ref(ctx, w[4], NODE);
  const quorum = wholeNumber(w[5], "quorum", 1, 2147483647);
  ctx.st.groups.add(group);
  return { ...base, kind: "sentinel", name, group, master, quorum };
}

function parseClient(ctx: Ctx, base: Base, w: readonly Token[]): Line {
  arity(ctx, w, 2, Infinity, USAGE.client);
  const name = declare(ctx, w[1], "client");
  arity(ctx, w, 4, Infinity, USAGE.client);
  const how = text(w[2]);
  let via: ClientLine["via"];
  if (how === "node") {
    arity(ctx, w, 4, 4, USAGE.clientNode);
    via = { kind: "node", node: ref(ctx, w[3], NODE) };
  } else if (how === "sentinel") {
    const group = text(w[3]);
    if (!ctx.st.groups.has(group)) {
      throw new LineError(col(w[3]), `no earlier sentinel line monitors a group named '${group}'`);
    }
    const opts = options(ctx, w, 4, { reads: 1, wait: 2 }, USAGE.clientSentinel);
    const reads = opts.get("reads")?.[0];
    const readsValue = reads === undefined ? "master" : text(reads);
    if (readsValue !== "master" && readsValue !== "replicas") {
      throw new LineError(col(reads), `invalid reads '${readsValue}': expected master or replicas`);
    }
    const wait = opts.get("wait");
    via = {
      kind: "sentinel",
      group,
      reads: readsValue,
      ...(wait === undefined
        ? {}
        : {
            wait: {
              numReplicas: wholeNumber(wait[0], "WAIT's number of replicas", 0, 2147483647),
              timeoutMs: wholeNumber(
                wait[1],
                "WAIT's timeout (milliseconds)",
                0,
                Number.MAX_SAFE_INTEGER,
              ),
            },
          }),
    };
  } else {
    throw new LineError(
      col(w[2]),
      `expected 'sentinel' or 'node' after the client's name: '${USAGE.client}'`,
    );
  }
  return { ...base, kind: "client", name, via };
}

function parsePath(ctx: Ctx, w: readonly Token[], from: number, usage: string): PathSettings {
  const opts = options(ctx, w, from, { latency: 1, jitter: 1, bandwidth: 1 }, usage);
  const latency = opts.get("latency")?.[0];
  if (latency === undefined)
    throw new LineError(col(w[from]), `missing latency: expected '${usage}'`);
  const latencyUs = unit(latency, parseDurationUs);
  if (latencyUs === 0) {
    throw new LineError(latency.column, "latency must be more than 0: every path takes some time");
  }
  const jitter = opts.get("jitter")?.[0];
  const bandwidth = opts.get("bandwidth")?.[0];
  return {
    latencyUs,
    ...(jitter === undefined ? {} : { jitterUs: unit(jitter, parseDurationUs) }),
    ...(bandwidth === undefined
      ? {}
      : { bandwidthBytesPerSec: unit(bandwidth, parseRateBytesPerSec) }),
  };
}

function parseLet(ctx: Ctx, base: Base, w: readonly Token[]): Line {
  arity(ctx, w, 2, 5, USAGE.let);
  const variable = text(w[1]);
  if (!VARIABLE_NAME.test(variable)) {
    throw new LineError(
      col(w[1]),
      `invalid variable name '${variable}': expected letters, digits and _, not starting with a digit`,
    );
  }
  if (RESERVED_VARIABLES.has(variable)) {
    throw new LineError(
      col(w[1]),
      `'${variable}' is reserved ($${variable === "i" ? "i" : "bytes(N)"} is built in)`,
    );
  }
  ctx.st.variables.add(variable);
  arity(ctx, w, 5, 5, USAGE.let);
  keyword(w[2], "=", USAGE.let);
  const name = ref(ctx, w[3], PROCESS);
  return { ...base, kind: "let", variable, name, field: field(w[4]) };
}

function parseRepeat(ctx: Ctx, base: Base, headEnd: number): Line {
  const { content } = ctx;
  const countStart = skipBlanks(content, headEnd);
  if (countStart === content.length) throw missing(content, "N", USAGE.repeat);
  const countEnd = chunkEnd(content, countStart);
  const countText = content.slice(countStart, countEnd);
  if (!/^[0-9]+$/.test(countText) || Number(countText) < 1 || Number(countText) > MAX_REPEAT) {
    throw new LineError(
      countStart + 1,
      `invalid repeat count '${countText}': expected a whole number from 1 to ${MAX_REPEAT}`,
    );
  }
  const bodyStart = skipBlanks(content, countEnd);
  if (bodyStart === content.length) throw missing(content, "LINE…", USAGE.repeat);
  const body = parseLine({ ...ctx, inRepeat: true }, bodyStart);
  if (!isRepeatable(body)) throw new LineError(bodyStart + 1, `'${body.kind}' cannot be repeated`);
  return { ...base, kind: "repeat", count: Number(countText), body };
}

function isRepeatable(line: Line): line is RepeatableLine {
  return !NOT_REPEATABLE.has(line.kind);
}

function parseExpect(ctx: Ctx, base: Base, headEnd: number): Line {
  const { content } = ctx;
  const second = skipBlanks(content, headEnd);
  const arrow = commandArrow(content.slice(second, chunkEnd(content, second)));
  if (arrow !== undefined) return parseExpectCommand(ctx, base, second, arrow);

  const w = words(ctx, base.column - 1);
  if (text(w[1]) === "ledger") {
    arity(ctx, w, 5, 5, USAGE.expectLedger);
    const f = text(w[2]);
    const ledgerField = LEDGER_FIELDS.find((x) => x === f);
    if (ledgerField === undefined) {
      throw new LineError(
        col(w[2]),
        `unknown ledger field '${f}': expected ${LEDGER_FIELDS.join(", ")}`,
      );
    }
    const o = op(w[3]);
    const value = wholeNumber(w[4], "count", 0, Number.MAX_SAFE_INTEGER);
    return { ...base, kind: "expectLedger", field: ledgerField, op: o, value };
  }
  arity(ctx, w, 3, Infinity, USAGE.expectField);
  if (text(w[2]) === "keyspace") {
    arity(ctx, w, 5, 5, USAGE.expectKeyspace);
    const a = ref(ctx, w[1], NODE);
    if (text(w[3]) !== "=") {
      throw new LineError(
        col(w[3]),
        `expected '=': keyspaces can only be compared with '=' ('${USAGE.expectKeyspace}')`,
      );
    }
    const b = ref(ctx, w[4], NODE);
    return { ...base, kind: "expectKeyspace", a, b };
  }
  arity(ctx, w, 5, 7, USAGE.expectField);
  const name = ref(ctx, w[1], PROCESS);
  const f = field(w[2]);
  const o = op(w[3]);
  return { ...base, kind: "expectField", name, field: f, op: o, value: expectValue(ctx, w) };
}

function expectValue(ctx: Ctx, w: readonly Token[]): ExpectValue {
  const first = w[4];
  if (first === undefined) throw missing(ctx.content, "VALUE", USAGE.expectField);
  const word = first.bytes;
  const variable = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(word)?.[1];
  const sign = text(w[5]);
  if (w.length === 5 || variable === undefined || (sign !== "+" && sign !== "-")) {
    arity(ctx, w, 5, 5, USAGE.expectField);
    const glued = /^(\$[A-Za-z_][A-Za-z0-9_]*)([+-])([0-9]+)$/.exec(word);
    if (glued) {
      throw new LineError(
        first.column,
        `write '${glued[1]} ${glued[2]} ${glued[3]}' with spaces around '${glued[2]}'`,
      );
    }
    checkExpansions(
      ctx,
      word,
      first.start,
      first.quoted || word.length !== first.end - first.start,
    );
    return { kind: "word", word };
  }
  const usage = `expect NAME FIELD OP $VAR ${sign} N`;
  arity(ctx, w, 7, 7, usage);
  checkExpansions(ctx, word, first.start, first.quoted);
  const n = wholeNumber(w[6], "N", 0, Number.MAX_SAFE_INTEGER);
  return { kind: "offset", variable, delta: sign === "+" ? n : -n };
}

function parseExpectCommand(ctx: Ctx, base: Base, start: number, arrow: number): Line {
  const cmd = parseCommandText(ctx, start, arrow, "=>");
  const { content } = ctx;
  if (cmd.stoppedAt === undefined) {
    throw new LineError(
      trimmedEnd(content) + 1,
      `missing '=> REPLY': expected '${USAGE.expectCommand}'`,
    );
  }
  const replyStart = skipBlanks(content, cmd.stoppedAt + 2);
  const raw = content.slice(replyStart, Math.max(replyStart, trimmedEnd(content)));
  if (raw === "")
    throw new LineError(
      cmd.stoppedAt + 3,
      `missing REPLY after '=>': expected '${USAGE.expectCommand}'`,
    );
  checkExpansions(ctx, raw, replyStart, false);
  return {
    ...base,
    kind: "expectCommand",
    name: cmd.name,
    text: cmd.text,
    words: cmd.words,
    reply: decodeReply(raw),
  };
}

/**
 * Parses `NAME> COMMAND ARGS…` from `start` (the name), `arrow` being the index
 * of `>` within the name's chunk; with `stopAt`, the command ends before that word.
 */
function parseCommandText(
  ctx: Ctx,
  start: number,
  arrow: number,
  stopAt: string | undefined,
): { name: string; text: string; words: readonly Token[]; stoppedAt?: number } {
  const { content } = ctx;
  const nameText = content.slice(start, start + arrow);
  if (nameText === "")
    throw new LineError(start + 1, `missing NAME before '>': expected '${USAGE.command}'`);
  const after = start + arrow + 1;
  if (after < content.length && !isBlank(content[after])) {
    throw new LineError(after + 1, `expected a space after '${nameText}>'`);
  }
  const name = refText(ctx, nameText, start + 1, ANY);
  const textStart = skipBlanks(content, after);
  const result = tokenize(
    content,
    stopAt === undefined ? { from: textStart } : { from: textStart, stopAt },
  );
  if (!result.ok) throw new LineError(result.column, result.message);
  const end = result.stoppedAt ?? trimmedEnd(content);
  if (result.tokens.length === 0) {
    throw new LineError(
      end + 1,
      `missing COMMAND after '${nameText}>': expected '${stopAt === undefined ? USAGE.command : USAGE.expectCommand}'`,
    );
  }
  for (const t of result.tokens)
    checkExpansions(ctx, t.bytes, t.start, t.quoted || t.bytes.length !== t.end - t.start);
  const commandText = content.slice(textStart, trimmedEnd(content.slice(0, end)));
  return {
    name,
    text: commandText,
    words: result.tokens,
    ...(result.stoppedAt === undefined ? {} : { stoppedAt: result.stoppedAt }),
  };
}

/**
 * Turns REPLY text into the exact text redis-cli prints: `\n` outside double
 * quotes is a line break; inside `"…"` (with its `\"` and `\\` escapes) it is left
 * alone, because there it is how redis-cli prints a newline byte.
 */
export function decodeReply(raw: string): string {
  let out = "";
  let inQuotes = false;
  for (let p = 0; p < raw.length; p++) {
    const ch = raw[p] ?? "";
    const next = raw[p + 1];
    if (inQuotes) {
      if (ch === "\\" && next !== undefined) {
        out += ch + next;
        p++;
        continue;
      }
      if (ch === '"') inQuotes = false;
      out += ch;
    } else if (ch === "\\" && next === "n") {
      out += "\n";
      p++;
    } else {
      if (ch === '"') inQuotes = true;
      out += ch;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Line shapes

/** The index of `>` when a line's first chunk is `NAME>` (no quote before it). */
function commandArrow(head: string): number | undefined {
  const gt = head.indexOf(">");
  if (gt < 0) return undefined;
  const quote = head.search(/["']/);
  return quote >= 0 && quote < gt ? undefined : gt;
}

/** The rest of the line after the keyword, trimmed; it must not be empty. */
function restOfLine(ctx: Ctx, from: number, usage: string): { text: string; start: number } {
  const start = skipBlanks(ctx.content, from);
  const end = trimmedEnd(ctx.content);
  if (start >= end) throw missing(ctx.content, "TEXT", usage);
  return { text: ctx.content.slice(start, end), start };
}

function unknownKind(st: State, head: string): string {
  let hint = "";
  if (st.names.has(head)) hint = ` (to send '${head}' a command, write '${head}> COMMAND ARGS…')`;
  else if (KEYWORDS.has(head.toLowerCase()))
    hint = ` (line kinds are lowercase: '${head.toLowerCase()}')`;
  return `unknown line kind '${head}'${hint}`;
}
