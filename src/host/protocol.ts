import type { ExportedHost, HostAnswer, HostQuery, HostReport, HostStep } from "../sim/hostStep";
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
  /** Take in what the peers sent, carry out one action, report. */
  | { readonly type: "step"; readonly step: HostStep }
  | { readonly type: "query"; readonly id: number; readonly query: HostQuery };

/** Node worker → main thread. */
export type FromNode =
  | { readonly type: "report"; readonly report: HostReport }
  | { readonly type: "answer"; readonly id: number; readonly answer: HostAnswer }
  /** The worker's own code threw (not the engine, whose errors crash the process): it is lost. */
  | { readonly type: "failed"; readonly message: string };

/** Node worker → node worker: the segments one step sent, as one message. */
export interface PeerMessage {
  readonly type: "segments";
  readonly batch: SegmentBatch;
}
