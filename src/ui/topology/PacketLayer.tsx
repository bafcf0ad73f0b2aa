import { memo, useEffect, useRef } from "react";
import { useShallow } from "zustand/react/shallow";
import type { RefObject } from "react";
import { playgroundStore, usePlayground } from "../store/store";
import type { Packet, PlaygroundState, Point } from "../store/state";
import { pairKey } from "../store/state";
import { formatBytes } from "../format/bytes";
import { flowKey } from "../packets/flows";
import { drawnStreams } from "./StreamLayer";
import { pointAlong } from "./topologyLayout";

/** A packet the reader pointed at or tapped, and where (in the frame's pixels). */
export interface InspectedPacket {
  readonly id: number;
  readonly x: number;
  readonly y: number;
  /** Tapped or clicked: stays until closed, instead of following the pointer. */
  readonly pinned: boolean;
}

interface PacketLayerProps {
  readonly positions: Readonly<Record<string, Point>>;
  readonly radius: number;
  /** A narrow drawing: labels sit above their packet instead of beside the link. */
  readonly compact: boolean;
  readonly frameRef: RefObject<HTMLDivElement | null>;
  readonly onInspect: (packet: InspectedPacket | null) => void;
}

/** Sideways offset of a packet from the link's centre line: each direction has its lane. */
const LANE = 7;
const BAR_WIDTH = 44;
/** Where packets stop on a cut link: just before the cut (drawn in the middle), on their sender's side. */
const HELD_AT = 0.42;
/** Fraction of the link between two packets queued at a cut. */
const HELD_SPACING = 0.05;

/**
 * Packets in flight, but for directions that stream (StreamLayer draws those).
 * React renders one `<g>` per packet when packets come and go; their positions change every frame, so those are written straight to
 * the SVG by one requestAnimationFrame loop fed by a transient store
 * subscription, never through React state. A packet is drawn at
 * (now − sent) / (delivered − sent) of the way along its link; on a cut path it
 * waits at the cut in the middle.
 */
export const PacketLayer = memo(function PacketLayer({
  positions,
  radius,
  compact,
  frameRef,
  onInspect,
}: PacketLayerProps) {
  // Packets of a streaming direction are drawn as its band (StreamLayer), not one by one.
  const packets = usePlayground(useShallow(drawnPackets));
  // A Sentinel's PINGs and INFOs are background chatter: drawn as dots, labelled on hover only.
  const sentinels = usePlayground(
    useShallow((s) => s.order.filter((n) => s.nodes[n]?.kind === "sentinel")),
  );
  const elements = useRef(new Map<number, SVGGElement>());
  const positionsRef = useRef(positions);
  const compactRef = useRef(compact);

  useEffect(() => {
    positionsRef.current = positions;
    compactRef.current = compact;
  }, [positions, compact]);

  useEffect(() => {
    const reduced = window.matchMedia("(prefers-reduced-motion: reduce)");
    let latest = playgroundStore.getState();
    let drawnPositions: Readonly<Record<string, Point>> | null = null;
    let dirty = true;
    const unsubscribe = playgroundStore.subscribe((s) => {
      if (s.now !== latest.now || s.packets !== latest.packets || s.cuts !== latest.cuts)
        dirty = true;
      latest = s;
    });
    let frame = 0;
    const draw = () => {
      if (dirty || drawnPositions !== positionsRef.current) {
        dirty = false;
        drawnPositions = positionsRef.current;
        placeAll(
          latest,
          drawnPositions,
          elements.current,
          radius,
          reduced.matches,
          compactRef.current,
        );
      }
      frame = requestAnimationFrame(draw);
    };
    frame = requestAnimationFrame(draw);
    return () => {
      cancelAnimationFrame(frame);
      unsubscribe();
    };
  }, [radius]);

  const inspectAt = (id: number, clientX: number, clientY: number, pinned: boolean) => {
    const box = frameRef.current?.getBoundingClientRect();
    if (!box) return;
    onInspect({ id, x: clientX - box.left, y: clientY - box.top, pinned });
  };

  return (
    <g className="packets" aria-hidden="true">
      {packets.map((p) => (
        <g
          key={p.id}
          ref={(el) => {
            if (el) {
              elements.current.set(p.id, el);
              place(
                el,
                p,
                playgroundStore.getState(),
                positionsRef.current,
                radius,
                prefersReducedMotion(),
                compactRef.current,
              );
            } else {
              elements.current.delete(p.id);
            }
          }}
          className={`packet kind-${p.kind}${
            sentinels.includes(p.from) || sentinels.includes(p.to) ? " is-quiet" : ""
          }`}
          data-testid="packet"
          data-label={p.label}
          data-to={p.to}
          onPointerEnter={(e) => {
            if (e.pointerType === "mouse") inspectAt(p.id, e.clientX, e.clientY, false);
          }}
          onPointerLeave={(e) => {
            if (e.pointerType === "mouse") onInspect(null);
          }}
          onClick={(e) => inspectAt(p.id, e.clientX, e.clientY, true)}
        >
          <circle className="packet-hit" r={12} />
          <circle className="packet-dot" r={p.kind === "rdb" ? 6.5 : 5} />
          <text className="packet-label" y={-10} textAnchor="middle">
            {p.label}
          </text>
          {p.kind === "rdb" && (
            <g className="packet-progress" transform={`translate(${-BAR_WIDTH / 2},9)`}>
              <rect className="track" width={BAR_WIDTH} height={4} rx={2} />
              <rect className="bar" width={0} height={4} rx={2} />
              <text className="packet-bytes" x={BAR_WIDTH / 2} y={15} textAnchor="middle" />
            </g>
          )}
        </g>
      ))}
    </g>
  );
});

