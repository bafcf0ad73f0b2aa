import type { ByteString } from "../engine/bytes";
import type { ConnId } from "../engine/io";
import type { QueueKey } from "./eventQueue";
import type { SortKey } from "./order";

/**
 * What crosses the network between two processes, as TCP carries it: a
 * connection request, its answer, bytes and a close. Each is keyed by its
 * delivery time and its sender's rank and sequence number. Plain data: it is
 * posted from one worker to another.
 */
export type Segment = QueueKey & SegmentBody;

export type SegmentBody =
  | {
      readonly kind: "syn";
      readonly conn: ConnId;
      readonly from: string;
      readonly to: string;
      /** The initiator's source port, as the acceptor sees it. */
      readonly peerPort: number;
      /** Incarnations of both ends when the connection was asked for. */
      readonly fromIncarnation: number;
      readonly toIncarnation: number;
      /** Where the connection was created in the run: connections are walked in this order. */
      readonly created: SortKey;
    }
  | {
      readonly kind: "synAck";
      readonly conn: ConnId;
      readonly from: string;
      readonly to: string;
      readonly ok: boolean;
    }
  | {
      readonly kind: "deliver";
      readonly conn: ConnId;
      readonly from: string;
      readonly to: string;
      readonly bytes: ByteString;
    }
  | { readonly kind: "fin"; readonly conn: ConnId; readonly from: string; readonly to: string };

/** The segments one host sent another in one step: one message on their channel. */
export interface SegmentBatch {
  readonly segments: readonly Segment[];
}
