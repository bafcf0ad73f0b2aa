import type { VirtualTime } from "../../engine/io";
import { formatReply } from "../../engine/resp/redisCli";
import type { NodeView } from "../../engine/server/view";
import type { SentinelView } from "../../engine/sentinel/view";
import { appendOffsetSample } from "../chart/offsetHistory";
import type { TraceEvent } from "../../sim/trace";
import { formatClock } from "../format/time";
import { packetKind, packetLabel } from "../packets/packetLabel";
import { masterOf } from "./selectors";
import { reduceLedger } from "../ledger/ledgerState";
import { reduceFlows } from "../packets/flows";
import { draftHistory, finishHistory, noteEvent } from "./logHistory";
import type {
  ConsoleLine,
  ConsoleState,
  LogEntry,
  NodeMeta,
  Packet,
  PlaygroundState,
} from "./state";
import {
  CONSOLE_CLIENT,
  MAX_CONSOLE_LINES,
  MAX_LOG_ENTRIES,
  MAX_WIRE_ENTRIES,
  pairKey,
} from "./state";

/** A mutable working copy of the parts of the state that trace events change. */
interface Draft {
  nextId: number;
  nodes: Record<string, NodeMeta>;
  order: string[];
  packets: Packet[];
  wire: Packet[];
  consoles: Record<string, ConsoleState>;
  log: LogEntry[];
  cuts: Set<string>;
  said: string[];
  /** Nodes the reader removed: never drawn again. */
  removed: ReadonlySet<string>;
}

/**
 * Folds trace events from the host into the page's state. Pure: the same
 * state and events give the same result, so it is tested without React or a
 * cluster. Packets enter on `send` and leave on `deliver` (byte counts, in
 * order per direction), or when their connection is reset or their receiver
 * crashes.
 */
export function reduceTrace(
  state: PlaygroundState,
  events: readonly TraceEvent[],
): PlaygroundState {
  if (events.length === 0) return state;
  const d: Draft = {
    nextId: state.nextId,
    nodes: { ...state.nodes },
    order: [...state.order],
    packets: [...state.packets],
    wire: [...state.wire],
    consoles: { ...state.consoles },
    log: [...state.log],
    cuts: new Set(state.cuts),
    said: [],
    removed: new Set(state.removed),
  };
  const history = draftHistory(state.logHistory);
  for (const event of events) {
    const logged = d.log.length;
    apply(d, event);
    noteEvent(history, event, d.log.length > logged ? (d.log[d.log.length - 1]?.id ?? null) : null);
  }
  const log = d.log.length > MAX_LOG_ENTRIES ? d.log.slice(-MAX_LOG_ENTRIES) : d.log;
  const announcement =
    d.said.length > 0 ? { id: d.nextId++, text: d.said.slice(-3).join(" ") } : state.announcement;
  const wire = d.wire.length > MAX_WIRE_ENTRIES ? d.wire.slice(-MAX_WIRE_ENTRIES) : d.wire;
  const cuts = [...d.cuts].sort();
  // A part the events left as it was keeps its identity, so the views that
  // select it do not render again (a new log array made the Log view re-read
  // its layout on every flush of a long run).
  return {
    ...state,
    now: Math.max(state.now, events[events.length - 1]?.t ?? 0),
    nextId: d.nextId,
    nodes: sameRecord(d.nodes, state.nodes) ? state.nodes : d.nodes,
    order: sameArray(d.order, state.order) ? state.order : d.order,
    packets: sameArray(d.packets, state.packets) ? state.packets : d.packets,
    wire: sameArray(wire, state.wire) ? state.wire : wire,
    consoles: sameRecord(d.consoles, state.consoles) ? state.consoles : d.consoles,
    log: sameArray(log, state.log) ? state.log : log,
    logHistory: finishHistory(history, d.log, log),
    cuts: sameArray(cuts, state.cuts) ? state.cuts : cuts,
    announcement,
    ledger: reduceLedger(state.ledger, events),
    flows: reduceFlows(state.flows, events),
  };
}

function sameArray<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameRecord<T>(a: Readonly<Record<string, T>>, b: Readonly<Record<string, T>>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}

