import type { ByteString } from "../engine/bytes";
import type { VirtualTime } from "../engine/io";
import type { Reply } from "../engine/reply";
import type { NodeView } from "../engine/server/view";
import { SENTINEL_PORT } from "../engine/sentinel/instance";
import type { SentinelConfig, SentinelMonitor } from "../engine/sentinel/sentinel";
import type { AppRoute } from "../engine/client/appClient";
import type { LedgerSummary } from "./ledger";
import type { PathSettings } from "./network";
import type { TraceEvent } from "./trace";

/**
 * How a process is started: a redis-server (`node …`), a Sentinel
 * (`sentinel …`) or an application client (`client …`).
 */
export type NodeSpec = ServerSpec | SentinelSpec | ClientSpec;

export const REDIS_PORT = 6379;

/** The port a process of this spec listens on: 6379, 26379 for a Sentinel, none (0) for a client. */
export function listenPort(spec: NodeSpec): number {
  return spec.kind === "sentinel" ? SENTINEL_PORT : spec.kind === "client" ? 0 : REDIS_PORT;
}

/** `node NAME [replicaof MASTER] [priority N]`: a redis-server on port 6379. */
export interface ServerSpec {
  /** Absent means a server too. */
  readonly kind?: "server";
  readonly name: string;
  /** Host name of the master it starts replicating from (redis.conf `replicaof`). */
  readonly replicaOf?: string;
  /** Configuration overrides, canonical names and values. */
  readonly config: ReadonlyMap<string, string>;
}

/** `sentinel NAME monitor GROUP MASTER QUORUM`: a redis-sentinel on port 26379. */
export interface SentinelSpec {
  readonly kind: "sentinel";
  readonly name: string;
  /**
   * `sentinel monitor` lines. `masterHost` may be a node's name: the cluster
   * replaces it with that node's address when it starts the Sentinel, as
   * one would write the master's IP in sentinel.conf.
   */
  readonly monitors: readonly SentinelMonitor[];
  /** `down-after-milliseconds`, `failover-timeout`, `parallel-syncs` for every monitor. */
  readonly sentinelConfig: SentinelConfig;
  // Server settings a Sentinel does not have (so code reading them from any spec still compiles).
  readonly replicaOf?: never;
  readonly config?: never;
}

/**
 * `client NAME sentinel GROUP …` / `client NAME node NODE`: an application
 * client on its own machine. The cluster fills in addresses when it starts
 * it: the Sentinels that monitor GROUP, or NODE's address.
 */
export interface ClientSpec {
  readonly kind: "client";
  readonly name: string;
  readonly route: AppRoute;
  readonly replicaOf?: never;
  readonly config?: never;
}

/** Faults and network changes the scenario language and the page can apply. */
export type Fault =
  | { readonly kind: "cut"; readonly a: string; readonly b?: string }
  | { readonly kind: "heal"; readonly a?: string; readonly b?: string }
  | { readonly kind: "reset"; readonly a: string; readonly b: string }
  | { readonly kind: "crash"; readonly node: string }
  | { readonly kind: "restart"; readonly node: string }
  | { readonly kind: "sleep"; readonly node: string; readonly durationUs: number }
  | { readonly kind: "network"; readonly settings: Partial<PathSettings> }
  | {
      readonly kind: "link";
      readonly a: string;
      readonly b: string;
      readonly settings: Partial<PathSettings>;
    };

/** A snapshot of one node for checks and views. */
export interface NodeSnapshot {
  readonly name: string;
  readonly running: boolean;
  /** Every INFO field (all sections) by name. */
  readonly info: ReadonlyMap<string, string>;
}

/** Error raised for a step that cannot be carried out (the script's fault, not a crash). */
export class ClusterError extends Error {
  override readonly name = "ClusterError";
}

/**
 * The one interface the scenario interpreter and the page drive a cluster
 * through, implemented in-process (`InProcessCluster`) and over Web Workers.
 * Every method is asynchronous so both fit.
 */
export interface Cluster {
  /** Current virtual time. */
  now(): VirtualTime;
  setEpoch(epochMs: number): void;
  setVersion(version: "7.0" | "6.2"): void;
  startNode(spec: NodeSpec): Promise<void>;
  /** Sends a command from a client living on the node's host and waits (virtually) for the reply. */
  command(
    node: string,
    client: string,
    argv: readonly ByteString[],
    maxWaitUs?: number,
  ): Promise<Reply>;
  fault(fault: Fault): Promise<void>;
  advance(durationUs: VirtualTime): Promise<void>;
  /** Lets time pass until the cluster is quiet; false if that did not happen within maxUs. */
  settle(maxUs: VirtualTime): Promise<boolean>;
  infoText(node: string, section: string): Promise<string>;
  snapshot(node: string): Promise<NodeSnapshot>;
  /** A canonical dump of every key, type, value and expiry, for `expect A keyspace = B`. */
  keyspaceDigest(node: string): Promise<string>;
  nodes(): readonly string[];
  trace(): readonly TraceEvent[];
  /**
   * Sends a command without waiting: the page's consoles use it while time
   * runs at the reader's pace; the reply arrives as a `reply` trace event.
   */
  submit(node: string, client: string, argv: readonly ByteString[]): Promise<void>;
  /** The node's dataset as a `dump.rdb` file (what SAVE would write now). Changes nothing. */
  dumpRdb(node: string): Promise<ByteString>;
  /**
   * Loads a `dump.rdb` into the node at the current virtual time, as a harness
   * input like `submit`'s: it flushes the node's data and loads the file's
   * keys (the outcome is a `log` trace event; a bad file changes nothing).
   */
  loadRdb(node: string, bytes: ByteString): Promise<void>;
  /** What the page draws of every running redis-server (not the Sentinels), now. */
  views(): Promise<readonly NodeView[]>;
  /**
   * The ledger of writes acknowledged to application clients (`expect
   * ledger …`); absent where none is kept (a cluster of real processes).
   */
  ledger?(): Promise<LedgerSummary>;
  /** Calls `listener` with new trace events as they happen; returns the unsubscribe function. */
  onTrace(listener: (events: readonly TraceEvent[]) => void): () => void;
}
