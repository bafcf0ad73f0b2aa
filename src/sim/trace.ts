import type { ByteString } from "../engine/bytes";
import type { ConnId, ProcessEvent, VirtualTime } from "../engine/io";
import type { Reply } from "../engine/reply";
import type { LedgerChange } from "./ledger";

/**
 * Everything that happened in a run, in order: what the page draws and what
 * time travel replays. Plain data, so it crosses a MessageChannel and
 * serialises as JSON lines.
 */
export type TraceEvent =
  | {
      readonly t: VirtualTime;
      readonly type: "nodeStarted";
      readonly node: string;
      readonly ip: string;
      readonly runId: string;
      /** Always null for a Sentinel. */
      readonly replicaOf: string | null;
      /** Present only for a Sentinel or a client (a redis-server's event has no `kind`, as before). */
      readonly kind?: "sentinel" | "client";
    }
  /** `error`: the process died of an exception (an engine bug), not of a `crash` line. */
  | {
      readonly t: VirtualTime;
      readonly type: "nodeCrashed";
      readonly node: string;
      readonly error?: string;
    }
  | {
      readonly t: VirtualTime;
      readonly type: "send";
      readonly conn: ConnId;
      readonly from: string;
      readonly to: string;
      readonly bytes: ByteString;
      readonly label: string;
      /** When the last byte arrives, unless the path is cut meanwhile. */
      readonly deliverAt: VirtualTime;
    }
  | {
      readonly t: VirtualTime;
      readonly type: "deliver";
      readonly conn: ConnId;
      readonly from: string;
      readonly to: string;
      readonly size: number;
    }
  | {
      readonly t: VirtualTime;
      readonly type: "connOpen";
      readonly conn: ConnId;
      readonly from: string;
      readonly to: string;
    }
  | {
      readonly t: VirtualTime;
      readonly type: "connClose";
      readonly conn: ConnId;
      readonly from: string;
      readonly to: string;
      readonly reason: "close" | "reset" | "crash" | "refused";
    }
  | {
      readonly t: VirtualTime;
      readonly type: "process";
      readonly node: string;
      readonly event: ProcessEvent;
    }
  | {
      readonly t: VirtualTime;
      readonly type: "command";
      readonly node: string;
      readonly client: string;
      readonly argv: readonly ByteString[];
    }
  /** A `dump.rdb` of `size` bytes handed to the node to load (`Cluster.loadRdb`). */
  | {
      readonly t: VirtualTime;
      readonly type: "loadRdb";
      readonly node: string;
      readonly size: number;
    }
  | {
      readonly t: VirtualTime;
      readonly type: "reply";
      readonly node: string;
      readonly client: string;
      readonly reply: Reply;
    }
  | {
      readonly t: VirtualTime;
      readonly type: "fault";
      readonly fault: string;
      readonly nodes: readonly string[];
    }
  /** The ledger of acknowledged writes changed (see `ledger.ts`); recorded by the coordinator. */
  | ({ readonly t: VirtualTime; readonly type: "ledger" } & LedgerChange)
  | {
      readonly t: VirtualTime;
      readonly type: "stall";
      readonly node: string;
      readonly until: VirtualTime;
    };
