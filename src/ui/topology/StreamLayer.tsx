import { memo, useEffect, useRef } from "react";
import { useShallow } from "zustand/react/shallow";
import { flowRate, rateText, streamingKeys } from "../packets/flows";
import { playgroundStore, usePlayground } from "../store/store";
import type { PlaygroundState, Point } from "../store/state";
import { pairKey } from "../store/state";
import { pointAlong } from "./topologyLayout";

interface StreamLayerProps {
  readonly positions: Readonly<Record<string, Point>>;
  readonly radius: number;
}

/** Sideways offset of a direction's lane, as PacketLayer draws its packets. */
const LANE = 7;
/** How far along the link (from the sender) a stream's label sits: clear of the link's buttons. */
const LABEL_AT = 0.78;
/** A shorter link (a client beside its server) has no room for a label. */
const MIN_LABELLED_PX = 200;
/** How far beside its lane a label starts. */
const LABEL_OFFSET = 8;
/** How often the rates are rewritten, in wall milliseconds (a label read at 60 Hz would only flicker). */
const RATE_EVERY_MS = 250;

/**
 * Link directions that stream (packets/flows.ts): too many sends to follow
 * one by one, so instead of a packet each the lane shows a moving band of
 * dots and the direction's rate over the last second of virtual time, both
 * from the trace. React renders a band when a stream starts or ends; the
 * labels' numbers are written straight to the SVG a few times a second by a
 * transient store subscription. A cut direction keeps drawing its held
 * packets instead (PacketLayer).
 */
export const StreamLayer = memo(function StreamLayer({ positions, radius }: StreamLayerProps) {
  const keys = usePlayground(useShallow(drawnStreams));
  const labels = useRef(new Map<string, SVGTextElement>());

  useEffect(() => {
    let frame = 0;
    let last = -Infinity;
    const tick = (wall: number) => {
      if (wall - last >= RATE_EVERY_MS) {
        last = wall;
        const s = playgroundStore.getState();
        for (const [key, el] of labels.current) writeRate(el, s, key);
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, []);

  const all = Object.values(positions);
  const centerX = all.reduce((sum, p) => sum + p.x, 0) / Math.max(1, all.length);
  return (
    <g className="streams" aria-hidden="true">
      {keys.map((key) => {
        const [from = "", to = ""] = key.split(">");
        const a = positions[from];
        const b = positions[to];
        if (!a || !b) return null;
        const start = pointAlong(a, b, radius + 6, 0, LANE);
        const end = pointAlong(a, b, radius + 6, 1, LANE);
        const len = Math.hypot(b.x - a.x, b.y - a.y);
        // Near the receiver, where the links of a fan are furthest apart, on the lane's side.
        const at = pointAlong(a, b, radius + 6, LABEL_AT, LANE);
        // Beside the lane, on the side facing away from the middle of the drawing.
        const side = (a.x + b.x) / 2 >= centerX - 1 ? 1 : -1;
        const kind = playgroundStore.getState().flows[key]?.kind ?? "write";
        return (
          <g
            key={key}
            className={`stream kind-${kind}`}
            data-testid="stream"
            data-from={from}
            data-to={to}
          >
            <line className="stream-band" x1={start.x} y1={start.y} x2={end.x} y2={end.y} />
            {len >= MIN_LABELLED_PX && (
              <text
                className="stream-rate"
                x={at.x + side * LABEL_OFFSET}
                y={at.y - 4}
                textAnchor={side > 0 ? "start" : "end"}
                ref={(el) => {
                  if (el) {
                    labels.current.set(key, el);
                    writeRate(el, playgroundStore.getState(), key);
                  } else {
                    labels.current.delete(key);
                  }
                }}
              />
            )}
          </g>
        );
      })}
    </g>
  );
});

/** Streaming directions drawn as a band: not the removed, not a cut path (its packets wait at the cut). */
export function drawnStreams(s: PlaygroundState): string[] {
  const keys = streamingKeys(s.flows, s.now);
  if (keys.length === 0) return keys;
  return keys.filter((key) => {
    const [from = "", to = ""] = key.split(">");
    return !s.cuts.includes(pairKey(from, to));
  });
}

/** Writes the rate on two lines (commands, then bytes), so the labels of a fan of links fit side by side. */
function writeRate(el: SVGTextElement, s: PlaygroundState, key: string): void {
  const flow = s.flows[key];
  if (!flow) return;
  const text = rateText(flowRate(flow, s.now));
  if (el.getAttribute("aria-label") === text) return;
  el.setAttribute("aria-label", text);
  const [what = "", bytes = ""] = text.split(" · ");
  const x = el.getAttribute("x") ?? "0";
  el.replaceChildren(line(what, x, "0"), line(bytes, x, "1.15em"));
}

function line(text: string, x: string, dy: string): SVGTSpanElement {
  const span = document.createElementNS("http://www.w3.org/2000/svg", "tspan");
  span.setAttribute("x", x);
  span.setAttribute("dy", dy);
  span.textContent = text;
  return span;
}
