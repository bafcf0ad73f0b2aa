/**
 * Runs a script with the ordinary `Interpreter` over any `Cluster`, and
 * records what the conformance harness compares: every reply, the result of
 * every `expect`, and at each sample point the fixed INFO fields of every node
 * (`sample.ts`) and, where the script compares datasets, the datasets.
 *
 * Sample points are the moments the scenario is at rest: after every `settle`
 * line, after every `expect NAME FIELD`, `expect A keyspace = B`, `let` and
 * `info` line that follows a settle with no action in between, and at the end
 * of the run (after one more settle). After an action (a command, a fault,
 * `advance`, a new node) and before the next settle, nothing is sampled: the
 * simulator has not let any time pass, while real Redis has already reacted
 * (a replica saw its master close the link, say), so the values would differ
 * by nature, not by fault. Those lines' own replies and expects are still
 * compared.
 *
 * Samples are taken from the interpreter's `afterLine` hook, which it awaits,
 * so a sample sees the state the line left. A thin wrapper around the cluster
 * records every reply (`expect NAME> …` lines' too) and why a settle gave up.
 */
import type { ByteString } from "../../engine/bytes";
import { bytesToUtf8 } from "../../engine/bytes";
import type { VirtualTime } from "../../engine/io";
import type { Reply } from "../../engine/reply";
import { formatReply } from "../../engine/resp/redisCli";
import type { NodeView } from "../../engine/server/view";
import type { Cluster, Fault, NodeSnapshot, NodeSpec } from "../../sim/cluster";
import type { TraceEvent } from "../../sim/trace";
import type { Line, LineKind, Script } from "../../scenario/ast";
import type { RunResult, TranscriptEntry } from "../../scenario/interpreter";
import { Interpreter } from "../../scenario/interpreter";
import { parseDigest } from "./digest";
import type { DigestEntry } from "./digest";
import type { NodeState } from "./sample";
import { ReplIdRegistry, sampleNode } from "./sample";

/** A cluster plus what the harness needs to know about it that `Cluster` does not say. */
export interface RunSubject {
  readonly cluster: Cluster;
  /** Whether the node is stalled by `sleep` now (reading its INFO would wait for it). */
  asleep(node: string): boolean;
  /** The cluster's Unix clock in ms: epoch + virtual time, or the wall clock. */
  clockMs(): number;
  /** The timeout of the extra settle at the end of the run. */
  readonly endSettleUs: VirtualTime;
  /** Why the last settle did not succeed, when the cluster can tell. */
  unsettledReason?(): string | null;
}

/** One reply a node sent to a script line (`NAME> …` or `expect NAME> … => …`). */
export interface RecordedReply {
  readonly line: number;
  readonly node: string;
  readonly command: string;
  readonly reply: string;
}

/** What every node looked like at one sample point. */
export interface Sample {
  /** The line just finished, or 0 for the end of the run. */
  readonly line: number;
  /** `after line 12 (settle)`, `at the end`. */
  readonly label: string;
  readonly nodes: ReadonlyMap<string, NodeState>;
  /** Datasets taken here: after `expect A keyspace = B` (A and B) and at the end (every node). */
  readonly datasets: ReadonlyMap<string, ReadonlyMap<string, DigestEntry>>;
}

/** An `info` line's output with replids relabelled. */
export interface InfoOutput {
  readonly line: number;
  readonly node: string;
  /** `name:value` in order; replids as `ReplIdRegistry` labels. */
  readonly fields: readonly (readonly [string, string])[];
}

export interface RunRecord {
  readonly result: RunResult;
  readonly transcript: readonly TranscriptEntry[];
  readonly replies: readonly RecordedReply[];
  readonly infos: readonly InfoOutput[];
  readonly samples: readonly Sample[];
  /** Top-level lines the interpreter finished. */
  readonly linesRun: number;
  /** `expect` lines that held. */
  readonly expectsPassed: number;
  /** Whether the extra settle at the end succeeded. */
  readonly endSettled: boolean;
  /** Settles that timed out (line 0: the one at the end), and why, when the cluster says. */
  readonly unsettled: readonly { readonly line: number; readonly reason: string }[];
}