/** The packets drawn one by one: all but those of a direction drawn as a stream. */
function drawnPackets(s: PlaygroundState): readonly Packet[] {
  const streams = drawnStreams(s);
  if (streams.length === 0) return s.packets;
  const skip = new Set(streams);
  return s.packets.filter((p) => !skip.has(flowKey(p.from, p.to)));
}

/**
 * Puts a packet's label beside its link on the side facing away from the rest
 * of the drawing, so labels of packets converging on one node do not collide.
 */
function placeLabel(
  el: SVGGElement,
  a: Point,
  b: Point,
  positions: Readonly<Record<string, Point>>,
  compact: boolean,
  held: boolean,
): void {
  const text = el.querySelector<SVGTextElement>(".packet-label");
  if (!text) return;
  if (compact) {
    text.setAttribute("x", "0");
    text.setAttribute("y", "-10");
    text.setAttribute("text-anchor", "middle");
    return;
  }
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  let nx = -(b.y - a.y) / len;
  let ny = (b.x - a.x) / len;
  const all = Object.values(positions);
  const centerX = all.reduce((sum, p) => sum + p.x, 0) / Math.max(1, all.length);
  const away = (a.x + b.x) / 2 - centerX;
  // Held packets of the two directions wait side by side at the cut: each label on its own lane's side.
  if (!held && (Math.abs(away) > 1 ? away * nx : nx) < 0) {
    nx = -nx;
    ny = -ny;
  }
  const anchor = nx > 0.35 ? "start" : nx < -0.35 ? "end" : "middle";
  const gap = anchor === "middle" ? 12 : 10;
  text.setAttribute("x", (nx * gap).toFixed(1));
  text.setAttribute("y", (ny * gap + (anchor === "middle" ? (ny < 0 ? 0 : 8) : 4)).toFixed(1));
  text.setAttribute("text-anchor", anchor);
}

function placeAll(
  state: PlaygroundState,
  positions: Readonly<Record<string, Point>>,
  elements: Map<number, SVGGElement>,
  radius: number,
  reduced: boolean,
  compact: boolean,
): void {
  // Packets held at a cut queue up behind the first one, towards their sender.
  const queued = new Map<string, number>();
  for (const p of state.packets) {
    const el = elements.get(p.id);
    if (!el) continue;
    const key = `${p.from}>${p.to}`;
    const held = isHeld(p, state);
    const index = held ? (queued.get(key) ?? 0) : 0;
    if (held) queued.set(key, index + 1);
    place(el, p, state, positions, radius, reduced, compact, index);
  }
  thinLabels(state.packets, elements);
}

