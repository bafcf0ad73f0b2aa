import { memo } from "react";
import { playgroundStore, usePlayground } from "../store/store";
import type { Point } from "../store/state";
import { masterLinkCut } from "../store/selectors";
import { linkStatus } from "./linkStatus";
import { sentinelStatus } from "./sentinelStatus";
import { ClientGlyph } from "./ClientGlyph";
import type { DropHandlers } from "./useNodeDrag";
import { useNodeDrag } from "./useNodeDrag";

export const NODE_RADIUS = 32;

/** Where a node's caption goes: beside it, above it or below it. */
export type CaptionSide = "right" | "below" | "above";

interface NodeGlyphProps {
  readonly name: string;
  readonly position: Point;
  readonly captionSide: CaptionSide;
  /** A narrow drawing: long key lists become a count. */
  readonly compact: boolean;
  readonly svgRef: React.RefObject<SVGSVGElement | null>;
  /** Another node is being dragged over this one: letting go makes it a replica of this one. */
  readonly dropTarget: boolean;
  readonly dropping: (name: string) => DropHandlers;
}

const MAX_KEYS_SHOWN = 3;

/**
 * One process in the topology: a circle for a redis-server (its role, offset,
 * link state in words and keys beside it), a hexagon for a Sentinel (what it
 * watches and how it judges it). Drag it to move it; drag a server onto
 * another to make it that one's replica (REPLICAOF); Enter opens its panel.
 */
export const NodeGlyph = memo(function NodeGlyph({
  name,
  position,
  captionSide,
  compact,
  svgRef,
  dropTarget,
  dropping,
}: NodeGlyphProps) {
  const meta = usePlayground((s) => s.nodes[name]);
  const view = usePlayground((s) => s.views[name]);
  const sentinel = usePlayground((s) => s.sentinels[name]);
  const cut = usePlayground((s) => masterLinkCut(s, name));
  const isSentinel = meta?.kind === "sentinel";
  const running = meta?.running ?? false;

  const drag = useNodeDrag(
    svgRef,
    position,
    (to) =>
      playgroundStore.setState((s) => {
        const pinned = { ...s.pinned };
        if (to) pinned[name] = to;
        else delete pinned[name];
        return { pinned };
      }),
    () => {
      const panel = document.getElementById(`panel-${name}`);
      panel?.scrollIntoView({ block: "nearest", behavior: "smooth" });
      panel?.focus({ preventScroll: true });
    },
    isSentinel || meta?.kind === "client" ? undefined : dropping(name),
  );

  const transform = captionTransform(captionSide);
  const classes = `node${dropTarget ? " is-drop-target" : ""}${running ? "" : " is-down"}`;

  if (meta?.kind === "client") {
    return <ClientGlyph {...{ name, position, captionSide, running, classes, transform, drag }} />;
  }

  if (isSentinel) {
    const status = sentinelStatus(meta, sentinel, (ip) => ipName(ip));
    const label = `${name}: ${running ? "Sentinel" : "crashed Sentinel"}, ${status.watching}, ${status.text}. Arrow keys move it; Enter opens its panel.`;
    return (
      <g
        className={`${classes} role-sentinel`}
        transform={`translate(${position.x},${position.y})`}
        data-testid={`topology-node-${name}`}
        {...drag}
      >
        <g className="node-hit" role="button" tabIndex={0} aria-label={label}>
          <path className="node-halo" d={hexagon(NODE_RADIUS - 1)} />
          <path className="node-disc" d={hexagon(NODE_RADIUS - 6)} />
        </g>
        <g aria-hidden="true">
          <text className="node-name" y={-2}>
            {name}
          </text>
          <text className="node-role" y={12}>
            {running ? "sentinel" : "down"}
          </text>
          <g className={`node-caption caption-${captionSide}`} transform={transform}>
            <text className="node-offset" data-testid={`topology-watch-${name}`}>
              {compact ? status.watching.replace(/ \(.*\)$/, "") : status.watching}
            </text>
            <text className={`status-text tone-${status.tone}`} y={17}>
              <tspan className="status-glyph" aria-hidden="true">
                ◆{" "}
              </tspan>
              {compact ? status.text.replace(/ · .*$/, "") : status.text}
            </text>
          </g>
        </g>
      </g>
    );
  }

  const status = linkStatus(meta, view, cut);
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
  // Centred over or under the node, a long list would run into its neighbours' captions.
  const keyText =
    (compact || captionSide !== "right") && names.length > 18 ? `${dbsize} keys` : names;
  const roleText = role === "master" ? "master" : "replica";
  const label = `${name}: ${running ? roleText : "crashed"}, offset ${offset}, ${status.text}, ${dbsize} keys. Arrow keys move it; drag it onto another node to make it that node's replica; Enter opens its panel.`;
  return (
    <g
      className={`${classes} role-${role}`}
      transform={`translate(${position.x},${position.y})`}
      data-testid={`topology-node-${name}`}
      {...drag}
    >
      <g className="node-hit" role="button" tabIndex={0} aria-label={label}>
        <circle className="node-halo" r={NODE_RADIUS + 5} />
        <circle className="node-disc" r={NODE_RADIUS} />
      </g>
      <g aria-hidden="true">
        <text className="node-name" y={-2}>
          {name}
        </text>
        <text className="node-role" y={13}>
          {running ? roleText : "down"}
        </text>
        <g className={`node-caption caption-${captionSide}`} transform={transform}>
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
    </g>
  );
});

function captionTransform(side: CaptionSide): string {
  if (side === "right") return `translate(${NODE_RADIUS + 12},-13)`;
  if (side === "below") return `translate(0,${NODE_RADIUS + 17})`;
  return `translate(0,${-NODE_RADIUS - 24})`;
}

/** The node behind an IP address, from the store (a Sentinel knows masters by address). */
function ipName(ip: string): string {
  const s = playgroundStore.getState();
  return s.order.find((n) => s.nodes[n]?.ip === ip) ?? ip;
}

/** A flat-topped hexagon of circumradius r, centred on the origin. */
function hexagon(r: number): string {
  const points = Array.from({ length: 6 }, (_, i) => {
    const a = (Math.PI / 3) * i;
    return `${(r * Math.cos(a)).toFixed(1)},${(r * Math.sin(a)).toFixed(1)}`;
  });
  return `M${points.join("L")}Z`;
}
