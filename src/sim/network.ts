import type { VirtualTime } from "../engine/io";

/** One-way timing of a path between two processes. */
export interface PathSettings {
  /** One-way delay. Must be positive: it is the lookahead of the lockstep clock. */
  latencyUs: number;
  /** Extra delay drawn uniformly from [0, jitterUs] per chunk. */
  jitterUs: number;
  /** Bytes per second; 0 for unlimited. */
  bandwidthBytesPerSec: number;
}

export const DEFAULT_PATH: PathSettings = { latencyUs: 1000, jitterUs: 0, bandwidthBytesPerSec: 0 };

/** Largest piece a send is split into on a bandwidth-limited path, so progress shows. */
export const CHUNK_BYTES = 16 * 1024;

/**
 * The sender's kernel socket buffer (Linux `tcp_wmem` maximum): a write counts
 * as done for the sender once no more than this is left to transmit.
 */
export const SOCKET_SEND_BUFFER_BYTES = 4 * 1024 * 1024;

/** When the sender sees a send complete: its last bytes fit in the socket buffer. */
export function sentAt(now: VirtualTime, busyUntil: VirtualTime, path: PathSettings): VirtualTime {
  if (path.bandwidthBytesPerSec <= 0) return now;
  const bufferUs = Math.ceil((SOCKET_SEND_BUFFER_BYTES * 1e6) / path.bandwidthBytesPerSec);
  return Math.max(now, busyUntil - bufferUs);
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** A NetworkModel as plain data, to hand to a host in another worker. */
export interface NetworkState {
  readonly defaults: PathSettings;
  readonly paths: readonly (readonly [string, PathSettings])[];
  readonly cuts: readonly string[];
}

/**
 * The network's settings and partitions: default and per-path timing, and
 * which pairs are cut. Pure data; the cluster schedules deliveries with it.
 */
export class NetworkModel {
  private defaults: PathSettings = { ...DEFAULT_PATH };
  private readonly paths = new Map<string, PathSettings>();
  private readonly cuts = new Set<string>();
  /** `path` answers by sender and receiver, as every send asks (cleared on a change). */
  private readonly resolved = new Map<string, Map<string, PathSettings>>();

  static fromState(state: NetworkState): NetworkModel {
    const model = new NetworkModel();
    model.defaults = { ...state.defaults };
    for (const [key, path] of state.paths) model.paths.set(key, { ...path });
    for (const key of state.cuts) model.cuts.add(key);
    return model;
  }

  state(): NetworkState {
    return {
      defaults: { ...this.defaults },
      paths: [...this.paths].map(([key, path]) => [key, { ...path }] as const),
      cuts: [...this.cuts],
    };
  }

  setDefaults(settings: Partial<PathSettings>): void {
    this.defaults = { ...this.defaults, ...settings };
    this.resolved.clear();
  }

  setPath(a: string, b: string, settings: Partial<PathSettings>): void {
    this.paths.set(pairKey(a, b), { ...this.path(a, b), ...settings });
    this.resolved.clear();
  }

  path(a: string, b: string): PathSettings {
    let from = this.resolved.get(a);
    if (from === undefined) {
      from = new Map();
      this.resolved.set(a, from);
    }
    let path = from.get(b);
    if (path === undefined) {
      path = this.paths.get(pairKey(a, b)) ?? this.defaults;
      from.set(b, path);
    }
    return path;
  }

  /** The smallest latency of any path: the lookahead. */
  minLatencyUs(): number {
    let min = this.defaults.latencyUs;
    for (const p of this.paths.values()) min = Math.min(min, p.latencyUs);
    return min;
  }

  cut(a: string, b: string): void {
    this.cuts.add(pairKey(a, b));
  }

  heal(a: string, b: string): boolean {
    return this.cuts.delete(pairKey(a, b));
  }

  /** Heals every partition involving `a` (or every partition), returning the healed pairs. */
  healAll(a?: string): [string, string][] {
    const healed: [string, string][] = [];
    for (const key of [...this.cuts]) {
      const [x = "", y = ""] = key.split("|");
      if (a === undefined || x === a || y === a) {
        this.cuts.delete(key);
        healed.push([x, y]);
      }
    }
    return healed;
  }

  isCut(a: string, b: string): boolean {
    return this.cuts.has(pairKey(a, b));
  }

  cutPairs(): [string, string][] {
    return [...this.cuts].map((k) => {
      const [x = "", y = ""] = k.split("|");
      return [x, y];
    });
  }
}

/** Per-direction transmission state: serialisation on a limited link, FIFO delivery. */
export interface Direction {
  /** When the link finishes sending what it was given. */
  busyUntil: VirtualTime;
  /** Delivery time of the last piece scheduled, so order is kept under jitter. */
  lastDeliverAt: VirtualTime;
}

/** Delivery times of the pieces of one send (`bytes.length` split into chunks). */
export function scheduleSend(
  dir: Direction,
  now: VirtualTime,
  size: number,
  path: PathSettings,
  jitter: () => number,
): { pieces: { size: number; at: VirtualTime }[]; deliverAt: VirtualTime } {
  const pieces: { size: number; at: VirtualTime }[] = [];
  const bw = path.bandwidthBytesPerSec;
  let left = size;
  let start = Math.max(now, dir.busyUntil);
  do {
    const n = bw > 0 ? Math.min(left, CHUNK_BYTES) : left;
    const txUs = bw > 0 ? Math.ceil((n * 1e6) / bw) : 0;
    const sent = start + txUs;
    start = sent;
    const at = Math.max(sent + path.latencyUs + jitter(), dir.lastDeliverAt);
    dir.lastDeliverAt = at;
    pieces.push({ size: n, at });
    left -= n;
  } while (left > 0);
  dir.busyUntil = start;
  return { pieces, deliverAt: dir.lastDeliverAt };
}