function apply(d: Draft, e: TraceEvent): void {
  switch (e.type) {
    case "nodeStarted": {
      if (!d.order.includes(e.node) && !d.removed.has(e.node)) d.order.push(e.node);
      d.nodes[e.node] = {
        name: e.node,
        kind: e.kind ?? "server",
        ip: e.ip,
        runId: e.runId,
        running: true,
        role: e.replicaOf === null ? "master" : "slave",
        replState: e.replicaOf === null ? "none" : "connect",
        startedAt: e.t,
      };
      const as =
        e.kind === "sentinel"
          ? "as a Sentinel"
          : e.kind === "client"
            ? "as an application client"
            : e.replicaOf === null
              ? "as a master"
              : `as a replica of ${e.replicaOf}`;
      note(d, e.t, e.node, "process", `${e.node} started ${as} (run id ${e.runId.slice(0, 8)}…)`);
      d.said.push(`${e.node} started ${as}.`);
      break;
    }
    case "nodeCrashed": {
      const meta = d.nodes[e.node];
      if (meta) d.nodes[e.node] = { ...meta, running: false };
      d.packets = d.packets.filter((p) => p.to !== e.node);
      const consoleState = d.consoles[e.node];
      if (consoleState && consoleState.pending > 0) {
        d.consoles[e.node] = { ...consoleState, pending: 0 };
        pushConsole(d, e.node, "error", "Error: Server closed the connection");
      }
      // An `error` means the engine threw: a bug, shown as the process dying of it.
      note(
        d,
        e.t,
        e.node,
        "fault",
        e.error ? `${e.node} crashed: ${e.error}` : `${e.node} crashed (killed with SIGKILL)`,
      );
      d.said.push(`${e.node} crashed.`);
      break;
    }
    case "send":
      addPacket(d, e);
      break;
    case "deliver":
      deliver(d, e.conn, e.from, e.size);
      break;
    case "connOpen":
      break;
    case "connClose":
      if (e.reason === "reset") {
        d.packets = d.packets.filter((p) => p.conn !== e.conn);
      } else if (e.reason === "close") {
        // Nothing more is read at the end that closed.
        d.packets = d.packets.filter((p) => !(p.conn === e.conn && p.to === e.from));
      }
      break;
    case "process":
      applyProcessEvent(d, e.t, e.node, e.event);
      break;
    case "command":
      break;
    case "loadRdb":
      note(d, e.t, e.node, "fault", `${e.node}: loading a dump.rdb of ${e.size} bytes`);
      break;
    case "reply":
      if (e.client === CONSOLE_CLIENT) {
        const c = d.consoles[e.node] ?? { lines: [], pending: 0 };
        d.consoles[e.node] = { ...c, pending: Math.max(0, c.pending - 1) };
        pushConsole(d, e.node, e.reply.type === "error" ? "error" : "reply", formatReply(e.reply));
      }
      break;
    case "fault":
      applyFault(d, e.t, e.fault, e.nodes);
      break;
    case "stall":
      note(
        d,
        e.t,
        e.node,
        "fault",
        `${e.node} is busy and reads nothing until ${formatClock(e.until)}`,
      );
      d.said.push(`${e.node} is asleep until ${formatClock(e.until)}.`);
      break;
  }
}

function addPacket(d: Draft, e: Extract<TraceEvent, { type: "send" }>): void {
  const last = d.packets[d.packets.length - 1];
  // Frames written in the same instant on the same path travel together (+FULLRESYNC and its RDB).
  if (
    last &&
    last.conn === e.conn &&
    last.from === e.from &&
    last.t === e.t &&
    last.deliverAt === e.deliverAt &&
    last.deliveredBytes === 0
  ) {
    const bytes = last.bytes + e.bytes;
    const merged: Packet = {
      ...last,
      bytes,
      sizeBytes: last.sizeBytes + e.bytes.length,
      label: packetLabel(bytes, e.label),
      kind: packetKind(bytes, e.label),
    };
    d.packets[d.packets.length - 1] = merged;
    const w = d.wire.findIndex((p) => p.id === last.id);
    if (w >= 0) d.wire[w] = merged;
    return;
  }
  if (summarised(d, e)) return;
  const packet: Packet = {
    id: d.nextId++,
    conn: e.conn,
    from: e.from,
    to: e.to,
    t: e.t,
    deliverAt: e.deliverAt,
    bytes: e.bytes,
    sizeBytes: e.bytes.length,
    label: packetLabel(e.bytes, e.label),
    kind: packetKind(e.bytes, e.label),
    deliveredBytes: 0,
  };
  d.packets.push(packet);
  d.wire.push(packet);
}

/** Packets kept per direction of a connection; later sends join the newest one. */
export const MAX_PACKETS_PER_DIRECTION = 32;
/** Bytes a summarised packet keeps to show (its size still counts every byte). */
const MAX_SUMMARY_BYTES = 16 * 1024;

/**
 * Bounds what one direction holds: a link cut for minutes under load would
 * otherwise keep one packet per write, and drawing and delivering them would
 * grow with it. Past MAX_PACKETS_PER_DIRECTION, a send joins the newest packet
 * of its direction, which then stands for all of them (their total size,
 * the first bytes, the latest arrival). Deliveries still count every byte.
 */
