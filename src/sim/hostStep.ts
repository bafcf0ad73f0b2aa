import type { ByteString } from "../engine/bytes";
import type { ConnId, ProcessInput, VirtualTime } from "../engine/io";
import type { NodeView } from "../engine/server/view";
import type { SentinelView } from "../engine/sentinel/view";
import type { NodeSpec } from "./cluster";
import type { QueueKey } from "./eventQueue";
import type { HostState } from "./hostState";
import type { NetworkState } from "./network";
import type { SortKey } from "./order";
import type { Segment } from "./segments";
import type { TraceEvent } from "./trace";

/**
 * The vocabulary between the coordinator and the process hosts: one step out,
 * one report back. Plain data, so a host may live in this thread or in a
 * worker. Every step goes to every host, so the reports always describe one
 * consistent moment of the run.
 */

/**
 * The most events one `run` step fires: the rest of its window follows in
 * further steps, so no report (and no main-thread task reading it) grows
 * with a burst.
 */
export const EVENTS_PER_STEP = 2048;

/**
 * The most harness inputs (client commands) one step hands a host, for the
 * same reason: posting a step copies them, on the main thread.
 */
export const INPUTS_PER_STEP = 2048;

/** Who a process is, for its peers: fixed for the run except the incarnation. */
export interface PeerInfo {
  readonly name: string;
  readonly ip: string;
  /** Where its process listens: 6379 for a server, 26379 for a Sentinel. */
  readonly port: number;
  readonly rank: number;
  readonly incarnation: number;
}

/** A client command the harness (a script line, a console) hands a process. */
export type HarnessInput = QueueKey & {
  readonly kind: "input";
  readonly incarnation: number;
  readonly input: ProcessInput;
};

/** What one host does in one step, after taking in what was sent to it before. */
export type HostAction =
  /** Nothing: take in messages and report (every step reaches every host). */
  | { readonly kind: "idle" }
  /**
   * Fire the events before `bound` in canonical order. With `stopOnReplyTo`,
   * stop right after the event that answers that client.
   */
  | {
      readonly kind: "run";
      readonly bound: QueueKey;
      readonly stopOnReplyTo?: string;
      /** Carry on where the last step stopped (it reported `more`), in the same window. */
      readonly resume?: boolean;
    }
  /** Start the process: `spec` for a new node; none to restart with the role it had. */
  | {
      readonly kind: "boot";
      readonly spec?: NodeSpec;
      readonly epochMs: number;
      readonly version: "7.0" | "6.2";
    }
  /** Which of my ends of connections with `peer` are open (before `peer` crashes). */
  | { readonly kind: "openEnds"; readonly peer: string }
  /** The process dies; `peerOpen` lists its connections whose other end is open. Exports the host. */
  | { readonly kind: "crash"; readonly peerOpen: readonly ConnId[] }
  /** Hand over the host's state, to move it to a new worker. */
  | { readonly kind: "export" }
  /** Close every connection with `peer` as a TCP reset does. */
  | { readonly kind: "reset"; readonly peer: string }
  /** Paths healed: deliver what was held on them. */
  | { readonly kind: "release"; readonly pairs: readonly (readonly [string, string])[] }
  /** After a release: a sender's later bytes may not overtake what was released. */
  | { readonly kind: "bump"; readonly dirs: readonly ReleasedDir[] }
  /** `sleep`: the process stalls from now for `durationUs`. */
  | { readonly kind: "sleep"; readonly durationUs: VirtualTime };

export interface HostStep {
  /** The logical round; part of connection creation keys. */
  readonly round: number;
  /** The coordinator's clock when the step starts. */
  readonly now: VirtualTime;
  /** Messages each peer has sent this host so far on their channel (cumulative). */
  readonly expect: Readonly<Record<string, number>>;
  readonly inputs: readonly HarnessInput[];
  /** The network, when it changed since the host last saw it. */
  readonly network?: NetworkState;
  /** Every process, when that changed. */
  readonly peers?: readonly PeerInfo[];
  readonly action: HostAction;
}

