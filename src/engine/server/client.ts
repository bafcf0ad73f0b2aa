import type { ByteString } from "../bytes";
import type { ClientKey, ConnId, ReplicaState, VirtualTime } from "../io";
import type { RequestParser } from "../resp/parser";

/** The master-side record of a connected replica (`client->replstate` and friends). */
export interface ReplicaInfo {
  state: ReplicaState;
  /** From `REPLCONF listening-port`; 0 until announced. */
  listeningPort: number;
  /** From `REPLCONF ip-address`, else the socket's peer address. */
  announcedIp: string | null;
  capaEof: boolean;
  capaPsync2: boolean;
  /** `repl_ack_off`: the last offset the replica acknowledged. */
  ackOffset: number;
  /** `repl_ack_time`, unix seconds. */
  ackTimeSec: number;
  /** `psync_initial_offset`: where its stream starts after a full sync. */
  psyncInitialOffset: number;
  /** Diskless: stream only after the first REPLCONF ACK (`repl_start_cmd_stream_on_ack`). */
  startStreamOnAck: boolean;
  /** Stream bytes produced for it but not yet written (its share of the replication buffer). */
  pending: ByteString[];
  /** Offset of the first pending byte, which pins the 7.0 backlog. */
  pendingFromOffset: number;
  /** Total length of `pending`: its output buffer as the limits count it. */
  pendingBytes: number;
  /** Unix seconds since the buffer has been over the soft limit; 0 when under it. */
  softLimitSinceSec: number;
}

/** A blocked `WAIT`. */
export interface BlockedWait {
  readonly numReplicas: number;
  /** Unix ms; 0 blocks forever. */
  readonly deadlineMs: number;
  readonly offset: number;
}

/** One client of a server: a network connection or a local console. */
export interface Client {
  readonly id: number;
  /** Local clients (consoles, script lines) have a key; network clients a connection. */
  readonly key: ClientKey | null;
  readonly conn: ConnId | null;
  readonly peerIp: string;
  readonly peerPort: number;
  db: number;
  /** Queued commands while in MULTI. */
  multi: ByteString[][] | null;
  /** A command failed to queue: EXEC will answer EXECABORT. */
  multiDirty: boolean;
  /** `woff`: master_repl_offset right after this client's last propagated command. */
  woff: number;
  /** `CLIENT SETNAME`; empty when unnamed. */
  name: string;
  /** `replica` once it sent SYNC/PSYNC; `master` for a replica's link to its master. */
  flag: "normal" | "replica" | "master";
  /** What it announced with REPLCONF before PSYNC. */
  replconf: { listeningPort: number; ip: string | null; capaEof: boolean; capaPsync2: boolean };
  readonly parser: RequestParser | null;
  blocked: BlockedWait | null;
  replica: ReplicaInfo | null;
  /** Channels this client SUBSCRIBEd to; non-empty puts it in the pub/sub context. */
  subscriptions: Set<ByteString>;
  createdAt: VirtualTime;
  lastInteractionUs: VirtualTime;
  closing: boolean;
}

/** `replicationGetSlaveName`: `ip:listening-port` as the replica announced them. */
export function replicaName(c: Client): string {
  const ip = c.replica?.announcedIp ?? c.replconf.ip ?? c.peerIp;
  const port = c.replica?.listeningPort ?? c.replconf.listeningPort;
  return `${ip}:${port ? String(port) : "<unknown-replica-port>"}`;
}
