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
 * A client command as it travels packed: the fields of its `HarnessInput`
 * by position. JSON without the key names is half the text, and parsing it
 * and building the objects back takes about 40% of parsing the objects
 * (2,048 commands: 1.0 against 2.4 ms), on the master's worker at every step
 * of a burst.
 */
type PackedCommand = readonly [
  at: number,
  source: number,
  seq: number,
  incarnation: number,
  client: string,
  argv: readonly ByteString[],
];

export function packStep(step: HostStep): PackedStep {
  const { inputs } = step;
  if (inputs.length < PACK_FROM || !jsonExact(inputs)) return step;
  const commands: PackedCommand[] = [];
  for (const i of inputs) {
    if (i.input.kind !== "clientCommand") return step;
    commands.push([i.at, i.source, i.seq, i.incarnation, i.input.client, i.input.argv]);
  }
  return { ...step, inputs: JSON.stringify(commands) };
}

export function unpackStep(step: PackedStep): HostStep {
  const { inputs } = step;
  if (typeof inputs !== "string") return { ...step, inputs };
  const commands = JSON.parse(inputs) as PackedCommand[];
  const out: HarnessInput[] = new Array<HarnessInput>(commands.length);
  for (let k = 0; k < commands.length; k++) {
    const [at, source, seq, incarnation, client, argv] = commands[k] as PackedCommand;
    out[k] = {
      at,
      source,
      seq,
      kind: "input",
      incarnation,
      input: { kind: "clientCommand", client, argv },
    };
  }
  return { ...step, inputs: out };
}

/**
 * A record of one reply event (a burst's every write has one) travels as a
 * tuple, the way a client command does; any other record as it is.
 */
type PackedRecord =
  TraceRecord | readonly [sort: SortKey, t: number, node: string, client: string, reply: Reply];

export function packReport(report: HostReport): PackedReport {
  const { records } = report;
  if (records.length < PACK_FROM || !jsonExact(records)) return report;
  const packed: PackedRecord[] = [];
  for (const r of records) {
    const e = r.events.length === 1 ? r.events[0] : undefined;
    packed.push(e?.type === "reply" ? [r.sort, e.t, e.node, e.client, e.reply] : r);
  }
  return { ...report, records: JSON.stringify(packed) };
}

export function unpackReport(report: PackedReport): HostReport {
  const { records } = report;
  if (typeof records !== "string") return { ...report, records };
  const packed = JSON.parse(records) as PackedRecord[];
  const out: TraceRecord[] = new Array<TraceRecord>(packed.length);
  for (let k = 0; k < packed.length; k++) {
    const r = packed[k] as PackedRecord;
    if (isTraceRecord(r)) out[k] = r;
    else {
      const [sort, t, node, client, reply] = r;
      out[k] = { sort, events: [{ t, type: "reply", node, client, reply }] };
    }
  }
  return { ...report, records: out };
}

function isTraceRecord(r: PackedRecord): r is TraceRecord {
  return !Array.isArray(r);
}

/**
 * Whether JSON.parse(JSON.stringify(value)) gives `value` back exactly, and
 * its strings hold no more than `PACK_BYTES_LIMIT` characters in all. One
 * pass over the values with a stack (a quarter of a recursive walk's time,
 * and a fraction of the clone it saves).
 */
export function jsonExact(value: unknown): boolean {
  let budget = PACK_BYTES_LIMIT;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    switch (typeof v) {
      case "string":
        budget -= v.length;
        if (budget < 0) return false;
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

/** Node worker → node worker: the segments one step sent, as one message. */
export interface PeerMessage {
  readonly type: "segments";
  readonly batch: SegmentBatch;
}