function summarised(d: Draft, e: Extract<TraceEvent, { type: "send" }>): boolean {
  let count = 0;
  let newest = -1;
  for (let i = d.packets.length - 1; i >= 0; i--) {
    const p = d.packets[i];
    if (p?.conn !== e.conn || p.from !== e.from) continue;
    if (newest < 0) newest = i;
    count++;
  }
  const last = d.packets[newest];
  if (!last || count < MAX_PACKETS_PER_DIRECTION) return false;
  const bytes =
    last.bytes.length >= MAX_SUMMARY_BYTES
      ? last.bytes
      : (last.bytes + e.bytes).slice(0, MAX_SUMMARY_BYTES);
  const merged: Packet = {
    ...last,
    bytes,
    sizeBytes: last.sizeBytes + e.bytes.length,
    deliverAt: Math.max(last.deliverAt, e.deliverAt),
    label: packetLabel(bytes, e.label),
    kind: packetKind(bytes, e.label),
  };
  d.packets[newest] = merged;
  const w = d.wire.findIndex((p) => p.id === last.id);
  if (w >= 0) d.wire[w] = merged;
  return true;
}

/** Credits `size` delivered bytes to the oldest packets of that direction, in order. */
function deliver(d: Draft, conn: string, from: string, size: number): void {
  let left = size;
  const kept: Packet[] = [];
  for (const p of d.packets) {
    if (left > 0 && p.conn === conn && p.from === from) {
      const take = Math.min(left, p.sizeBytes - p.deliveredBytes);
      left -= take;
      const deliveredBytes = p.deliveredBytes + take;
      if (deliveredBytes < p.sizeBytes) kept.push({ ...p, deliveredBytes });
      continue;
    }
    kept.push(p);
  }
  d.packets = kept;
}

function applyProcessEvent(
  d: Draft,
  t: VirtualTime,
  node: string,
  event: Extract<TraceEvent, { type: "process" }>["event"],
): void {
  const meta = d.nodes[node];
  switch (event.type) {
    case "log":
      d.log.push({ id: d.nextId++, t, node, kind: "log", level: event.level, text: event.text });
      break;
    case "role":
      if (meta) {
        d.nodes[node] = {
          ...meta,
          role: event.role,
          replState: event.role === "master" ? "none" : meta.replState,
        };
      }
      d.said.push(
        event.role === "master"
          ? `${node} is now a master.`
          : `${node} is now a replica of ${event.masterHost ?? "?"}.`,
      );
      break;
    case "replState":
      if (meta) d.nodes[node] = { ...meta, replState: event.state };
      if (event.state === "connected") d.said.push(`${node}: link with its master is up.`);
      break;
    case "sync": {
      const replica = nodeAt(d, event.replica);
      const text =
        event.decision === "continue"
          ? `${node} accepts a partial resync from ${replica}: +CONTINUE from offset ${event.offset}`
          : `${node} starts a full resync for ${replica}: +FULLRESYNC ${event.replId.slice(0, 8)}… ${event.offset}`;
      note(d, t, node, "sync", text);
      d.said.push(`${text}.`);
      break;
    }
    case "sentinel":
      // The log line is a `log` event of its own; the milestones of a failover are also spoken.
      if (SPOKEN_SENTINEL_EVENTS.has(event.event))
        d.said.push(`${node}: ${event.event} ${event.payload}.`);
      break;
    case "replicaState":
    case "replId":
      break;
  }
}

/** Sentinel events a screen reader hears: a master judged down, a failover's steps. */
const SPOKEN_SENTINEL_EVENTS: ReadonlySet<string> = new Set([
  "+sdown",
  "+odown",
  "-odown",
  "+elected-leader",
  "+selected-slave",
  "+switch-master",
  "+failover-end",
]);

function applyFault(d: Draft, t: VirtualTime, fault: string, nodes: readonly string[]): void {
  const [a, b] = nodes;
  let text: string;
  switch (fault) {
    case "cut":
      if (a !== undefined && b !== undefined) {
        d.cuts.add(pairKey(a, b));
        text = `Link ${a} ⇄ ${b} cut: bytes on it are held`;
      } else if (a !== undefined) {
        for (const other of d.order) if (other !== a) d.cuts.add(pairKey(a, other));
        text = `Every link of ${a} cut`;
      } else {
        return;
      }
      break;
    case "heal": {
      const healed = [...d.cuts].filter((k) => {
        const [x, y] = k.split("|");
        if (a !== undefined && b !== undefined) return k === pairKey(a, b);
        if (a !== undefined) return x === a || y === a;
        return true;
      });
      for (const k of healed) {
        d.cuts.delete(k);
        resumeHeld(d, t, k);
      }
      text =
        a !== undefined && b !== undefined
          ? `Link ${a} ⇄ ${b} healed`
          : a !== undefined
            ? `Every link of ${a} healed`
            : "Every link healed";
      break;
    }
    case "reset":
      text = `Connections ${a ?? "?"} ⇄ ${b ?? "?"} reset (RST)`;
      break;
    default:
      text = `${fault} ${nodes.join(" ")}`;
  }
  note(d, t, a ?? null, "fault", text);
  d.said.push(`${text}.`);
}

