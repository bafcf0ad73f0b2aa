import { memo } from "react";
import type { MouseEvent } from "react";
import { useActions } from "../actionsContext";
import { formatBytes } from "../format/bytes";
import { usePlayground } from "../store/store";
import type { Point } from "../store/state";
import { pairKey } from "../store/state";
import { linkStatus } from "./linkStatus";
import { trimmedSegment } from "./topologyLayout";
import { usePath } from "./usePath";
import type { PathSettings } from "../../sim/network";

/** Where a link's menu was opened, in the frame's pixels. */
export interface LinkMenuRequest {
  readonly a: string;
  readonly b: string;
  readonly x: number;
  readonly y: number;
}

interface EdgeProps {
  /** The replica (or the Sentinel, for a monitor edge). */
  readonly from: string;
  /** Its master (or the master the Sentinel watches). */
  readonly to: string;
  readonly a: Point;
  readonly b: Point;
  readonly radius: number;
  /** `replication`: a replica's link to its master; `monitor`: a Sentinel watching a master. */
  readonly kind: "replication" | "monitor";
  readonly onMenu: (request: LinkMenuRequest, opener: Element) => void;
}

/** How far along the edge, from its middle, the settings button sits. */
const MENU_OFFSET = 26;

/**
 * A link between two processes: a line, a button that cuts or heals the path,
 * and a button that opens the link's menu (reset, latency, bandwidth). A
 * monitor edge is drawn dashed: a Sentinel's connections to a master.
 */
export const Edge = memo(function Edge({ from, to, a, b, radius, kind, onMenu }: EdgeProps) {
  const actions = useActions();
  const cut = usePlayground((s) => s.cuts.includes(pairKey(from, to)));
  const tone = usePlayground((s) =>
    kind === "monitor"
      ? monitorTone(s.sentinels[from]?.masters.map((m) => m.flags) ?? [], cut)
      : linkStatus(s.nodes[from], s.views[from], cut).tone,
  );
  const { path, custom } = usePath(from, to);
  const { from: p1, to: p2 } = trimmedSegment(a, b, radius);
  // A monitor edge's button sits near its Sentinel, away from the replicas' captions.
  const at = kind === "monitor" ? 0.25 : 0.5;
  const mid = { x: a.x + (b.x - a.x) * at, y: a.y + (b.y - a.y) * at };
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  const along = { x: ((b.x - a.x) / len) * MENU_OFFSET, y: ((b.y - a.y) / len) * MENU_OFFSET };
  const menuAt = { x: mid.x - along.x, y: mid.y - along.y };
  const what = kind === "monitor" ? `${from} watching ${to}` : `${from} and ${to}`;
  const label = cut ? `Heal the link between ${what}` : `Cut the link between ${what}`;
  const toggle = () =>
    actions.fault(cut ? { kind: "heal", a: from, b: to } : { kind: "cut", a: from, b: to });
  const openMenu = (e: MouseEvent<SVGGElement> | React.KeyboardEvent<SVGGElement>) => {
    const target = e.currentTarget;
    const frame = target.closest(".topology-frame")?.getBoundingClientRect();
    const box = target.getBoundingClientRect();
    onMenu(
      {
        a: from,
        b: to,
        x: box.left + box.width / 2 - (frame?.left ?? 0),
        y: box.top + box.height / 2 - (frame?.top ?? 0),
      },
      target,
    );
  };
  const speed = custom ? settingsText(path) : null;
  return (
    <g
      className={`edge edge-${kind} tone-${tone}${cut ? " is-cut" : ""}`}
      data-testid={`edge-${from}-${to}`}
    >
      <line className="edge-line" x1={p1.x} y1={p1.y} x2={p2.x} y2={p2.y} />
      {speed && (
        <text
          className="edge-settings"
          // On the inner side of the edge, towards its master: the outer side meets the frame's edge.
          x={menuAt.x + (a.x <= b.x ? 14 : -14)}
          y={menuAt.y + 4}
          textAnchor={a.x <= b.x ? "start" : "end"}
        >
          {speed}
        </text>
      )}
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
      {kind === "replication" && (
        <g
          className="edge-button edge-menu-button"
          transform={`translate(${menuAt.x},${menuAt.y})`}
          role="button"
          tabIndex={0}
          aria-label={`Link ${from} ⇄ ${to}: latency, bandwidth, reset`}
          aria-haspopup="dialog"
          onClick={openMenu}
          onKeyDown={(e) => {
            if (e.key === "Enter" || e.key === " ") {
              e.preventDefault();
              openMenu(e);
            }
          }}
        >
          <title>{`Link ${from} ⇄ ${to}: latency, bandwidth, reset`}</title>
          <circle r={9} />
          <g className="icon" aria-hidden="true">
            <circle cx={-4} r={1.3} />
            <circle r={1.3} />
            <circle cx={4} r={1.3} />
          </g>
        </g>
      )}
    </g>
  );
});

/** The tone of a Sentinel's watch: bad once it judges the master down, or when cut off from it. */
function monitorTone(flags: readonly string[], cut: boolean): "ok" | "bad" | "wait" {
  if (cut) return "bad";
  if (flags.some((f) => /s_down|o_down/.test(f))) return "bad";
  return flags.length > 0 ? "ok" : "wait";
}

/** `40 ms ± 5 ms · 100 kB/s`: a path's latency, its jitter and its bandwidth when limited. */
export function settingsText(settings: PathSettings): string {
  const ms = (us: number) => `${Number((us / 1000).toFixed(3))} ms`;
  const parts = [
    settings.jitterUs > 0
      ? `${ms(settings.latencyUs)} ± ${ms(settings.jitterUs)}`
      : ms(settings.latencyUs),
  ];
  if (settings.bandwidthBytesPerSec > 0)
    parts.push(`${formatBytes(settings.bandwidthBytesPerSec)}/s`);
  return parts.join(" · ");
}

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
