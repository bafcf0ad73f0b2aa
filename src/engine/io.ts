import type { ByteString } from "./bytes";
import type { Reply } from "./reply";

/** Virtual time in microseconds since the run started. */
export type VirtualTime = number;

/**
 * A connection between two processes. The process that opens it names it
 * (`<name>.<incarnation>.<n>`), and both ends use the same id.
 */
export type ConnId = string;

/** A client of a process that lives on its own host (a console, a script's `NAME>` lines). */
export type ClientKey = string;

/**
 * One Redis process as its host drives it: a `Server` or a `Sentinel`. The
 * host knows nothing else of it to run it: inputs in, outputs out.
 */
export interface Process {
  readonly name: string;
  /** `run_id`, new at every start. */
  readonly runId: string;
  readonly startTime: VirtualTime;
  /** Applies one input at virtual time `now` and returns what the host must carry out. */
  handle(now: VirtualTime, input: ProcessInput): ProcessOutput[];
}

/** What a process can be told. Every input carries the virtual time it happens at. */
export type ProcessInput =
  /** An outbound connection this process asked for is established. */
  | { readonly kind: "connected"; readonly conn: ConnId }
  /** An outbound connection could not be established (nobody listening). */
  | { readonly kind: "connectFailed"; readonly conn: ConnId }
  /** Another process opened a connection to this one. */
  | {
      readonly kind: "accepted";
      readonly conn: ConnId;
      readonly peerIp: string;
      readonly peerPort: number;
    }
  | { readonly kind: "bytesReceived"; readonly conn: ConnId; readonly bytes: ByteString }
  /** The peer closed the connection, or it was reset. */
  | { readonly kind: "connectionClosed"; readonly conn: ConnId }
  | {
      readonly kind: "clientCommand";
      readonly client: ClientKey;
      readonly argv: readonly ByteString[];
    }
  | { readonly kind: "timerFired" }
  /**
   * The page loads a `dump.rdb` into this server: like `DEBUG RELOAD` from
   * that file, it flushes every database and loads the file's keys.
   */
  | { readonly kind: "loadRdb"; readonly bytes: ByteString }
  /** The last byte of a send that asked for it (`notifySent`) has left this host. */
  | { readonly kind: "sent"; readonly conn: ConnId };

/** What a process asks its host to carry out. */
export type ProcessOutput =
  | {
      readonly kind: "send";
      readonly conn: ConnId;
      readonly bytes: ByteString;
      readonly label?: string;
      /** Tell me (input `sent`) when the last byte has been transmitted. */
      readonly notifySent?: boolean;
    }
  | {
      readonly kind: "connect";
      readonly conn: ConnId;
      readonly host: string;
      readonly port: number;
    }
  | { readonly kind: "close"; readonly conn: ConnId }
  | { readonly kind: "reply"; readonly client: ClientKey; readonly reply: Reply }
  /** Wake me with `timerFired` at this time (replaces any earlier request). */
  | { readonly kind: "timer"; readonly at: VirtualTime }
  /** The process is busy (DEBUG SLEEP) until this time: it reads and answers nothing before. */
  | { readonly kind: "stall"; readonly until: VirtualTime }
  | { readonly kind: "event"; readonly event: ProcessEvent };

/** Things worth showing that are not bytes: log lines and state changes. */
export type ProcessEvent =
  | {
      readonly type: "log";
      readonly level: "notice" | "warning" | "verbose";
      readonly text: string;
    }
  | { readonly type: "role"; readonly role: "master" | "slave"; readonly masterHost: string | null }
  | { readonly type: "replState"; readonly state: ReplState }
  | {
      readonly type: "replicaState";
      readonly replica: string;
      readonly state: ReplicaState | "gone";
    }
  | {
      readonly type: "sync";
      readonly replica: string;
      readonly decision: "continue" | "fullresync";
      readonly replId: string;
      readonly offset: number;
    }
  | {
      readonly type: "replId";
      readonly replId: string;
      readonly replId2: string;
      readonly secondReplOffset: number;
      /**
       * A master that changed its replid (its first replica, or its backlog
       * freed) kept its dataset: the history it carries on, up to `offset`.
       */
      readonly lineage?: { readonly replId: string; readonly offset: number };
    }
  /**
   * A server ran a write for a client that named itself (`CLIENT SETNAME`):
   * the replication history it now holds the write at (`replId` up to
   * `offset`), which the ledger of acknowledged writes follows.
   */
  | {
      readonly type: "write";
      readonly client: string;
      readonly replId: string;
      readonly offset: number;
    }
  /**
   * An application client (`client NAME …`) got the answer to one of its
   * requests: `op` says how it routed it, `server` where (`ip:port`),
   * `sentAt` when it sent it; `wait` is the `WAIT` it sent after a write.
   */
  | {
      readonly type: "appClient";
      readonly op: "write" | "read" | "other";
      readonly argv: readonly ByteString[];
      readonly reply: Reply;
      readonly server: string;
      readonly sentAt: VirtualTime;
      readonly wait?: { readonly argv: readonly ByteString[]; readonly reply: Reply };
    }
  /**
   * A Sentinel event (`sentinelEvent`), emitted beside its log line: `event`
   * is its name as Redis logs and publishes it (`+sdown`, `+switch-master`,
   * …), `payload` the rest of the line (`master mymaster 10.0.0.1 6379`),
   * `group` the monitored master it concerns (null for `+tilt`, `-tilt`).
   */
  | {
      readonly type: "sentinel";
      readonly event: string;
      readonly payload: string;
      readonly level: "warning" | "notice" | "verbose";
      readonly group: string | null;
    };

/**
 * Replica-side link state (`server.h: repl_state`), grouped as ROLE and INFO
 * print it.
 */
export type ReplState =
  | "none" // not a replica
  | "connect" // must connect to the master (the cron retries)
  | "connecting" // TCP connect in progress
  | "handshake" // PING / REPLCONF / PSYNC exchange
  | "transfer" // receiving the RDB
  | "connected"; // streaming

/** Master-side state of one replica (`client->replstate`). */
export type ReplicaState =
  | "waitBgsaveStart" // full sync requested, no snapshot started for it yet
  | "waitBgsaveEnd" // snapshot in progress (diskless: streaming to it)
  | "sendBulk" // sending the RDB file from disk
  | "online"; // streaming the command stream
