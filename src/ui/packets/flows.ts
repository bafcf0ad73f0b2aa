import type { VirtualTime } from "../../engine/io";
import type { TraceEvent } from "../../sim/trace";
import type { PacketKind } from "./packetLabel";
import { commandCount, packetKind } from "./packetLabel";
import { formatBytes } from "../format/bytes";

/**
 * Streams: when a link direction carries sends too close together for the eye
 * to follow one by one, the page stops slowing time for it and draws the flow
 * (a moving band with its rate) instead of every packet. The rule, counted in
 * virtual time from the trace alone, so a replay draws the same:
 *
 * - A direction starts streaming once its last STREAM_SENDS (8) send instants
 *   carried commands at STREAM_COMMANDS_PER_SEC or more (the commands after
 *   the first instant over the time from the first to the last), or followed
 *   one another within STREAM_GAP_FLIGHTS flight times (a procession on a
 *   slow link). A write typed in a console, a burst sent in one instant, a
 *   lesson's `repeat` (one instant) or the once-a-second REPLCONF ACK never
 *   do, so they keep their slow motion; 1,000 writes a second do. Eight,
 *   because in slow motion a few commands typed in quick succession (as the
 *   end-to-end tests type) are also close together in virtual time.
 * - While any direction streams, another joins once it has STREAM_SENDS
 *   instants in a row less than STREAM_QUIET_US apart (time then runs at the
 *   chosen speed, so single packets would cross too fast to see anyway).
 * - A direction stops streaming after STREAM_QUIET_US without a send on it;
 *   when none streams, slow motion is back.
 */
export const STREAM_SENDS = 8;
export const STREAM_COMMANDS_PER_SEC = 500;
export const STREAM_GAP_FLIGHTS = 1.5;
export const STREAM_QUIET_US = 250_000;
/** A stream's rate is counted over this much virtual time, in BUCKET_US pieces. */
export const RATE_WINDOW_US = 1_000_000;
const BUCKET_US = 100_000;

/** What one direction sent in one BUCKET_US of virtual time. */
export interface RateBucket {
  readonly start: VirtualTime;
  readonly sends: number;
  readonly commands: number;
  readonly bytes: number;
}

/** What the page knows of the traffic from one process to another. */
export interface DirectionFlow {
  readonly from: string;
  readonly to: string;
  readonly lastSendAt: VirtualTime;
  /** Send instants in a row, each close enough to the one before (see the rule above). */
  readonly run: number;
  /** The last STREAM_SENDS send instants and the commands each carried, oldest first. */
  readonly recent: readonly { readonly t: VirtualTime; readonly commands: number }[];
  /** When the traffic began (its first send after a rate window without any), for a young stream's rate. */
  readonly runFrom: VirtualTime;
  /** Set when the run reached STREAM_SENDS; it lapses after STREAM_QUIET_US without a send (`isStreaming`). */
  readonly streaming: boolean;
  /** The kind of its latest send other than a ping, for the band's colour. */
  readonly kind: PacketKind;
  /** Newest last, none older than RATE_WINDOW_US before the latest send. */
  readonly buckets: readonly RateBucket[];
}

/** Every direction that has sent anything, by `from>to`. */
export type Flows = Readonly<Record<string, DirectionFlow>>;

export const NO_FLOWS: Flows = {};

export function flowKey(from: string, to: string): string {
  return `${from}>${to}`;
}

/** Whether a direction draws as a stream at virtual time `now`. */
export function isStreaming(flow: DirectionFlow | undefined, now: VirtualTime): boolean {
  return (
    flow !== undefined &&
    flow.streaming &&
    now >= flow.lastSendAt &&
    now - flow.lastSendAt <= STREAM_QUIET_US
  );
}

/** Whether any direction streams at `now`: then time is not slowed (playback/pacing.ts). */
export function anyStreaming(flows: Flows, now: VirtualTime): boolean {
  for (const key in flows) if (isStreaming(flows[key], now)) return true;
  return false;
}

/** The directions streaming at `now`, as `from>to` keys in a stable order. */
export function streamingKeys(flows: Flows, now: VirtualTime): string[] {
  return Object.keys(flows)
    .filter((k) => isStreaming(flows[k], now))
    .sort();
}

/** A direction's sends, commands and bytes per second of virtual time, over the last RATE_WINDOW_US. */
export function flowRate(
  flow: DirectionFlow,
  now: VirtualTime,
): { sends: number; commands: number; bytes: number } {
  const from = now - RATE_WINDOW_US;
  let sends = 0;
  let commands = 0;
  let bytes = 0;
  for (const b of flow.buckets) {
    if (b.start + BUCKET_US <= from) continue;
    sends += b.sends;
    commands += b.commands;
    bytes += b.bytes;
  }
  // A stream younger than the window is counted over its own age (but at least one bucket's).
  const spanUs = Math.max(BUCKET_US, Math.min(RATE_WINDOW_US, now - flow.runFrom));
  const perSecond = 1e6 / spanUs;
  return { sends: sends * perSecond, commands: commands * perSecond, bytes: bytes * perSecond };
}