/** Lines that only read the cluster: sampled after, when the cluster was settled before them. */
const OBSERVATIONS: ReadonlySet<LineKind> = new Set([
  "expectField",
  "expectKeyspace",
  "let",
  "info",
]);

/** Lines that neither change the cluster nor read it. */
const NEUTRAL: ReadonlySet<LineKind> = new Set([
  "title",
  "seed",
  "epoch",
  "redis",
  "config",
  "step",
  "say",
  "expectLedger",
]);

/** What a line does to the "settled" state: settles it, leaves it, or disturbs it. */
export function lineEffect(line: Line): "settles" | "observes" | "neutral" | "disturbs" {
  const kind = line.kind === "repeat" ? line.body.kind : line.kind;
  if (kind === "settle") return "settles";
  if (OBSERVATIONS.has(kind)) return "observes";
  if (NEUTRAL.has(kind)) return "neutral";
  return "disturbs";
}

const EXPECT_KINDS: ReadonlySet<LineKind> = new Set([
  "expectField",
  "expectCommand",
  "expectKeyspace",
  "expectLedger",
]);

/** Runs `script` on the subject's cluster and records it. */
export async function observedRun(script: Script, subject: RunSubject): Promise<RunRecord> {
  const recorder = new Recorder(subject, script.lines);
  const interpreter = new Interpreter(script, new RecordingCluster(subject.cluster, recorder), {
    onEntry: (entry) => recorder.entry(entry, script),
    afterLine: (line) => recorder.lineDone(line),
  });
  const result = await interpreter.run();
  const endSettled = await subject.cluster.settle(subject.endSettleUs);
  if (!endSettled) recorder.unsettledAt(0);
  await recorder.sample(0, "at the end", subject.cluster.nodes());
  return {
    result,
    transcript: interpreter.transcript,
    replies: recorder.replies,
    infos: recorder.infos,
    samples: recorder.samples,
    linesRun: recorder.linesRun,
    expectsPassed: recorder.expectsPassed,
    endSettled,
    unsettled: recorder.unsettled,
  };
}

class Recorder {
  readonly replies: RecordedReply[] = [];
  readonly infos: { line: number; node: string; fields: [string, string][] }[] = [];
  readonly samples: Sample[] = [];
  readonly unsettled: { line: number; reason: string }[] = [];
  /** Top-level lines finished; the next one is `lines[linesRun]`. */
  linesRun = 0;
  expectsPassed = 0;
  /** No action since the last successful settle. */
  private settled = false;
  private readonly replIds = new ReplIdRegistry();

  /** Sentinel processes have no replication INFO or keyspace to sample. */
  private readonly sentinels: ReadonlySet<string>;

  constructor(
    private readonly subject: RunSubject,
    private readonly lines: readonly Line[],
  ) {
    this.sentinels = new Set(lines.flatMap((l) => (l.kind === "sentinel" ? [l.name] : [])));
  }

  /** The line the interpreter is running: the one after the last it finished. */
  get currentLine(): number {
    return this.lines[this.linesRun]?.line ?? 0;
  }

  unsettledAt(line: number): void {
    this.unsettled.push({ line, reason: this.subject.unsettledReason?.() ?? "" });
  }

  async lineDone(line: Line): Promise<void> {
    const index = this.lines.indexOf(line);
    // Only top-level lines count (were the hook called for each repetition inside
    // `repeat`, the repeat line itself would still come after them).
    if (index < 0) return;
    this.linesRun = index + 1;
    if (EXPECT_KINDS.has(line.kind)) this.expectsPassed++;
    const effect = lineEffect(line);
    if (effect === "settles") this.settled = true;
    if (effect === "disturbs") this.settled = false;
    if (!this.settled || (effect !== "settles" && effect !== "observes")) return;
    const datasets = line.kind === "expectKeyspace" ? [line.a, line.b] : [];
    await this.sample(line.line, `after line ${line.line} (${line.source.trim()})`, datasets);
  }

  reply(node: string, argv: readonly ByteString[], reply: Reply): void {
    this.replies.push({
      line: this.currentLine,
      node,
      command: argv.map((a) => bytesToUtf8(a)).join(" "),
      reply: formatReply(reply),
    });
  }

