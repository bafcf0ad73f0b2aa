import type { ByteString } from "../engine/bytes";
import type { VirtualTime } from "../engine/io";
import { formatReply } from "../engine/resp/redisCli";
import type { SentinelConfig } from "../engine/sentinel/sentinel";
import type { Cluster } from "../sim/cluster";
import type {
  CompareOp,
  ExpectFieldLine,
  ExpectLedgerLine,
  Line,
  RepeatableLine,
  Script,
} from "./ast";
import { expand } from "./expand";
import { readField } from "./fields";

/** One line of the transcript, with the virtual time it was printed at. */
export interface TranscriptEntry {
  /** Source line that produced it. */
  readonly line: number;
  readonly t: VirtualTime;
  readonly kind: "command" | "reply" | "info" | "step" | "say";
  readonly text: string;
}

export type RunResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly line: number;
      /** `line N: expected …, got …` or the runtime error, as the runner prints it. */
      readonly message: string;
    };

export interface RunHooks {
  /** Called before each `step` line; the page waits here for the reader. */
  readonly beforeStep?: (title: string, line: number) => Promise<void>;
  /** Called with each transcript entry as it is produced. */
  readonly onEntry?: (entry: TranscriptEntry) => void;
  /** Called after each line ran (inside `repeat`, after each repetition); a thrown Error fails the run at that line. */
  readonly afterLine?: (line: Line) => Promise<void>;
}

/** A failed check or a step that could not run: ends the run. */
class StepFailure extends Error {}

/**
 * Runs a parsed script against a cluster, line by line, and returns the
 * transcript. The same code drives the in-process runner and the page.
 */
export class Interpreter {
  readonly transcript: TranscriptEntry[] = [];
  private readonly vars = new Map<string, ByteString>();
  private readonly config = new Map<string, string>();

  constructor(
    private readonly script: Script,
    private readonly cluster: Cluster,
    private readonly hooks: RunHooks = {},
  ) {}

  async run(): Promise<RunResult> {
    this.cluster.setEpoch(this.script.epochMs);
    this.cluster.setVersion(this.script.redisVersion);
    for (const line of this.script.lines) {
      try {
        await this.runLine(line);
        await this.hooks.afterLine?.(line);
      } catch (e) {
        // Cluster errors are the script's fault (a command to a crashed node, ...): they end the run.
        if (
          e instanceof StepFailure ||
          (e instanceof Error && (e.name === "ClusterError" || e.name === "InvariantViolation"))
        ) {
          return { ok: false, line: line.line, message: `line ${line.line}: ${e.message}` };
        }
        throw e;
      }
    }
    return { ok: true };
  }

  private emit(line: number, kind: TranscriptEntry["kind"], text: string): void {
    const entry: TranscriptEntry = { line, t: this.cluster.now(), kind, text };
    this.transcript.push(entry);
    this.hooks.onEntry?.(entry);
  }

  private word(word: ByteString, count?: number): ByteString {
    const r = expand(word, this.vars, count);
    if (!r.ok) throw new StepFailure(r.message);
    return r.value;
  }

  private async runLine(line: Line, count?: number): Promise<void> {
    switch (line.kind) {
      case "title":
      case "seed":
      case "epoch":
      case "redis":
        return; // hoisted into the Script
      case "node": {
        const config = new Map(this.config);
        if (line.priority !== undefined) config.set("replica-priority", String(line.priority));
        await this.cluster.startNode({
          name: line.name,
          ...(line.replicaOf !== undefined ? { replicaOf: line.replicaOf } : {}),
          config,
        });
        return;
      }
      case "sentinel":
        await this.cluster.startNode({
          kind: "sentinel",
          name: line.name,
          // The cluster turns the master's name into its address.
          monitors: [
            { group: line.group, masterHost: line.master, masterPort: 6379, quorum: line.quorum },
          ],
          sentinelConfig: this.sentinelConfig(),
        });
        return;
      case "client":
        await this.cluster.startNode({
          kind: "client",
          name: line.name,
          // The cluster fills in the addresses (the group's Sentinels, the node's IP).
          route:
            line.via.kind === "node"
              ? { kind: "node", addr: { ip: line.via.node, port: 6379 } }
              : {
                  kind: "sentinel",
                  group: line.via.group,
                  sentinels: [],
                  reads: line.via.reads,
                  ...(line.via.wait ? { wait: line.via.wait } : {}),
                },
        });
        return;
      case "repeat":
        for (let i = 1; i <= line.count; i++) await this.runLine(line.body, i);
        return;
      default:
        await this.runRepeatable(line, count);
    }
  }

