import { memo, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { useActions } from "../actionsContext";
import { playgroundStore, usePlayground } from "../store/store";
import type { Point } from "../store/state";
import { pairKey } from "../store/state";
import { masterLinkCut } from "../store/selectors";
import { linkStatus } from "./linkStatus";
import { PacketLayer } from "./PacketLayer";
import type { InspectedPacket } from "./PacketLayer";
import { PacketInspector } from "./PacketInspector";
import { resolveHost, topologyLayout, trimmedSegment } from "./topologyLayout";
import { useNodeDrag } from "./useNodeDrag";

export const NODE_RADIUS = 32;
/** Room a caption (offset, link state, keys) takes beside a node. */
const CAPTION_WIDTH = 124;
/** Below this width the drawing is compact: captions go under the nodes when they must. */
const COMPACT_WIDTH = 560;

/**
 * The drawing's coordinate space follows the frame's width one to one (so text
 * keeps its size on a phone); the layout adapts to it.
 */
function layoutOptions(width: number) {
  const compact = width < COMPACT_WIDTH;
  return {
    width,
    height: compact ? 390 : 300,
    margin: compact
      ? { top: 92, right: 44, bottom: 92, left: 44 }
      : { top: 48, right: 170, bottom: 44, left: 110 },
    maxGapX: 300,
    maxGapY: 200,
  };
}

/**
 * The replication topology: nodes as circles, links as edges from each
 * replica to its master, packets moving on them. React renders every element;
 * d3 (in topologyLayout) computes where they go; PacketLayer moves packets
 * each frame without React.
 */
export function Topology() {
  const svgRef = useRef<SVGSVGElement>(null);
  const frameRef = useRef<HTMLDivElement>(null);
  const [inspected, setInspected] = useState<InspectedPacket | null>(null);
  const width = useFrameWidth(frameRef);
  const options = useMemo(() => layoutOptions(width), [width]);
  const order = usePlayground((s) => s.order);
  const pinned = usePlayground((s) => s.pinned);
  const masters = usePlayground(
    useShallow((s) => {
      const all = s.order.map((n) => ({ name: n, ip: s.nodes[n]?.ip ?? "" }));
      return s.order.map((n) => {
        const v = s.views[n];
        return v && v.role === "slave" ? resolveHost(v.masterHost, all) : null;
      });
    }),
  );
  const layout = useMemo(
    () =>
      topologyLayout(
        order.map((name, i) => ({ name, master: masters[i] ?? null })),
        { ...options, pinned },
      ),
    [order, masters, pinned, options],
  );

  const onInspect = useCallback((packet: InspectedPacket | null) => setInspected(packet), []);

  return (
    <div className="topology-frame" ref={frameRef}>
      <svg
        ref={svgRef}
        className="topology"
        viewBox={`0 0 ${options.width} ${options.height}`}
        role="group"
        aria-label="Replication topology: drag a node to move it, press a link's button to cut or heal it"
      >
        <g className="edges">
          {layout.edges.map((e) => {
            const a = layout.positions[e.replica];
            const b = layout.positions[e.master];
            return a && b ? (
              <Edge
                key={`${e.replica}>${e.master}`}
                replica={e.replica}
                master={e.master}
                a={a}
                b={b}
              />
            ) : null;
          })}
        </g>
        <g className="nodes">
          {order.map((name) => {
            const p = layout.positions[name];
            if (!p) return null;
            return (
              <NodeGlyph
                key={name}
                name={name}
                position={p}
                captionSide={captionSide(name, p, options.width, layout.edges)}
                compact={options.width < COMPACT_WIDTH}
                svgRef={svgRef}
              />
            );
          })}
        </g>
        <PacketLayer
          positions={layout.positions}
          radius={NODE_RADIUS}
          compact={options.width < COMPACT_WIDTH}
          frameRef={frameRef}
          onInspect={onInspect}
        />
      </svg>
      {inspected && <PacketInspector inspected={inspected} onClose={() => setInspected(null)} />}
    </div>
  );
}

/**
 * Where a node's caption goes: beside it when there is room (a wide drawing),
 * else above a node with replicas below it and under a node without.
 */
function captionSide(
  name: string,
  p: Point,
  width: number,
  edges: readonly { replica: string; master: string }[],
): CaptionSide {
  if (width >= COMPACT_WIDTH && p.x + NODE_RADIUS + 12 + CAPTION_WIDTH <= width) return "right";
  return edges.some((e) => e.master === name) ? "above" : "below";
}

type CaptionSide = "right" | "below" | "above";

/** The frame's width in CSS pixels, followed as it resizes. */
function useFrameWidth(ref: React.RefObject<HTMLDivElement | null>): number {
  const [width, setWidth] = useState(800);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width ?? 0;
      if (w > 0) setWidth(Math.round(Math.min(1000, Math.max(300, w))));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

interface EdgeProps {
  readonly replica: string;
  readonly master: string;
  readonly a: Point;
  readonly b: Point;
}

const Edge = memo(function Edge({ replica, master, a, b }: EdgeProps) {
  const actions = useActions();
  const cut = usePlayground((s) => s.cuts.includes(pairKey(replica, master)));
  const tone = usePlayground((s) => linkStatus(s.nodes[replica], s.views[replica], cut).tone);
  const { from, to } = trimmedSegment(a, b, NODE_RADIUS);
  const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  const label = cut
    ? `Heal the link between ${replica} and ${master}`
    : `Cut the link between ${replica} and ${master}`;
  const toggle = () =>
    actions.fault(
      cut ? { kind: "heal", a: replica, b: master } : { kind: "cut", a: replica, b: master },
    );
  return (
    <g
      className={`edge tone-${tone}${cut ? " is-cut" : ""}`}
      data-testid={`edge-${replica}-${master}`}
    >
      <line className="edge-line" x1={from.x} y1={from.y} x2={to.x} y2={to.y} />
      <g
        className="edge-button"
        transform={`translate(${mid.x},${mid.y})`}
        role="button"
        tabIndex={0}
        aria-label={label}
        aria-pressed={cut}
        onClick={toggle}
        onKeyDown={(e) => {
          if (e.key === "Enter" || e.key === " ") {
            e.preventDefault();
            toggle();
          }
        }}
      >
        <title>{label}</title>
        <circle r={11} />
        {cut ? <HealIcon /> : <ScissorsIcon />}
      </g>
    </g>
  );
});

function ScissorsIcon() {
  return (
    <g className="icon" transform="translate(-6,-6) scale(0.5)" aria-hidden="true">
      <circle cx="6" cy="6" r="3" />
      <circle cx="6" cy="18" r="3" />
      <path d="M20 4 8.12 15.88M14.47 14.48 20 20M8.12 8.12 12 12" />
    </g>
  );
}

function HealIcon() {
  return (
    <g className="icon" transform="translate(-6,-6) scale(0.5)" aria-hidden="true">
      <path d="M9 17H7A5 5 0 0 1 7 7h2M15 7h2a5 5 0 1 1 0 10h-2M8 12h8" />
    </g>
  );
}

interface NodeGlyphProps {
  readonly name: string;
  readonly position: Point;
  readonly captionSide: CaptionSide;
  /** A narrow drawing: long key lists become a count. */
  readonly compact: boolean;
  readonly svgRef: React.RefObject<SVGSVGElement | null>;
}

const MAX_KEYS_SHOWN = 3;

const NodeGlyph = memo(function NodeGlyph({
  name,
  position,
  captionSide,
  compact,
  svgRef,
}: NodeGlyphProps) {
  const meta = usePlayground((s) => s.nodes[name]);
  const view = usePlayground((s) => s.views[name]);
  const cut = usePlayground((s) => masterLinkCut(s, name));
  const status = linkStatus(meta, view, cut);
  const running = meta?.running ?? false;
  const role = view?.role ?? meta?.role ?? "master";
  const offset = view?.masterReplOffset ?? 0;
  const keys = view?.keys ?? [];
  const dbsize = view?.dbsize ?? 0;
  const names =
    keys.length === 0
      ? "no keys"
      : keys
          .slice(0, MAX_KEYS_SHOWN)
          .map((k) => k.key)
          .join(" · ") + (dbsize > MAX_KEYS_SHOWN ? ` +${dbsize - MAX_KEYS_SHOWN}` : "");
  const keyText = compact && names.length > 18 ? `${dbsize} keys` : names;

  const drag = useNodeDrag(
    svgRef,
    position,
    (to) => playgroundStore.setState((s) => ({ pinned: { ...s.pinned, [name]: to } })),
    () => {
      const panel = document.getElementById(`panel-${name}`);
      panel?.scrollIntoView({ block: "nearest", behavior: "smooth" });
      panel?.focus({ preventScroll: true });
    },
  );

  const roleText = role === "master" ? "master" : "replica";
  const label = `${name}: ${running ? roleText : "crashed"}, offset ${offset}, ${status.text}, ${view?.dbsize ?? 0} keys. Arrow keys move it; Enter opens its panel.`;
  return (
    <g
      className={`node role-${role}${running ? "" : " is-down"}`}
      transform={`translate(${position.x},${position.y})`}
      data-testid={`topology-node-${name}`}
      role="button"
      tabIndex={0}
      aria-label={label}
      {...drag}
    >
      <circle className="node-halo" r={NODE_RADIUS + 5} />
      <circle className="node-disc" r={NODE_RADIUS} />
      <text className="node-name" y={-2}>
        {name}
      </text>
      <text className="node-role" y={13}>
        {running ? roleText : "down"}
      </text>
      <g
        className={`node-caption caption-${captionSide}`}
        transform={
          captionSide === "right"
            ? `translate(${NODE_RADIUS + 12},-13)`
            : captionSide === "below"
              ? `translate(0,${NODE_RADIUS + 17})`
              : `translate(0,${-NODE_RADIUS - (captionSide === "above" ? 24 : 0)})`
        }
      >
        <text className="node-offset" data-testid={`topology-offset-${name}`}>
          offset <tspan className="num">{offset}</tspan>
        </text>
        <text className={`status-text tone-${status.tone}`} y={17}>
          <tspan className="status-glyph" aria-hidden="true">
            ●{" "}
          </tspan>
          {status.text}
        </text>
        <text
          className="node-keys"
          y={captionSide === "above" ? -17 : 33}
          data-testid={`topology-keys-${name}`}
        >
          {keyText}
        </text>
      </g>
    </g>
  );
});