/**
 * Packets held on a cut path are released when it heals and arrive one
 * flight time later; draw them from the cut (the middle) on.
 */
function resumeHeld(d: Draft, t: VirtualTime, key: string): void {
  d.packets = d.packets.map((p) => {
    if (pairKey(p.from, p.to) !== key || p.deliverAt > t) return p;
    const flight = Math.max(1, p.deliverAt - p.t);
    return { ...p, t: t - flight, deliverAt: t + flight };
  });
}

/** The node name behind `ip:port` as a master names its replicas. */
function nodeAt(d: Draft, address: string): string {
  const ip = address.split(":")[0] ?? address;
  for (const meta of Object.values(d.nodes)) if (meta.ip === ip) return meta.name;
  return address;
}

function note(
  d: Draft,
  t: VirtualTime,
  node: string | null,
  kind: LogEntry["kind"],
  text: string,
): void {
  d.log.push({ id: d.nextId++, t, node, kind, level: null, text });
}

function pushConsole(d: Draft, node: string, kind: ConsoleLine["kind"], text: string): void {
  const c = d.consoles[node] ?? { lines: [], pending: 0 };
  const lines = [...c.lines, { id: d.nextId++, kind, text }];
  d.consoles[node] = {
    ...c,
    lines: lines.length > MAX_CONSOLE_LINES ? lines.slice(-MAX_CONSOLE_LINES) : lines,
  };
}

/** Adds lines the page itself writes to a console (the typed command, client-side errors). */
export function appendConsole(
  state: PlaygroundState,
  node: string,
  lines: readonly { kind: ConsoleLine["kind"]; text: string }[],
  pendingDelta = 0,
): PlaygroundState {
  let nextId = state.nextId;
  const c = state.consoles[node] ?? { lines: [], pending: 0 };
  const all = [...c.lines, ...lines.map((l) => ({ id: nextId++, ...l }))];
  return {
    ...state,
    nextId,
    consoles: {
      ...state.consoles,
      [node]: {
        lines: all.length > MAX_CONSOLE_LINES ? all.slice(-MAX_CONSOLE_LINES) : all,
        pending: Math.max(0, c.pending + pendingDelta),
      },
    },
  };
}

/** Empties a node's console (redis-cli's `clear`). */
export function clearConsole(state: PlaygroundState, node: string): PlaygroundState {
  const c = state.consoles[node];
  if (!c) return state;
  return { ...state, consoles: { ...state.consoles, [node]: { ...c, lines: [] } } };
}

/** How long past its delivery time a packet may linger before it is dropped from view. */
const LINGER_US = 50_000;

/**
 * Drops packets that will never arrive (their receiving end closed without a
 * trace event), except on cut paths, where they wait for the heal.
 */
export function pruneTraffic(state: PlaygroundState, now: VirtualTime): PlaygroundState {
  const cuts = new Set(state.cuts);
  const kept = state.packets.filter((p) => {
    if (cuts.has(pairKey(p.from, p.to))) return true;
    return now <= p.deliverAt + Math.max(LINGER_US, 2 * (p.deliverAt - p.t));
  });
  return kept.length === state.packets.length ? state : { ...state, packets: kept };
}

/**
 * Takes in fresh node views (and Sentinel views, when given); a crashed node
 * keeps its last view, drawn greyed. Each call adds a sample to the offset history.
 */
export function reduceViews(
  state: PlaygroundState,
  views: readonly NodeView[],
  sentinelViews?: readonly SentinelView[],
): PlaygroundState {
  const next: Record<string, NodeView> = { ...state.views };
  const nodes: Record<string, NodeMeta> = { ...state.nodes };
  for (const v of views) {
    next[v.name] = v;
    const meta = nodes[v.name];
    if (meta) nodes[v.name] = { ...meta, role: v.role, replState: v.replState };
  }
  const sentinels = sentinelViews
    ? Object.fromEntries(sentinelViews.map((v) => [v.name, v]))
    : state.sentinels;
  const updated = { ...state, views: next, nodes, sentinels };
  const offsetHistory = appendOffsetSample(state.offsetHistory, state.now, views, (name) =>
    masterOf(updated, name),
  );
  return { ...updated, offsetHistory };
}