/** Width of a character of a packet's label (11.5 px monospace), a little generous. */
const LABEL_CHAR_PX = 7.2;

/**
 * Hides the labels that would be drawn over an older packet's label: a
 * master streaming to five replicas sends the same command down every link at
 * once, and near the master their labels were one smudge. The packet keeps
 * its dot, and hovering it still shows its bytes.
 */
function thinLabels(packets: readonly Packet[], elements: Map<number, SVGGElement>): void {
  const kept: { x0: number; x1: number; y0: number; y1: number }[] = [];
  for (const p of packets) {
    const el = elements.get(p.id);
    const text = el?.querySelector<SVGTextElement>(".packet-label");
    if (!el || !text || el.classList.contains("is-quiet")) continue;
    if (el.getAttribute("visibility") === "hidden" || text.getAttribute("visibility") === "hidden")
      continue;
    const at = /translate\(([-\d.]+),([-\d.]+)\)/.exec(el.getAttribute("transform") ?? "");
    if (!at) continue;
    const x = Number(at[1]) + Number(text.getAttribute("x") ?? 0);
    const y = Number(at[2]) + Number(text.getAttribute("y") ?? 0);
    const width = p.label.length * LABEL_CHAR_PX;
    const anchor = text.getAttribute("text-anchor");
    const x0 = anchor === "end" ? x - width : anchor === "middle" ? x - width / 2 : x;
    const box = { x0, x1: x0 + width, y0: y - 12, y1: y + 3 };
    const hit = kept.some((k) => k.x0 < box.x1 && box.x0 < k.x1 && k.y0 < box.y1 && box.y0 < k.y1);
    if (hit) text.setAttribute("visibility", "hidden");
    else kept.push(box);
  }
}

function prefersReducedMotion(): boolean {
  return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

function progressOf(p: Packet, now: number): number {
  return Math.min(1, Math.max(0, (now - p.t) / Math.max(1, p.deliverAt - p.t)));
}

function isHeld(p: Packet, state: PlaygroundState): boolean {
  return progressOf(p, state.now) >= HELD_AT && state.cuts.includes(pairKey(p.from, p.to));
}

function place(
  el: SVGGElement,
  p: Packet,
  state: PlaygroundState,
  positions: Readonly<Record<string, Point>>,
  radius: number,
  reduced: boolean,
  compact: boolean,
  queueIndex = 0,
): void {
  const a = positions[p.from];
  const b = positions[p.to];
  if (!a || !b) {
    el.setAttribute("visibility", "hidden");
    return;
  }
  el.removeAttribute("visibility");
  const progress = progressOf(p, state.now);
  const cut = state.cuts.includes(pairKey(p.from, p.to));
  const held = cut && progress >= HELD_AT;
  // Reduced motion: no travel; the packet fades in and out in the middle of its link.
  const along = reduced
    ? 0.5
    : cut
      ? Math.min(progress, HELD_AT - HELD_SPACING * queueIndex)
      : progress;
  const at = pointAlong(a, b, radius + 6, along, LANE);
  el.setAttribute("transform", `translate(${at.x.toFixed(1)},${at.y.toFixed(1)})`);
  placeLabel(el, a, b, positions, compact, held);
  // Only the first packet of a queue at a cut keeps its label.
  el.querySelector(".packet-label")?.setAttribute(
    "visibility",
    held && queueIndex > 0 ? "hidden" : "visible",
  );
  el.setAttribute(
    "opacity",
    reduced && !held ? String(0.35 + 0.65 * Math.sin(Math.PI * progress)) : "1",
  );
  el.classList.toggle("is-held", held);
  // A full sync's bar fills by bytes delivered (a bandwidth-limited path delivers in pieces).
  const bar = el.querySelector<SVGRectElement>(".packet-progress .bar");
  if (bar) {
    const delivered = p.deliveredBytes / Math.max(1, p.sizeBytes);
    bar.setAttribute("width", (BAR_WIDTH * delivered).toFixed(1));
    const text = el.querySelector(".packet-bytes");
    const shown = `${formatBytes(p.deliveredBytes)} / ${formatBytes(p.sizeBytes)}`;
    if (text && text.textContent !== shown) text.textContent = shown;
  }
}
