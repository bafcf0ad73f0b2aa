import type { ByteString } from "../engine/bytes";
import type { Reply } from "../engine/reply";
import type {
  ExportedHost,
  HarnessInput,
  HostAnswer,
  HostQuery,
  HostReport,
  HostStep,
  TraceRecord,
} from "../sim/hostStep";
import type { SortKey } from "../sim/order";
import type { TraceEvent } from "../sim/trace";
import type { HostOptions } from "../sim/processHost";
import type { SegmentBatch } from "../sim/segments";

/**
 * The messages of the worker runtime: a closed vocabulary of plain data.
 * The main thread (the coordinator) talks to each node worker on the
 * worker's own port; node workers talk to each other on one MessageChannel
 * per pair, whose ports the main thread hands out and never reads.
 */

/** Main thread → node worker. */
export type ToNode =
  /** Host a process slot: fresh, or the machine a crashed worker left; one port per peer. */
  | {
      readonly type: "init";
      readonly name: string;
      readonly ip: string;
      readonly rank: number;
      readonly options: HostOptions;
      readonly from: ExportedHost | null;
      readonly ports: Readonly<Record<string, MessagePort>>;
    }
  /** A peer was (re)started: this is the new channel to it. */
  | { readonly type: "channel"; readonly peer: string; readonly port: MessagePort }
  /**
   * Take in what the peers sent, carry out one action, report. The step's
   * inputs travel as their JSON text (`PackedStep`).
   */
  | { readonly type: "step"; readonly step: PackedStep }
  | { readonly type: "query"; readonly id: number; readonly query: HostQuery };

/** Node worker → main thread. */
export type FromNode =
  | { readonly type: "report"; readonly report: PackedReport }
  | { readonly type: "answer"; readonly id: number; readonly answer: HostAnswer }
  /** The worker's own code threw (not the engine, whose errors crash the process): it is lost. */
  | { readonly type: "failed"; readonly message: string };

/**
 * A step whose harness inputs, and a report whose trace records, may travel
 * as JSON text. A burst puts thousands of small objects in each (a client
 * command, a reply event), and Chromium's structured clone of that many
 * small objects costs about twice what JSON.stringify and JSON.parse of one
 * string do (measured in the bench page: 3.0 against 1.5 ms per 512 records,
 * 3.7 against 1.5 ms per 512 commands), on the main thread as in the worker.
 *
 * Only what JSON carries exactly is packed: plain objects, arrays, strings,
 * booleans, null and finite numbers (a sort key may hold -Infinity, which
 * JSON would turn into null). Binary payloads stay out of it too: JSON
 * escapes a control byte in six characters, so an RDB file (`loadRdb`, a
 * snapshot's `send` with its bytes) goes by structured clone, which copies a
 * string as it is.
 */
export type PackedStep = Omit<HostStep, "inputs"> & {
  readonly inputs: string | HostStep["inputs"];
};
export type PackedReport = Omit<HostReport, "records"> & {
  readonly records: string | HostReport["records"];
};

/** Below this many, objects are cloned as they are: packing would not pay. */
const PACK_FROM = 32;
/** String characters in all above which a list is cloned (JSON would grow an RDB sixfold). */
export const PACK_BYTES_LIMIT = 1 << 20;

/**
 * Client commands as they travel packed: the fields of their
 * `HarnessInput`s by position, and a run of commands that differ only in
 * their argv (one client's burst, handed over at one instant, numbered in
 * turn) as one tuple with the argv of each. The JSON is then mostly the
 * commands themselves, and parsing it and building the objects back takes
 * about a fifth of parsing the objects, on the master's worker at every step
 * of a burst.
 */
type PackedCommands = readonly [
  at: number,
  source: number,
  firstSeq: number,
  incarnation: number,
  client: string,
  argvs: (readonly ByteString[])[],
];

export function packStep(step: HostStep): PackedStep {
  const { inputs } = step;
  if (inputs.length < PACK_FROM || !jsonExact(inputs)) return step;
  const runs: PackedCommands[] = [];
  let run: PackedCommands | null = null;
  let next: HarnessInput | null = null;
  for (const i of inputs) {
    if (i.input.kind !== "clientCommand") return step;
    if (
      run === null ||
      next === null ||
      i.at !== next.at ||
      i.source !== next.source ||
      i.seq !== next.seq + 1 ||
      i.incarnation !== next.incarnation ||
      i.input.client !== run[4]
    ) {
      run = [i.at, i.source, i.seq, i.incarnation, i.input.client, []];
      runs.push(run);
    }
    run[5].push(i.input.argv);
    next = i;
  }
  return { ...step, inputs: JSON.stringify(runs) };
}