  private async runRepeatable(line: RepeatableLine, count?: number): Promise<void> {
    const c = this.cluster;
    switch (line.kind) {
      case "config":
        this.config.set(line.name, line.value);
        return;
      case "network":
        await c.fault({
          kind: "network",
          settings: {
            latencyUs: line.path.latencyUs,
            jitterUs: line.path.jitterUs ?? 0,
            bandwidthBytesPerSec: line.path.bandwidthBytesPerSec ?? 0,
          },
        });
        return;
      case "link":
        await c.fault({
          kind: "link",
          a: line.a,
          b: line.b,
          settings: {
            latencyUs: line.path.latencyUs,
            jitterUs: line.path.jitterUs ?? 0,
            bandwidthBytesPerSec: line.path.bandwidthBytesPerSec ?? 0,
          },
        });
        return;
      case "cut":
        await c.fault(
          line.scope.kind === "pair"
            ? { kind: "cut", a: line.scope.a, b: line.scope.b }
            : { kind: "cut", a: line.scope.name },
        );
        return;
      case "heal":
        await c.fault(
          line.scope.kind === "pair"
            ? { kind: "heal", a: line.scope.a, b: line.scope.b }
            : line.scope.kind === "process"
              ? { kind: "heal", a: line.scope.name }
              : { kind: "heal" },
        );
        return;
      case "reset":
        await c.fault({ kind: "reset", a: line.a, b: line.b });
        return;
      case "crash":
        await c.fault({ kind: "crash", node: line.name });
        return;
      case "restart":
        await c.fault({ kind: "restart", node: line.name });
        return;
      case "sleep":
        await c.fault({ kind: "sleep", node: line.name, durationUs: line.durationUs });
        return;
      case "advance":
        await c.advance(line.durationUs);
        return;
      case "settle":
        if (!(await c.settle(line.timeoutUs))) {
          throw new StepFailure(`the cluster did not settle within ${line.timeoutUs / 1e6}s`);
        }
        return;
      case "command": {
        const argv = line.words.map((w) => this.word(w.bytes, count));
        this.emit(line.line, "command", `${line.name}> ${this.word(line.text, count)}`);
        const reply = await c.command(line.name, "script", argv);
        this.emit(line.line, "reply", formatReply(reply));
        return;
      }
      case "info": {
        const text = await c.infoText(line.name, line.section);
        for (const l of text.split("\r\n")) if (l.length > 0) this.emit(line.line, "info", l);
        return;
      }
      case "step":
        await this.hooks.beforeStep?.(this.word(line.text, count), line.line);
        this.emit(line.line, "step", `== ${this.word(line.text, count)}`);
        return;
      case "say":
        this.emit(line.line, "say", this.word(line.text, count));
        return;
      case "let": {
        const snap = await c.snapshot(line.name);
        this.vars.set(line.variable, readField(snap.info, line.field));
        return;
      }
      case "expectField":
        await this.expectField(line, count);
        return;
      case "expectCommand": {
        const argv = line.words.map((w) => this.word(w.bytes, count));
        const reply = formatReply(await c.command(line.name, "script", argv));
        const expected = this.word(line.reply, count);
        if (reply !== expected) {
          throw new StepFailure(`expected ${line.name}> ${line.text} => ${expected}, got ${reply}`);
        }
        return;
      }
      case "expectKeyspace": {
        const [a, b] = await Promise.all([c.keyspaceDigest(line.a), c.keyspaceDigest(line.b)]);
        if (a !== b) {
          throw new StepFailure(
            `expected keyspace of ${line.a} = keyspace of ${line.b}, got ${describeDifference(line.a, a, line.b, b)}`,
          );
        }
        return;
      }
      case "expectLedger":
        await this.expectLedger(line);
        return;
    }
  }

  private async expectLedger(line: ExpectLedgerLine): Promise<void> {
    if (!this.cluster.ledger) {
      throw new StepFailure("this cluster keeps no ledger of acknowledged writes");
    }
    const ledger = await this.cluster.ledger();
    const actual =
      line.field === "acknowledged"
        ? ledger.acknowledged
        : line.field === "lost"
          ? ledger.lost
          : ledger.staleReads;
    if (!compare(String(actual), line.op, String(line.value))) {
      throw new StepFailure(
        `expected ledger ${line.field} ${line.op} ${line.value}, got ${actual}`,
      );
    }
  }

  /** The `config sentinel-…` settings so far (the parser holds them in ms and checks them). */
  private sentinelConfig(): SentinelConfig {
    const get = (name: string) => {
      const v = this.config.get(name);
      return v === undefined ? undefined : Number(v);
    };
    const downAfterMs = get("sentinel-down-after");
    const failoverTimeoutMs = get("sentinel-failover-timeout");
    const parallelSyncs = get("sentinel-parallel-syncs");
    return {
      ...(downAfterMs !== undefined ? { downAfterMs } : {}),
      ...(failoverTimeoutMs !== undefined ? { failoverTimeoutMs } : {}),
      ...(parallelSyncs !== undefined ? { parallelSyncs } : {}),
    };
  }

  private async expectField(line: ExpectFieldLine, count?: number): Promise<void> {
    const snap = await this.cluster.snapshot(line.name);
    const actual = readField(snap.info, line.field);
    let expected: string;
    if (line.value.kind === "word") {
      expected = this.word(line.value.word, count);
    } else {
      const base =
        line.value.variable === "i" ? String(count ?? "") : this.vars.get(line.value.variable);
      if (base === undefined || !/^-?\d+$/.test(base)) {
        throw new StepFailure(`$${line.value.variable} is not a number`);
      }
      expected = String(Number(base) + line.value.delta);
    }
    if (!compare(actual, line.op, expected)) {
      throw new StepFailure(
        `expected ${line.name} ${line.field} ${line.op} ${expected}, got ${actual}`,
      );
    }
  }
}

const NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;

/** `expect` comparison: numerically when both sides are plain decimals, else as strings. */
export function compare(actual: string, op: CompareOp, expected: string): boolean {
  const numeric = NUMBER.test(actual) && NUMBER.test(expected);
  const a = numeric ? Number(actual) : actual;
  const b = numeric ? Number(expected) : expected;
  switch (op) {
    case "=":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

function describeDifference(aName: string, a: string, bName: string, b: string): string {
  const aLines = a.split("\n").filter(Boolean);
  const bLines = new Set(b.split("\n").filter(Boolean));
  const aSet = new Set(aLines);
  const onlyA = aLines.filter((l) => !bLines.has(l));
  const onlyB = [...bLines].filter((l) => !aSet.has(l));
  const parts: string[] = [`${aLines.length} keys on ${aName}, ${bLines.size} on ${bName}`];
  if (onlyA[0]) parts.push(`only on ${aName}: ${onlyA[0]}`);
  if (onlyB[0]) parts.push(`only on ${bName}: ${onlyB[0]}`);
  return parts.join("; ");
}
