/**
 * The parsed form of a scenario script (`docs/scenario-format.md`): one `Line` per
 * non-blank, non-comment source line, in source order, as a closed tagged union.
 *
 * Conventions the interpreter relies on:
 * - Durations are whole microseconds of virtual time (fields end in `Us`).
 * - Names have been checked: every name a line refers to was declared by an
 *   earlier `node`, `sentinel` or `client` line, of a kind that line accepts.
 * - Words marked "expand at run time" may hold `$VAR`, `$i`, `$bytes(N)` or `$$`;
 *   pass them through `expand()` (`expand.ts`) just before use. Every other field
 *   is final. A `$VAR` with no earlier `let VAR` and a `$i` outside `repeat` are
 *   already parse errors, so at run time `expand` fails only on a `let` that did
 *   not run before (impossible in a linear run) or on bad `$bytes`.
 */
import type { ByteString } from "../engine/bytes";
import type { Token } from "./tokenize";

/** Which Redis release's behaviour to model. */
export type RedisVersion = "7.0" | "6.2";

export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

/** The ledger of writes acknowledged to clients (`expect ledger FIELD OP N`). */
export type LedgerField =
  /** Writes acknowledged to a client. */
  | "acknowledged"
  /** Acknowledged, then missing from the current master's dataset. */
  | "lost"
  /** Reads that returned a value older than one already acknowledged. */
  | "stale-reads";

/** Where an application client sends its reads. */
export type ClientReads =
  /** Every read goes to the master. */
  | "master"
  /** Reads are spread over the replicas. */
  | "replicas";

/** A word of a command line: its bytes before expansion, and where it was. */
export type Word = Token;

interface LineBase {
  /** 1-based line number in the file. */
  readonly line: number;
  /** 1-based column of the line's first word (for `repeat`'s body, the body's). */
  readonly column: number;
  /** The line's text as written, comment included, without the line break. */
  readonly source: string;
}

/** Path settings of `network` and `link`. Absent options were not written. */
export interface PathSettings {
  readonly latencyUs: number;
  readonly jitterUs?: number;
  readonly bandwidthBytesPerSec?: number;
}

export interface TitleLine extends LineBase {
  readonly kind: "title";
  readonly text: string;
}

export interface SeedLine extends LineBase {
  readonly kind: "seed";
  readonly seed: number;
}

export interface EpochLine extends LineBase {
  readonly kind: "epoch";
  readonly epochMs: number;
}

export interface RedisLine extends LineBase {
  readonly kind: "redis";
  readonly version: RedisVersion;
}

/** `config PARAM VALUE…`: a default for nodes (and Sentinels) started after it. */
export interface ConfigLine extends LineBase {
  readonly kind: "config";
  /** The canonical parameter name (an alias such as `slave-priority` is resolved). */
  readonly name: string;
  /**
   * The canonical value as CONFIG GET prints it (`parseConfigValue`): sizes in
   * bytes, booleans yes/no, several words joined by one space (`save 900 1`).
   * `sentinel-down-after` and `sentinel-failover-timeout` accept a duration
   * (`5s`) and hold milliseconds.
   */
  readonly value: string;
}

export interface NodeLine extends LineBase {
  readonly kind: "node";
  readonly name: string;
  /** Starts as `redis-server --replicaof MASTER 6379` (first request `PSYNC ? -1`). */
  readonly replicaOf?: string;
  /** `replica-priority`. */
  readonly priority?: number;
}

export interface SentinelLine extends LineBase {
  readonly kind: "sentinel";
  readonly name: string;
  readonly group: string;
  readonly master: string;
  readonly quorum: number;
}

export interface ClientLine extends LineBase {
  readonly kind: "client";
  readonly name: string;
  readonly via:
    | {
        readonly kind: "sentinel";
        readonly group: string;
        /** Default `master`. */
        readonly reads: ClientReads;
        /** `wait N TIMEOUT`: send `WAIT numReplicas timeoutMs` after every write. */
        readonly wait?: { readonly numReplicas: number; readonly timeoutMs: number };
      }
    | { readonly kind: "node"; readonly node: string };
}

/** `network latency D [jitter D] [bandwidth R]`: the default for every path. */
export interface NetworkLine extends LineBase {
  readonly kind: "network";
  readonly path: PathSettings;
}

/** `link A B latency D …`: the path between A and B, both directions. */
export interface LinkLine extends LineBase {
  readonly kind: "link";
  readonly a: string;
  readonly b: string;
  readonly path: PathSettings;
}

/** Which partitions a `cut` makes or a `heal` ends. */
export type PartitionScope =
  /** Every partition (`heal` alone). */
  | { readonly kind: "all" }
  /** A against every other process (`cut A`, `heal A`). */
  | { readonly kind: "process"; readonly name: string }
  /** Between A and B, both directions. */
  | { readonly kind: "pair"; readonly a: string; readonly b: string };

export interface CutLine extends LineBase {
  readonly kind: "cut";
  readonly scope: Exclude<PartitionScope, { kind: "all" }>;
}

export interface HealLine extends LineBase {
  readonly kind: "heal";
  readonly scope: PartitionScope;
}

export interface ResetLine extends LineBase {
  readonly kind: "reset";
  readonly a: string;
  readonly b: string;
}