export function unpackStep(step: PackedStep): HostStep {
  const { inputs } = step;
  if (typeof inputs !== "string") return { ...step, inputs };
  const out: HarnessInput[] = [];
  for (const [at, source, firstSeq, incarnation, client, argvs] of JSON.parse(
    inputs,
  ) as PackedCommands[]) {
    for (let k = 0; k < argvs.length; k++)
      out.push({
        at,
        source,
        seq: firstSeq + k,
        kind: "input",
        incarnation,
        input: { kind: "clientCommand", client, argv: argvs[k] ?? [] },
      });
  }
  return { ...step, inputs: out };
}

/**
 * Records of one reply event travel as tuples, the way client commands do,
 * and a run of records that share their event (a pipelined burst answered at
 * one instant: ProcessHost records the same +OK event for each) as one tuple
 * with the sort key of each: the event is checked, written and read once,
 * and comes back shared, as the host made it. Any other record goes as it is.
 */
type PackedRecord =
  TraceRecord | readonly [sorts: SortKey[], t: number, node: string, client: string, reply: Reply];

type ReplyEvent = Extract<TraceEvent, { type: "reply" }>;

export function packReport(report: HostReport): PackedReport {
  const { records } = report;
  if (records.length < PACK_FROM) return report;
  const packed: PackedRecord[] = [];
  let budget = PACK_BYTES_LIMIT;
  let run = null as { event: ReplyEvent; sorts: SortKey[] } | null;
  for (const r of records) {
    const e = r.events.length === 1 ? r.events[0] : undefined;
    if (!exactSortKey(r.sort)) return report;
    if (e?.type === "reply") {
      if (run?.event === e) {
        run.sorts.push(r.sort);
        continue;
      }
      budget -= jsonExactWithin(e, budget);
      if (budget < 0) return report;
      run = { event: e, sorts: [r.sort] };
      packed.push([run.sorts, e.t, e.node, e.client, e.reply]);
    } else {
      run = null;
      budget -= jsonExactWithin(r, budget);
      if (budget < 0) return report;
      packed.push(r);
    }
  }
  return { ...report, records: JSON.stringify(packed) };
}

export function unpackReport(report: PackedReport): HostReport {
  const { records } = report;
  if (typeof records !== "string") return { ...report, records };
  const out: TraceRecord[] = [];
  for (const r of JSON.parse(records) as PackedRecord[]) {
    if (isTraceRecord(r)) out.push(r);
    else {
      const [sorts, t, node, client, reply] = r;
      const events: readonly TraceEvent[] = [{ t, type: "reply", node, client, reply }];
      for (const sort of sorts) out.push({ sort, events });
    }
  }
  return { ...report, records: out };
}

function isTraceRecord(r: PackedRecord): r is TraceRecord {
  return !Array.isArray(r);
}

/** A sort key JSON carries exactly: finite numbers, no -0 (a boundary's -Infinity is not). */
function exactSortKey(sort: SortKey): boolean {
  for (const x of sort) if (!Number.isFinite(x) || (x === 0 && 1 / x < 0)) return false;
  return true;
}

/**
 * The string characters `value` holds when JSON gives it back exactly and
 * they are within `budget`; more than `budget` (so the caller gives up) when
 * not.
 */
function jsonExactWithin(value: unknown, budget: number): number {
  let used = 0;
  const exact = jsonExact(value, (n) => {
    used += n;
    return used <= budget;
  });
  return exact ? used : budget + 1;
}

/**
 * Whether JSON.parse(JSON.stringify(value)) gives `value` back exactly, and
 * its strings hold no more than `PACK_BYTES_LIMIT` characters in all. One
 * pass over the values with a stack (a quarter of a recursive walk's time,
 * and a fraction of the clone it saves).
 */
export function jsonExact(
  value: unknown,
  take: (chars: number) => boolean = budgetOf(PACK_BYTES_LIMIT),
): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    switch (typeof v) {
      case "string":
        if (!take(v.length)) return false;
        break;
      case "number":
        // Not NaN or ±Infinity (JSON writes null) nor -0 (JSON writes 0).
        if (!Number.isFinite(v) || (v === 0 && 1 / v < 0)) return false;
        break;
      case "boolean":
        break;
      case "object":
        if (v === null) break;
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) {
            if (!(i in v)) return false;
            stack.push((v as unknown[])[i]);
          }
        } else {
          if (Object.getPrototypeOf(v) !== Object.prototype) return false;
          for (const k in v) stack.push((v as Record<string, unknown>)[k]);
        }
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A string budget of `chars` characters in all: false once they are spent. */
function budgetOf(chars: number): (n: number) => boolean {
  let left = chars;
  return (n) => (left -= n) >= 0;
}

/** Node worker → node worker: the segments one step sent, as one message. */
export interface PeerMessage {
  readonly type: "segments";
  readonly batch: SegmentBatch;
}
