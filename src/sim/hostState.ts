import type { ConnId, ProcessInput, ProcessOutput, VirtualTime } from "../engine/io";
import type { NodeSpec } from "./cluster";
import type { QueueKey } from "./eventQueue";
import type { Direction, NetworkState } from "./network";
import type { SortKey } from "./order";
import type { PeerInfo } from "./hostStep";
import type { Segment } from "./segments";

/** An event of the process's own: an input, its timer, or outputs deferred by a stall. */
export type LocalEvent = QueueKey &
  (
    | { readonly kind: "input"; readonly incarnation: number; readonly input: ProcessInput }
    | { readonly kind: "timer"; readonly incarnation: number }
    | {
        readonly kind: "outputs";
        readonly incarnation: number;
        readonly outputs: readonly ProcessOutput[];
      }
  );

/** Everything a host's queue holds. */
export type HostEvent = LocalEvent | Segment;

/** One end of a connection. */
export interface ConnEnd {
  readonly node: string;
  readonly incarnation: number;
  open: boolean;
}

/**
 * A connection as one host knows it. Both hosts hold a copy; each one's
 * `open` flag is authoritative only for its own end(s) (both, when a process
 * connected to itself).
 */
export interface HostConn {
  readonly id: ConnId;
  /** The initiator's source port, as the acceptor sees it. */
  readonly peerPort: number;
  readonly a: ConnEnd; // initiator
  readonly b: ConnEnd; // acceptor
  /** Where it was created in the run; connections are walked in this order. */
  readonly created: SortKey;
  /** This host's sending direction: serialisation and FIFO delivery (one for both ends of a self-connection). */
  dir: Direction | null;
  /** Segments into this host held on a cut path, by sender. */
  held: Record<string, Segment[]>;
}

/**
 * A host without its process, as plain data: what a crash leaves (the
 * machine's network stack outlives the process) and what a new worker is
 * started from.
 */
export interface HostState {
  readonly name: string;
  readonly ip: string;
  readonly rank: number;
  readonly incarnation: number;
  readonly seq: number;
  readonly nextEphemeralPort: number;
  readonly now: VirtualTime;
  readonly stalledUntil: VirtualTime;
  readonly timerAt: VirtualTime | null;
  /** The role and configuration to restart with. */
  readonly restartSpec: NodeSpec | null;
  readonly queue: readonly HostEvent[];
  readonly conns: readonly HostConn[];
  readonly jitterDraws: readonly (readonly [string, number])[];
  readonly network: NetworkState | null;
  readonly peers: readonly PeerInfo[];
}

/** A machine with nothing on it: what replaces a worker that failed (its state is lost). */
export function emptyHostState(
  slot: {
    readonly name: string;
    readonly ip: string;
    readonly rank: number;
    readonly incarnation: number;
  },
  now: VirtualTime,
  restartSpec: NodeSpec,
): HostState {
  return {
    ...slot,
    // Far above anything the lost host used, so event keys stay unique.
    seq: 2 ** 40,
    nextEphemeralPort: 40000,
    now,
    stalledUntil: 0,
    timerAt: null,
    restartSpec,
    queue: [],
    conns: [],
    jitterDraws: [],
    network: null,
    peers: [],
  };
}
