import { memo, useState } from "react";
import { formatBytes } from "../format/bytes";
import { formatLogTime } from "../format/time";
import type { Packet } from "../store/state";
import { usePlayground } from "../store/store";
import type { PlaygroundState } from "../store/state";
import { useThrottledPlayground } from "../lists/useThrottledPlayground";

const ROW = 26;
const TOP = 30;
const WIDTH = 360;
const LANE_A = 70;
const LANE_B = WIDTH - 70;
const SHOWN = 60;
/** The diagram follows new messages at most four times a second. */
const LIST_EVERY_MS = 250;

const selectWire = (s: PlaygroundState) => s.wire;

/**
 * A space-time diagram of the messages between two processes, Lamport style:
 * one vertical line per process, time going down, each message an arrow from
 * its sender to its receiver. Rows follow the order of sends rather than a
 * time scale, so a 1 ms handshake and a 10 s pause both stay readable; each
 * row says its virtual time.
 */
export function SequenceDiagram() {
  const order = usePlayground((s) => s.order);
  const wire = useThrottledPlayground(selectWire, LIST_EVERY_MS);
  const [a, setA] = useState<string>("");
  const [b, setB] = useState<string>("");
  const left = a || order[0] || "";
  const right = b || order.find((n) => n !== left) || "";
  const between = wire
    .filter((p) => (p.from === left && p.to === right) || (p.from === right && p.to === left))
    .slice(-SHOWN);
  const height = TOP + between.length * ROW + 12;

  const picker = (label: string, value: string, set: (v: string) => void) => (
    <label className="inline-field">
      {label}
      <select className="button select" value={value} onChange={(e) => set(e.target.value)}>
        {order.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <div className="sequence">
      <div className="sequence-pickers">
        {picker("Between", left, setA)}
        {picker("and", right, setB)}
      </div>
      <div
        className="sequence-scroll"
        tabIndex={0}
        aria-label={`Messages between ${left} and ${right}`}
      >
        {between.length === 0 ? (
          <p className="empty">
            No bytes between {left} and {right} yet.
          </p>
        ) : (
          <svg
            className="sequence-svg"
            viewBox={`0 0 ${WIDTH} ${height}`}
            role="img"
            aria-label={`${between.length} messages between ${left} and ${right}; the Wire tab lists them as text`}
          >
            <defs>
              <marker
                id="seq-arrow"
                viewBox="0 0 8 8"
                refX="7"
                refY="4"
                markerWidth="7"
                markerHeight="7"
                orient="auto"
              >
                <path d="M0 0 8 4 0 8z" className="seq-arrowhead" />
              </marker>
            </defs>
            <text className="seq-lane-name" x={LANE_A} y={16}>
              {left}
            </text>
            <text className="seq-lane-name" x={LANE_B} y={16}>
              {right}
            </text>
            <line className="seq-lane" x1={LANE_A} y1={22} x2={LANE_A} y2={height} />
            <line className="seq-lane" x1={LANE_B} y1={22} x2={LANE_B} y2={height} />
            {between.map((p, i) => (
              <Message key={p.id} packet={p} row={i} leftToRight={p.from === left} />
            ))}
          </svg>
        )}
      </div>
    </div>
  );
}

const Message = memo(function Message({
  packet: p,
  row,
  leftToRight,
}: {
  packet: Packet;
  row: number;
  leftToRight: boolean;
}) {
  const y = TOP + row * ROW;
  const [x1, x2] = leftToRight ? [LANE_A, LANE_B] : [LANE_B, LANE_A];
  return (
    <g className={`seq-message kind-${p.kind}`}>
      <title>{`${formatLogTime(p.t)} s → ${formatLogTime(p.deliverAt)} s · ${formatBytes(p.sizeBytes)}`}</title>
      <text className="seq-time" x={4} y={y + 4}>
        {formatLogTime(p.t).slice(0, -3)}
      </text>
      <line x1={x1} y1={y} x2={x2} y2={y + ROW * 0.6} markerEnd="url(#seq-arrow)" />
      <text className="seq-label" x={(LANE_A + LANE_B) / 2} y={y + 3}>
        {p.label.length > 34 ? `${p.label.slice(0, 33)}…` : p.label}
      </text>
    </g>
  );
});
