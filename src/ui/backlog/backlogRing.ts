import type { ReplState } from "../../engine/io";
import type { NodeView } from "../../engine/server/view";
import { formatBytes } from "../format/bytes";

const TAU = 2 * Math.PI;

/**
 * The angle (radians, clockwise from 12 o'clock, as d3.arc counts) of the
 * boundary just after byte `offset` of the stream, on a ring of `capacity`
 * bytes: where that byte sits in a circular backlog.
 */
export function boundaryAngle(offset: number, capacity: number): number {
  if (capacity <= 0) return 0;
  const pos = ((offset % capacity) + capacity) % capacity;
  return (pos / capacity) * TAU;
}

export interface RingGeometry {
  /** The history the backlog holds, from its first byte to master_repl_offset. */
  readonly history: { readonly startAngle: number; readonly endAngle: number } | null;
  /** Where the next byte will be written. */
  readonly headAngle: number;
  /** Where each 7.0 buffer block starts. */
  readonly blockAngles: readonly number[];
}

/** The ring's arcs and ticks for a master's backlog. */
export function ringGeometry(
  backlog: NonNullable<NodeView["backlog"]>,
  masterReplOffset: number,
): RingGeometry {
  const cap = backlog.sizeBytes;
  const headAngle = boundaryAngle(masterReplOffset, cap);
  const history =
    backlog.histlen > 0
      ? (() => {
          const startAngle = boundaryAngle(backlog.firstByteOffset - 1, cap);
          const span = (Math.min(backlog.histlen, cap) / cap) * TAU;
          return { startAngle, endAngle: startAngle + span };
        })()
      : null;
  const blockAngles =
    backlog.model === "7.0" ? backlog.blocks.map((b) => boundaryAngle(b.offset - 1, cap)) : [];
  return { history, headAngle, blockAngles };
}

/** A replica as the ring judges it. */
export interface RingReplica {
  readonly name: string;
  readonly running: boolean;
  /** Its replication offset: acknowledged while online, the cached master's offset when not. */
  readonly offset: number;
  readonly replId: string;
  /** Online on the master and its path not cut. */
  readonly streaming: boolean;
  /** Its own view of the link (`repl_state`). */
  readonly linkState: ReplState;
  /** Whether the path to the master is cut. */
  readonly cut: boolean;
}

export interface Verdict {
  readonly name: string;
  readonly tone: "ok" | "wait" | "bad" | "off";
  readonly text: string;
  /** Bytes more the master may write before this replica needs a full resync, if it can resume. */
  readonly roomBytes: number | null;
}

/**
 * Whether a replica that reconnects now would get `+CONTINUE` or
 * `+FULLRESYNC`, in words, by Redis's rule (`masterTryPartialResynchronization`):
 * its replication ID must be the master's (or the master's previous one, up to
 * `second_repl_offset`), and the byte after its offset must still be in the
 * backlog. The room left is approximate on 7.0, which trims whole blocks.
 */
export function resumeVerdict(master: NodeView, replica: RingReplica): Verdict {
  const { name } = replica;
  const lag = Math.max(0, master.masterReplOffset - replica.offset);
  if (!replica.running) return { name, tone: "off", text: `${name} is down.`, roomBytes: null };
  if (replica.streaming) {
    return {
      name,
      tone: "ok",
      text: `${name} is streaming; its last ACK was for offset ${replica.offset} (${formatBytes(lag)} behind).`,
      roomBytes: null,
    };
  }
  if (!replica.cut && replica.linkState === "transfer") {
    return {
      name,
      tone: "wait",
      text: `${name} is receiving a full sync (the RDB snapshot).`,
      roomBytes: null,
    };
  }
  // Disconnected, cut, or reconnecting: what its PSYNC would get now.
  const why = replica.cut
    ? `${name}'s link is cut`
    : replica.linkState === "connected"
      ? `${name} is catching up`
      : `${name} is reconnecting`;
  const psyncOffset = replica.offset + 1;
  const sameHistory =
    replica.replId === master.replId ||
    (replica.replId === master.replId2 && psyncOffset <= master.secondReplOffset);
  if (!sameHistory) {
    return {
      name,
      tone: "bad",
      text: `${why}; its replication history (replid ${shortId(replica.replId)}) is not ${master.name}'s: it will get a full resync (+FULLRESYNC).`,
      roomBytes: null,
    };
  }
  const backlog = master.backlog;
  if (
    !backlog ||
    psyncOffset < backlog.firstByteOffset ||
    psyncOffset > backlog.firstByteOffset + backlog.histlen
  ) {
    const gap = backlog ? backlog.firstByteOffset - psyncOffset : 0;
    return {
      name,
      tone: "bad",
      text: backlog
        ? `${why}; it is ${formatBytes(gap)} behind the oldest byte ${master.name} still holds: it needs a full resync (+FULLRESYNC).`
        : `${why}; ${master.name} has no backlog: it needs a full resync (+FULLRESYNC).`,
      roomBytes: null,
    };
  }
  const room = Math.max(0, backlog.sizeBytes - lag);
  const about = backlog.model === "7.0" ? "about " : "";
  return {
    name,
    tone: "wait",
    text:
      room > 0
        ? `${why}; it can resume with +CONTINUE for ${about}${formatBytes(room)} more writes.`
        : `${why}; it can still resume with +CONTINUE, but the next write may push its offset out.`,
    roomBytes: room,
  };
}

function shortId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 2)}…${id.slice(-2)}` : id;
}

/** Bytes that entered the backlog (`written`) or left it (`trimmed`): stream offsets [from, to). */
export interface RingChange {
  readonly kind: "written" | "trimmed";
  /** Offset of the boundary before the first byte (as `boundaryAngle` takes it). */
  readonly from: number;
  readonly to: number;
}

/**
 * What changed in a backlog between two looks: the bytes written since
 * (from the old master_repl_offset to the new one, at most a ring's worth)
 * and the bytes trimmed (from the old first byte to the new one). A new
 * history (a restart, a shrunken offset) is no change to animate.
 */
export function ringChange(
  before: { readonly first: number; readonly head: number },
  after: { readonly first: number; readonly head: number; readonly size: number },
  histlen: number,
): RingChange[] {
  const changes: RingChange[] = [];
  if (after.head < before.head || after.first < before.first) return changes;
  if (after.head > before.head && histlen > 0) {
    changes.push({
      kind: "written",
      from: Math.max(before.head, after.head - after.size),
      to: after.head,
    });
  }
  if (after.first > before.first && before.first > 0) {
    changes.push({
      kind: "trimmed",
      from: before.first - 1,
      to: Math.min(after.first - 1, before.first - 1 + after.size),
    });
  }
  return changes;
}