/** A held direction that a heal released, and when its bytes now arrive. */
export interface ReleasedDir {
  readonly conn: ConnId;
  readonly from: string;
  readonly at: VirtualTime;
}

/** Trace events of one fired event (or one boundary action), with their place in the run. */
export interface TraceRecord {
  readonly sort: SortKey;
  readonly events: readonly TraceEvent[];
}

/** What the settle condition needs to know of one host. */
export interface QuietSummary {
  readonly stalledUntil: VirtualTime;
  /** Segments queued here, not yet fired, by sender. */
  readonly queuedFrom: Readonly<Record<string, number>>;
  /** Segments sent in this step (not yet taken in by their receiver), by receiver. */
  readonly sentTo: Readonly<Record<string, number>>;
  /** The running redis-server, or null (none running, or a Sentinel: see `quiet.ts`). */
  readonly server: ServerQuietView | null;
}

export interface ServerQuietView {
  readonly masterReplOffset: number;
  readonly replicas: readonly {
    readonly peerIp: string;
    readonly online: boolean;
    readonly conn: ConnId | null;
    readonly ackOffset: number | null;
  }[];
  /** The master link of a replica, or null for a master. */
  readonly replicaOf: {
    readonly masterHost: string;
    /** `connected` and streaming. */
    readonly linked: boolean;
    readonly replOff: number | null;
    readonly conn: ConnId | null;
  } | null;
}

export interface HostReport {
  readonly name: string;
  /** The host's clock after the step. */
  readonly now: VirtualTime;
  readonly running: boolean;
  /** Messages sent to each peer so far on their channel (cumulative); filled by the shell. */
  readonly sent: Readonly<Record<string, number>>;
  /** The earliest event queued here, or null. */
  readonly nextAt: VirtualTime | null;
  /** The earliest delivery among the segments sent in this step, or null. */
  readonly minSentAt: VirtualTime | null;
  readonly quiet: QuietSummary;
  readonly records: readonly TraceRecord[];
  /** `run` with `stopOnReplyTo`: the effective key of the answering event. */
  readonly stoppedAt?: QueueKey;
  /**
   * `run` stopped after `EVENTS_PER_STEP` events with more before its bound:
   * the coordinator steps it again (`resume`) before the window ends.
   */
  readonly more?: boolean;
  readonly openEnds?: readonly ConnId[];
  readonly released?: readonly ReleasedDir[];
  /** `crash` and `export`: the host, to start again elsewhere. */
  readonly exported?: ExportedHost;
  /** The worker itself failed (not the engine): its message. */
  readonly failed?: string;
}

/** A host moved out of a worker: its state and the segments it still has to post. */
export interface ExportedHost {
  readonly state: HostState;
  readonly deferred: Readonly<Record<string, readonly Segment[]>>;
}

/** Questions that change nothing. */
export type HostQuery =
  /** A server's NodeView (null for a Sentinel). */
  | { readonly kind: "view" }
  /** A Sentinel's SentinelView (null for a server). */
  | { readonly kind: "sentinelView" }
  | { readonly kind: "info"; readonly section: string }
  | { readonly kind: "fields" }
  | { readonly kind: "digest" }
  /** A server's dataset as a `dump.rdb` file (null for a Sentinel). */
  | { readonly kind: "rdb" };

export type HostAnswer =
  | { readonly kind: "view"; readonly view: NodeView | null }
  | { readonly kind: "sentinelView"; readonly view: SentinelView | null }
  | { readonly kind: "info"; readonly text: string | null }
  | { readonly kind: "fields"; readonly fields: ReadonlyMap<string, string> | null }
  | { readonly kind: "digest"; readonly digest: string | null }
  | { readonly kind: "rdb"; readonly rdb: ByteString | null };