  entry(entry: TranscriptEntry, script: Script): void {
    if (entry.kind !== "info") return;
    const source = script.lines.find((l) => l.line === entry.line);
    const node = source?.kind === "info" ? source.name : "?";
    let output = this.infos[this.infos.length - 1];
    if (output?.line !== entry.line || output.node !== node) {
      output = { line: entry.line, node, fields: [] };
      this.infos.push(output);
    }
    const colon = entry.text.indexOf(":");
    if (entry.text.startsWith("#") || colon < 0) return;
    const key = entry.text.slice(0, colon);
    let value = entry.text.slice(colon + 1);
    if (key === "master_replid" || key === "master_replid2") {
      value = this.replIds.label(value, node, key, `info line ${entry.line}`);
    }
    output.fields.push([key, value]);
  }

  async sample(line: number, label: string, datasetNodes: readonly string[]): Promise<void> {
    const cluster = this.subject.cluster;
    const where = line === 0 ? "end" : String(line);
    const nodes = new Map<string, NodeState>();
    const datasets = new Map<string, ReadonlyMap<string, DigestEntry>>();
    for (const name of cluster.nodes()) {
      if (this.sentinels.has(name)) continue;
      if (this.subject.asleep(name)) {
        nodes.set(name, "asleep");
        continue;
      }
      try {
        const snap = await cluster.snapshot(name);
        if (!snap.running) {
          nodes.set(name, "not running");
          continue;
        }
        nodes.set(name, sampleNode(snap.info, name, where, this.replIds));
        if (datasetNodes.includes(name)) {
          const digest = await cluster.keyspaceDigest(name);
          datasets.set(name, parseDigest(digest, this.subject.clockMs()));
        }
      } catch (e) {
        nodes.set(name, `unreadable: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    this.samples.push({ line, label, nodes, datasets });
  }
}

/** Delegates to a cluster, recording every reply and every settle that gave up. */
class RecordingCluster implements Cluster {
  constructor(
    private readonly inner: Cluster,
    private readonly recorder: Recorder,
  ) {}

  now(): VirtualTime {
    return this.inner.now();
  }
  setEpoch(epochMs: number): void {
    this.inner.setEpoch(epochMs);
  }
  setVersion(version: "7.0" | "6.2"): void {
    this.inner.setVersion(version);
  }
  nodes(): readonly string[] {
    return this.inner.nodes();
  }
  trace(): readonly TraceEvent[] {
    return this.inner.trace();
  }
  onTrace(listener: (events: readonly TraceEvent[]) => void): () => void {
    return this.inner.onTrace(listener);
  }
  startNode(spec: NodeSpec): Promise<void> {
    return this.inner.startNode(spec);
  }
  async command(
    node: string,
    client: string,
    argv: readonly ByteString[],
    maxWaitUs?: number,
  ): Promise<Reply> {
    const reply = await this.inner.command(node, client, argv, maxWaitUs);
    this.recorder.reply(node, argv, reply);
    return reply;
  }
  fault(fault: Fault): Promise<void> {
    return this.inner.fault(fault);
  }
  advance(durationUs: VirtualTime): Promise<void> {
    return this.inner.advance(durationUs);
  }
  async settle(maxUs: VirtualTime): Promise<boolean> {
    const settled = await this.inner.settle(maxUs);
    if (!settled) this.recorder.unsettledAt(this.recorder.currentLine);
    return settled;
  }
  infoText(node: string, section: string): Promise<string> {
    return this.inner.infoText(node, section);
  }
  snapshot(node: string): Promise<NodeSnapshot> {
    return this.inner.snapshot(node);
  }
  keyspaceDigest(node: string): Promise<string> {
    return this.inner.keyspaceDigest(node);
  }
  submit(node: string, client: string, argv: readonly ByteString[]): Promise<void> {
    return this.inner.submit(node, client, argv);
  }
  dumpRdb(node: string): Promise<ByteString> {
    return this.inner.dumpRdb(node);
  }
  loadRdb(node: string, bytes: ByteString): Promise<void> {
    return this.inner.loadRdb(node, bytes);
  }
  views(): Promise<readonly NodeView[]> {
    return this.inner.views();
  }
}
