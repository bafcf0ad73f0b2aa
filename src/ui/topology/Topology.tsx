import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { useActions } from "../actionsContext";
import { playgroundStore, usePlayground } from "../store/store";
import type { Point } from "../store/state";
import { Edge } from "./Edge";
import type { LinkMenuRequest } from "./Edge";
import { LinkMenu } from "./LinkMenu";
import { NODE_RADIUS, NodeGlyph } from "./NodeGlyph";
import { PacketLayer } from "./PacketLayer";
import type { InspectedPacket } from "./PacketLayer";
import { PacketInspector } from "./PacketInspector";
import { StreamLayer } from "./StreamLayer";
import { fitTopology } from "./fitTopology";
import { resolveHost } from "./topologyLayout";
import type { DropHandlers } from "./useNodeDrag";

/** How close to another node's centre a dragged node must be let go to count as a drop on it. */
const DROP_RADIUS = NODE_RADIUS + 10;

/**
 * The replication topology: servers as circles and Sentinels as hexagons,
 * links as edges from each replica to its master (dashed from each Sentinel to
 * the master it watches), packets moving on them, or a band with its rate
 * where a direction streams (StreamLayer). React renders every
 * element; d3 (in topologyLayout) computes where they go; PacketLayer moves
 * packets each frame without React. Dragging a server onto another sends it
 * REPLICAOF that one.
 */
export function Topology() {
  const svgRef = useRef<SVGSVGElement>(null);
  const frameRef = useRef<HTMLDivElement>(null);
  const actions = useActions();
  const [inspected, setInspected] = useState<InspectedPacket | null>(null);
  const [menu, setMenu] = useState<LinkMenuRequest | null>(null);
  const menuOpener = useRef<Element | null>(null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const width = useFrameWidth(frameRef);
  const order = usePlayground((s) => s.order);
  const pinned = usePlayground((s) => s.pinned);
  // One word per node, so the layout is recomputed only when a role or a master changes.
  const shape = usePlayground(
    useShallow((s) => {
      const all = s.order.map((n) => ({ name: n, ip: s.nodes[n]?.ip ?? "" }));
      return s.order.map((n) => {
        if (s.nodes[n]?.kind === "sentinel") return "sentinel";
        const v = s.views[n];
        return (v && v.role === "slave" ? resolveHost(v.masterHost, all) : null) ?? "";
      });
    }),
  );
  const monitors = usePlayground(
    useShallow((s) =>
      s.order.flatMap((n) => {
        const view = s.sentinels[n];
        if (!view || !s.nodes[n]?.running) return [];
        return view.masters.flatMap((m) => {
          const master = s.order.find((o) => s.nodes[o]?.ip === m.currentIp);
          return master ? [`${n}>${master}`] : [];
        });
      }),
    ),
  );
  const levels = useMemo(() => depthOf(order, shape), [order, shape]);
  const fitted = useMemo(
    () =>
      fitTopology(
        order.map((name, i) => {
          const word = shape[i] ?? "";
          return word === "sentinel"
            ? { name, master: null, sentinel: true }
            : { name, master: word === "" ? null : word };
        }),
        width,
        levels,
        pinned,
      ),
    [order, shape, pinned, width, levels],
  );
  const { layout } = fitted;
  const positionsRef = useRef(layout.positions);
  useEffect(() => {
    positionsRef.current = layout.positions;
  }, [layout.positions]);

  const onInspect = useCallback((packet: InspectedPacket | null) => setInspected(packet), []);
  const onMenu = useCallback((request: LinkMenuRequest, opener: Element) => {
    menuOpener.current = opener;
    setMenu(request);
  }, []);
  const closeMenu = useCallback(() => {
    setMenu(null);
    if (menuOpener.current instanceof SVGElement) menuOpener.current.focus();
  }, []);

  /** The server a node dragged to `at` would be dropped on, if any. */
  const targetAt = useCallback((self: string, at: Point): string | null => {
    const s = playgroundStore.getState();
    for (const [name, p] of Object.entries(positionsRef.current)) {
      if (name === self || s.nodes[name]?.kind === "sentinel" || !s.nodes[name]?.running) continue;
      if (Math.hypot(p.x - at.x, p.y - at.y) <= DROP_RADIUS) return name;
    }
    return null;
  }, []);
  const dropping = useCallback(
    (name: string): DropHandlers => ({
      over: (at) => setDropTarget(at ? targetAt(name, at) : null),
      drop: (at) => {
        const target = targetAt(name, at);
        if (target === null || !playgroundStore.getState().nodes[name]?.running) return false;
        actions.runCommand(name, ["REPLICAOF", target, "6379"]);
        return true;
      },
      pinned: () => playgroundStore.getState().pinned[name] ?? null,
    }),
    [actions, targetAt],
  );

  return (
    <div className="topology-frame" ref={frameRef}>
      <svg
        ref={svgRef}
        className="topology"
        viewBox={`0 ${fitted.top} ${fitted.width} ${fitted.bottom - fitted.top}`}
        role="group"
        aria-label="Replication topology: drag a node to move it, or onto another node to make it that node's replica; press a link's buttons to cut, heal or tune it"
      >
        <g className="edges">
          {layout.edges.map((e) => {
            const a = layout.positions[e.replica];
            const b = layout.positions[e.master];
            return a && b ? (
              <Edge
                key={`${e.replica}>${e.master}`}
                from={e.replica}
                to={e.master}
                a={a}
                b={b}
                radius={NODE_RADIUS}
                kind="replication"
                onMenu={onMenu}
              />
            ) : null;
          })}
          {monitors.map((m) => {
            const [sentinel = "", master = ""] = m.split(">");
            const a = layout.positions[sentinel];
            const b = layout.positions[master];
            return a && b ? (
              <Edge
                key={m}
                from={sentinel}
                to={master}
                a={a}
                b={b}
                radius={NODE_RADIUS}
                kind="monitor"
                onMenu={onMenu}
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
                captionSide={fitted.sides.get(name) ?? "right"}
                compact={fitted.compact}
                svgRef={svgRef}
                dropTarget={dropTarget === name}
                dropping={dropping}
              />
            );
          })}
        </g>
        <StreamLayer positions={layout.positions} radius={NODE_RADIUS} />
        <PacketLayer
          positions={layout.positions}
          radius={NODE_RADIUS}
          compact={fitted.compact}
          frameRef={frameRef}
          onInspect={onInspect}
        />
      </svg>
      {dropTarget && (
        <p className="drop-hint" role="status">
          Let go to make it a replica of {dropTarget} (REPLICAOF {dropTarget} 6379)
        </p>
      )}
      {inspected && <PacketInspector inspected={inspected} onClose={() => setInspected(null)} />}
      {menu && <LinkMenu key={`${menu.a}|${menu.b}`} request={menu} onClose={closeMenu} />}
    </div>
  );
}

/** Levels of the drawing: the longest chain of replicas, plus a row for Sentinels. */
function depthOf(order: readonly string[], shape: readonly string[]): number {
  const masterOf = new Map(order.map((n, i) => [n, shape[i] ?? ""]));
  let deepest = 1;
  for (const n of order) {
    if (masterOf.get(n) === "sentinel") continue;
    let depth = 1;
    const seen = new Set([n]);
    let at = masterOf.get(n) ?? "";
    while (at !== "" && at !== "sentinel" && !seen.has(at)) {
      seen.add(at);
      depth++;
      at = masterOf.get(at) ?? "";
    }
    deepest = Math.max(deepest, depth);
  }
  return deepest + (shape.includes("sentinel") ? 1 : 0);
}

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
