import type { ByteString } from "../../engine/bytes";
import type { ConnId, ReplState, VirtualTime } from "../../engine/io";
import type { NodeView } from "../../engine/server/view";
import type { SentinelView } from "../../engine/sentinel/view";
import type { PathSettings } from "../../sim/network";
import type { OffsetSample } from "../chart/offsetHistory";
import type { PacketKind } from "../packets/packetLabel";
import type { RecordedAction } from "../script/actionScript";
import type { RunInfo, ScriptError, ScriptState, TimelineState } from "../session/sessionState";
import { initialScriptState } from "../session/sessionState";
import type { LedgerState } from "../ledger/ledgerState";
import { EMPTY_LEDGER } from "../ledger/ledgerState";
import type { Flows } from "../packets/flows";
import { NO_FLOWS } from "../packets/flows";
import type { LogHistory } from "./logHistory";
import { emptyLogHistory } from "./logHistory";

/** What the page knows of a process slot, from `nodeStarted` and `nodeCrashed`. */
export interface NodeMeta {
  readonly name: string;
  /** A redis-server, a Sentinel or an application client (from `nodeStarted`'s kind). */
  readonly kind: "server" | "sentinel" | "client";
  readonly ip: string;
  readonly runId: string;
  readonly running: boolean;
  /** The replica-side link state, from the engine's `replState` events. */
  readonly replState: ReplState;
  readonly role: "master" | "slave";
  /** When it last started, virtual time. */
  readonly startedAt: VirtualTime;
}

/** One send on a connection: a chunk of RESP bytes with its send and delivery times. */
export interface Packet {
  readonly id: number;
  readonly conn: ConnId;
  readonly from: string;
  readonly to: string;
  readonly t: VirtualTime;
  readonly deliverAt: VirtualTime;
  readonly bytes: ByteString;
  readonly sizeBytes: number;
  readonly label: string;
  readonly kind: PacketKind;
  /** Bytes of it delivered so far (a bandwidth-limited path delivers in pieces). */
  readonly deliveredBytes: number;
}

/** One line of a node's console: what the reader typed, or what came back. */
export interface ConsoleLine {
  readonly id: number;
  readonly kind: "input" | "reply" | "error" | "note";
  readonly text: string;
}

export interface ConsoleState {
  readonly lines: readonly ConsoleLine[];
  /** Commands sent whose replies have not arrived yet. */
  readonly pending: number;
}

/**
 * An event log entry. `log` entries are the engine's Redis log lines, word for
 * word; the others are the page's own notes about faults and processes.
 */
export interface LogEntry {
  readonly id: number;
  readonly t: VirtualTime;
  readonly node: string | null;
  readonly kind: "log" | "fault" | "process" | "sync";
  /** Redis log level for `log` entries (`*` notice, `#` warning, `-` verbose). */
  readonly level: "notice" | "warning" | "verbose" | null;
  readonly text: string;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** The page's mirror of the cluster plus its own UI state. */
export interface PlaygroundState {
  /** Virtual time the cluster has reached. Read it transiently; never select it in a component. */
  readonly now: VirtualTime;
  /** Node names in the order they were first started. */
  readonly order: readonly string[];
  readonly nodes: Readonly<Record<string, NodeMeta>>;
  /** The latest view of each node (kept, greyed, after a crash). */
  readonly views: Readonly<Record<string, NodeView>>;
  /** Sends not yet fully delivered. */
  readonly packets: readonly Packet[];
  /** The most recent sends, delivered or not, newest last. */
  readonly wire: readonly Packet[];
  readonly consoles: Readonly<Record<string, ConsoleState>>;
  readonly log: readonly LogEntry[];
  /** What the log let go of a long run, in counts (store/logHistory.ts). */
  readonly logHistory: LogHistory;
  /** Cut paths, as `a|b` with a < b. */
  readonly cuts: readonly string[];
  /** The latest sentence for screen readers (an aria-live region reads it). */
  readonly announcement: { readonly id: number; readonly text: string } | null;
  readonly nextId: number;
  /** What the reader did, as scenario lines (the "Your actions" script). */
  readonly actions: readonly RecordedAction[];
  /** The script being run, its steps and narration (session/sessionState.ts). */
  readonly script: ScriptState;
  /** Parse errors of the last script loaded (the run goes on with the previous script). */
  readonly scriptErrors: readonly ScriptError[];
  /** The run's extent and the moment shown (time travel). */
  readonly timeline: TimelineState;
  /** The original run and its forks; `currentRun` is the `id` of the one shown. */
  readonly runs: readonly RunInfo[];
  readonly currentRun: number;
  /** The latest view of each running Sentinel. */
  readonly sentinels: Readonly<Record<string, SentinelView>>;
  /** Every node's offset and lag over virtual time, oldest first, bounded (chart/offsetHistory). */
  readonly offsetHistory: readonly OffsetSample[];
  /** Nodes the reader removed: crashed, and no longer drawn. */
  readonly removed: readonly string[];
  /** Latency and bandwidth set per path (`a|b`), by the reader or a `link` line; absent means the defaults. */
  readonly links: Readonly<Record<string, Partial<PathSettings>>>;
  /** The paths' defaults as `network` lines set them (over the network model's own). */
  readonly network: Readonly<Partial<PathSettings>>;
  /** Writes acknowledged to application clients, lost ones, stale reads (ledger/ledgerState). */
  readonly ledger: LedgerState;
  /** Traffic per direction, and which directions stream (packets/flows.ts). */
  readonly flows: Flows;

  // UI state
  /** The run's seed (the page's `?seed=`). */
  readonly seed: number;
  readonly paused: boolean;
  /** A multiple of real time, or "max": as fast as the machine goes. */
  readonly speed: number | "max";
  /** The master whose backlog the ring shows (falls back to the first master). */
  readonly ringMaster: string | null;
  /** Where the reader dragged nodes to, in layout coordinates. */
  readonly pinned: Readonly<Record<string, Point>>;
  /** A fatal error in the runtime, shown instead of silently stopping. */
  readonly error: string | null;
}

export const MAX_LOG_ENTRIES = 500;
export const MAX_WIRE_ENTRIES = 200;
export const MAX_CONSOLE_LINES = 300;

export function initialState(): PlaygroundState {
  return {
    now: 0,
    order: [],
    nodes: {},
    views: {},
    packets: [],
    wire: [],
    consoles: {},
    log: [],
    logHistory: emptyLogHistory(),
    cuts: [],
    announcement: null,
    nextId: 1,
    actions: [],
    script: initialScriptState(),
    scriptErrors: [],
    timeline: { endUs: 0, positionUs: 0 },
    runs: [],
    currentRun: 0,
    sentinels: {},
    offsetHistory: [],
    removed: [],
    links: {},
    network: {},
    ledger: EMPTY_LEDGER,
    flows: NO_FLOWS,
    seed: 1,
    paused: false,
    speed: 1,
    ringMaster: null,
    pinned: {},
    error: null,
  };
}

/** The key of an undirected path between two nodes. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** The client name the page's consoles (and its buttons) use on every node. */
export const CONSOLE_CLIENT = "console";
