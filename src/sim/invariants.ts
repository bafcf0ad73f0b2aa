import type { Server } from "../engine/server/server";
import { keyspaceDigest } from "./keyspaceDigest";

/** A state Redis could not reach: the simulator is wrong somewhere. */
export class InvariantViolation extends Error {
  override readonly name = "InvariantViolation";
}

/** What the checks need to know of a cluster: its running servers and its partitions. */
export interface ClusterState {
  /** Running servers by node name. */
  readonly servers: ReadonlyMap<string, Server>;
  /** Finds a running server by host name or address. */
  resolve(host: string): Server | undefined;
  isCut(a: string, b: string): boolean;
}

/**
 * Checks that hold at every instant (`docs/redis-replication.md` §13): offsets
 * move only with the stream, and the backlog's extent matches the offset.
 */
export function checkAlways(state: ClusterState): void {
  for (const [name, s] of state.servers) {
    const b = s.backlog;
    if (b && b.histlen > 0 && b.firstByteOffset + b.histlen - 1 !== s.masterReplOffset) {
      throw new InvariantViolation(
        `${name}: master_repl_offset ${s.masterReplOffset} != first byte ${b.firstByteOffset} + histlen ${b.histlen} - 1`,
      );
    }
    if (b && b.histlen === 0 && b.firstByteOffset !== s.masterReplOffset + 1) {
      throw new InvariantViolation(
        `${name}: empty backlog starts at ${b.firstByteOffset}, not master_repl_offset + 1 = ${s.masterReplOffset + 1}`,
      );
    }
    const link = s.masterLink;
    if (link?.client) {
      if (link.readReplOff < link.replOff) {
        throw new InvariantViolation(
          `${name}: slave_read_repl_offset ${link.readReplOff} < slave_repl_offset ${link.replOff}`,
        );
      }
      if (link.replOff !== s.masterReplOffset) {
        throw new InvariantViolation(
          `${name}: a connected replica's slave_repl_offset ${link.replOff} != its master_repl_offset ${s.masterReplOffset}`,
        );
      }
      const master = state.resolve(s.masterHost ?? "");
      if (master && master.replId === s.replId && s.masterReplOffset > master.masterReplOffset) {
        throw new InvariantViolation(
          `${name}: offset ${s.masterReplOffset} is ahead of its master's ${master.masterReplOffset} in the same history`,
        );
      }
    }
  }
}

/**
 * Checks that hold once the cluster settled: every replica whose master runs
 * and is reachable has its master's replid, offset and dataset (so chains
 * share them too).
 */
export function checkSettled(state: ClusterState): void {
  checkAlways(state);
  for (const [name, s] of state.servers) {
    if (!s.isReplica) continue;
    const master = state.resolve(s.masterHost ?? "");
    if (!master || state.isCut(name, master.name)) continue;
    if (s.replState !== "connected") {
      throw new InvariantViolation(
        `${name}: settled but its link to ${master.name} is ${s.replState}`,
      );
    }
    if (s.replId !== master.replId) {
      throw new InvariantViolation(
        `${name}: replid ${s.replId} differs from its master ${master.name}'s ${master.replId}`,
      );
    }
    if (s.masterReplOffset !== master.masterReplOffset) {
      throw new InvariantViolation(
        `${name}: offset ${s.masterReplOffset} differs from its master ${master.name}'s ${master.masterReplOffset}`,
      );
    }
    const mine = keyspaceDigest(s.keyspace);
    const theirs = keyspaceDigest(master.keyspace);
    if (mine !== theirs) {
      throw new InvariantViolation(`${name}: dataset differs from its master ${master.name}'s`);
    }
  }
}