export interface CrashLine extends LineBase {
  readonly kind: "crash";
  readonly name: string;
}

export interface RestartLine extends LineBase {
  readonly kind: "restart";
  readonly name: string;
}

export interface SleepLine extends LineBase {
  readonly kind: "sleep";
  readonly name: string;
  readonly durationUs: number;
}

export interface AdvanceLine extends LineBase {
  readonly kind: "advance";
  readonly durationUs: number;
}

export interface SettleLine extends LineBase {
  readonly kind: "settle";
  /** The limit (default 60s): past it, the run fails. */
  readonly timeoutUs: number;
}

/** `repeat N LINE…`: runs `body` N times (N ≥ 1) with `$i` = 1 … N. */
export interface RepeatLine extends LineBase {
  readonly kind: "repeat";
  readonly count: number;
  readonly body: RepeatableLine;
}

/** `NAME> COMMAND ARGS…` through NAME's one client connection. */
export interface CommandLine extends LineBase {
  readonly kind: "command";
  /** A node, Sentinel or client. */
  readonly name: string;
  /** The raw text after `NAME> `, comment removed, as the transcript shows it. */
  readonly text: string;
  /** The arguments as redis-cli splits `text`; expand each at run time. Never empty. */
  readonly words: readonly Word[];
}

export interface InfoLine extends LineBase {
  readonly kind: "info";
  /** A node or Sentinel. */
  readonly name: string;
  /** As written; default `replication`. */
  readonly section: string;
}

export interface StepLine extends LineBase {
  readonly kind: "step";
  /** The rest of the line as written (quotes kept); expand at run time. */
  readonly text: string;
}

export interface SayLine extends LineBase {
  readonly kind: "say";
  /** The rest of the line as written (quotes kept); expand at run time. */
  readonly text: string;
}

/** `let VAR = NAME FIELD`. */
export interface LetLine extends LineBase {
  readonly kind: "let";
  readonly variable: string;
  /** A node or Sentinel. */
  readonly name: string;
  readonly field: string;
}

/** The right-hand side of `expect NAME FIELD OP VALUE`. */
export type ExpectValue =
  /** One word; expand at run time (`52`, `up`, `$OFFSET`, `(absent)`). */
  | { readonly kind: "word"; readonly word: ByteString }
  /** `$VAR + N` or `$VAR - N`: `delta` is +N or -N; `variable` `i` is the repeat count. */
  | { readonly kind: "offset"; readonly variable: string; readonly delta: number };

export interface ExpectFieldLine extends LineBase {
  readonly kind: "expectField";
  /** A node or Sentinel. */
  readonly name: string;
  /** An INFO field, or a part of a composite one (`slave0.offset`, `db0.keys`). */
  readonly field: string;
  readonly op: CompareOp;
  readonly value: ExpectValue;
}

/** `expect NAME> COMMAND ARGS… => REPLY`. */
export interface ExpectCommandLine extends LineBase {
  readonly kind: "expectCommand";
  readonly name: string;
  /** The raw command text between `NAME> ` and ` =>`. */
  readonly text: string;
  /** The arguments; expand each at run time. Never empty. */
  readonly words: readonly Word[];
  /**
   * The expected reply as redis-cli prints it, with every `\n` outside double
   * quotes already turned into a line break (inside `"…"` it stays the two
   * characters redis-cli prints for a newline byte). Expand at run time.
   */
  readonly reply: string;
}

/** `expect A keyspace = B`: both are nodes. */
export interface ExpectKeyspaceLine extends LineBase {
  readonly kind: "expectKeyspace";
  readonly a: string;
  readonly b: string;
}

export interface ExpectLedgerLine extends LineBase {
  readonly kind: "expectLedger";
  readonly field: LedgerField;
  readonly op: CompareOp;
  readonly value: number;
}

/** Lines allowed as the body of `repeat`. */
export type RepeatableLine =
  | ConfigLine
  | NetworkLine
  | LinkLine
  | CutLine
  | HealLine
  | ResetLine
  | CrashLine
  | RestartLine
  | SleepLine
  | AdvanceLine
  | SettleLine
  | CommandLine
  | InfoLine
  | StepLine
  | SayLine
  | LetLine
  | ExpectFieldLine
  | ExpectCommandLine
  | ExpectKeyspaceLine
  | ExpectLedgerLine;

export type Line =
  | RepeatableLine
  | TitleLine
  | SeedLine
  | EpochLine
  | RedisLine
  | NodeLine
  | SentinelLine
  | ClientLine
  | RepeatLine;

export type LineKind = Line["kind"];

export interface Script {
  /** From the `title` line. */
  readonly title?: string;
  /** From the `seed` line; default 1. */
  readonly seed: number;
  /** Unix milliseconds at virtual time 0; default 1767225600000 (2026-01-01T00:00:00Z). */
  readonly epochMs: number;
  /** Default `7.0`. */
  readonly redisVersion: RedisVersion;
  /** Every line in source order, the hoisted ones included. */
  readonly lines: readonly Line[];
}

export const DEFAULT_SEED = 1;
export const DEFAULT_EPOCH_MS = 1767225600000;
export const DEFAULT_REDIS_VERSION: RedisVersion = "7.0";
export const DEFAULT_SETTLE_TIMEOUT_US = 60_000_000;
export const DEFAULT_INFO_SECTION = "replication";