/** Folds the `send` events of `events` into `flows` (pure; unchanged when there are none). */
export function reduceFlows(flows: Flows, events: readonly TraceEvent[]): Flows {
  let next: Record<string, DirectionFlow> | null = null;
  let streamingNow: boolean | null = null;
  for (const e of events) {
    if (e.type !== "send") continue;
    next ??= { ...flows };
    streamingNow ??= anyStreaming(next, e.t);
    const key = flowKey(e.from, e.to);
    const flow = addSend(next[key], e, streamingNow);
    next[key] = flow;
    if (isStreaming(flow, e.t)) streamingNow = true;
  }
  return next ?? flows;
}

function addSend(
  flow: DirectionFlow | undefined,
  e: Extract<TraceEvent, { type: "send" }>,
  streamingNow: boolean,
): DirectionFlow {
  const kind = packetKind(e.bytes, e.label);
  const commands = commandCount(e.bytes);
  const bucket = { sends: 1, commands, bytes: e.bytes.length };
  if (!flow) {
    return {
      from: e.from,
      to: e.to,
      lastSendAt: e.t,
      run: 1,
      recent: [{ t: e.t, commands }],
      runFrom: e.t,
      streaming: false,
      kind,
      buckets: [{ start: bucketStart(e.t), ...bucket }],
    };
  }
  const gap = e.t - flow.lastSendAt;
  const flight = Math.max(1, e.deliverAt - e.t);
  const chains = gap <= (streamingNow ? STREAM_QUIET_US : STREAM_GAP_FLIGHTS * flight);
  // Sends of one instant are one: a burst written at once crosses as one packet.
  const run = gap <= 0 ? flow.run : chains ? flow.run + 1 : 1;
  const recent = addInstant(flow.recent, e.t, commands);
  return {
    ...flow,
    lastSendAt: Math.max(flow.lastSendAt, e.t),
    run,
    recent,
    // A new run of traffic only once the rate window holds nothing older: bursts
    // with quiet spells between them (a load at the fastest speed) are counted
    // at their average, not each over its own few milliseconds.
    runFrom: gap > RATE_WINDOW_US ? e.t : flow.runFrom,
    streaming: isStreaming(flow, e.t) || run >= STREAM_SENDS || dense(recent),
    kind: kind === "ping" ? flow.kind : kind,
    buckets: addToBuckets(flow.buckets, e.t, bucket),
  };
}

function addInstant(
  recent: DirectionFlow["recent"],
  t: VirtualTime,
  commands: number,
): DirectionFlow["recent"] {
  const last = recent[recent.length - 1];
  if (last && last.t === t)
    return [...recent.slice(0, -1), { t, commands: last.commands + commands }];
  return [...recent, { t, commands }].slice(-STREAM_SENDS);
}

/** Whether the last STREAM_SENDS instants carried commands at STREAM_COMMANDS_PER_SEC or more. */
function dense(recent: DirectionFlow["recent"]): boolean {
  const first = recent[0];
  const last = recent[recent.length - 1];
  if (recent.length < STREAM_SENDS || !first || !last || last.t <= first.t) return false;
  let commands = 0;
  for (const r of recent.slice(1)) commands += r.commands;
  return (commands * 1e6) / (last.t - first.t) >= STREAM_COMMANDS_PER_SEC;
}

function bucketStart(t: VirtualTime): VirtualTime {
  return Math.floor(t / BUCKET_US) * BUCKET_US;
}

function addToBuckets(
  buckets: readonly RateBucket[],
  t: VirtualTime,
  add: { sends: number; commands: number; bytes: number },
): RateBucket[] {
  const start = bucketStart(t);
  const kept = buckets.filter((b) => b.start + BUCKET_US > t - RATE_WINDOW_US);
  const last = kept[kept.length - 1];
  if (last && last.start === start) {
    kept[kept.length - 1] = {
      start,
      sends: last.sends + add.sends,
      commands: last.commands + add.commands,
      bytes: last.bytes + add.bytes,
    };
  } else {
    kept.push({ start, ...add });
  }
  return kept;
}

/** `1,000 cmd/s · 61.2 kB/s`: what a stream's label says. */
export function rateText(rate: { sends: number; commands: number; bytes: number }): string {
  // Thousands grouped by hand: toLocaleString builds a number format on every call.
  const count = (n: number) => String(Math.round(n)).replace(/\B(?=(\d{3})+$)/g, ",");
  const what = rate.commands > 0 ? `${count(rate.commands)} cmd/s` : `${count(rate.sends)} sends/s`;
  return `${what} · ${formatBytes(rate.bytes)}/s`;
}
