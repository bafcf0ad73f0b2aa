import { arc } from "d3";
import { useEffect, useMemo, useRef, useState } from "react";
import type { NodeView } from "../../engine/server/view";
import { useActions } from "../actionsContext";
import { formatBytes } from "../format/bytes";
import { masterOf, ringMaster } from "../store/selectors";
import type { PlaygroundState } from "../store/state";
import { pairKey } from "../store/state";
import { playgroundStore, usePlayground } from "../store/store";
import type { RingReplica } from "./backlogRing";
import type { RingChange } from "./backlogRing";
import { boundaryAngle, ringChange, resumeVerdict, ringGeometry } from "./backlogRing";

const SIZE = 240;
const C = SIZE / 2;
const R_IN = 70;
const R_OUT = 88;
const R_MARK = 100;

const BACKLOG_SIZES = [
  { bytes: 16384, label: "16 kB" },
  { bytes: 65536, label: "64 kB" },
  { bytes: 1048576, label: "1 MB" },
];

/** Where on the ring an angle points, at radius r. */
function polar(angle: number, r: number): { x: number; y: number } {
  return { x: C + r * Math.sin(angle), y: C - r * Math.cos(angle) };
}

/** A master's replicas as the ring judges them, from the page's state. */
function replicasOf(
  s: Pick<PlaygroundState, "order" | "nodes" | "views" | "cuts">,
  master: NodeView,
): RingReplica[] {
  return s.order
    .filter((n) => n !== master.name && masterOf(s, n) === master.name)
    .map((n) => {
      const view = s.views[n];
      const meta = s.nodes[n];
      const onMaster = master.replicas.find((r) => r.name.split(":")[0] === meta?.ip);
      const cut = s.cuts.includes(pairKey(n, master.name));
      const streaming =
        !!meta?.running && !cut && onMaster?.state === "online" && view?.replState === "connected";
      return {
        name: n,
        running: meta?.running ?? false,
        offset: streaming && onMaster ? onMaster.ackOffset : (view?.masterReplOffset ?? 0),
        replId: view?.replId ?? "",
        streaming,
        linkState: view?.replState ?? "none",
        cut,
      };
    });
}

/**
 * The selected master's replication backlog as a ring: its capacity, the
 * history it holds (first byte to master_repl_offset), the 7.0 block
 * boundaries and every replica's offset, and under it, in words, whether each
 * replica could resume with +CONTINUE and for how many more bytes.
 */
export function BacklogRing() {
  const actions = useActions();
  const master = usePlayground(ringMaster);
  const allMasters = usePlayground((s) =>
    s.order.filter((n) => s.views[n]?.role === "master").join(" "),
  );
  const view = usePlayground((s) => (master ? s.views[master] : undefined));
  const order = usePlayground((s) => s.order);
  const nodes = usePlayground((s) => s.nodes);
  const views = usePlayground((s) => s.views);
  const cuts = usePlayground((s) => s.cuts);

  const replicas = useMemo(() => {
    if (!view) return [];
    return replicasOf({ order, nodes, views, cuts }, view);
  }, [view, order, nodes, views, cuts]);

  if (!master || !view) {
    // Before the simulator's code has arrived no process exists yet: that is not a lost master.
    return <p className="empty">{order.length === 0 ? "Starting…" : "No master is running."}</p>;
  }
  const backlog = view.backlog;
  const masterChoices = allMasters.split(" ").filter(Boolean);

  return (
    <div className="ring" data-testid="backlog-ring">
      <div className="ring-toolbar">
        {masterChoices.length > 1 ? (
          <label className="inline-field">
            Master
            <select
              className="button select"
              value={master}
              onChange={(e) => playgroundStore.setState({ ringMaster: e.target.value })}
            >
              {masterChoices.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </label>
        ) : (
          <span className="ring-owner">
            Backlog of <strong>{master}</strong>
          </span>
        )}
        <label
          className="inline-field"
          title="repl-backlog-size (CONFIG SET on the master); 1 MB is the default, 16 kB the minimum"
        >
          Size
          <select
            className="button select"
            value={backlog?.sizeBytes ?? 1048576}
            onChange={(e) =>
              actions.runCommand(master, ["CONFIG", "SET", "repl-backlog-size", e.target.value])
            }
          >
            {BACKLOG_SIZES.map((b) => (
              <option key={b.bytes} value={b.bytes}>
                {b.label}
              </option>
            ))}
            {backlog && !BACKLOG_SIZES.some((b) => b.bytes === backlog.sizeBytes) && (
              <option value={backlog.sizeBytes}>{formatBytes(backlog.sizeBytes)}</option>
            )}
          </select>
        </label>
        <button
          type="button"
          className="button"
          onClick={() => actions.writeBurst(master, 8, 1000)}
          title="Eight SET commands with 1000-byte values, sent by another client"
        >
          Write 8 kB
        </button>
      </div>
      {backlog ? (
        <RingDrawing view={view} backlog={backlog} replicas={replicas} />
      ) : (
        <NoBacklog name={master} />
      )}
      {backlog && (
        <dl className="ring-facts">
          <div>
            <dt>first byte</dt>
            <dd className="num">{backlog.firstByteOffset}</dd>
          </div>
          <div>
            <dt>master_repl_offset</dt>
            <dd className="num" data-testid="ring-offset">
              {view.masterReplOffset}
            </dd>
          </div>
          <div>
            <dt>histlen</dt>
            <dd className="num">{backlog.histlen}</dd>
          </div>
          <div>
            <dt>{backlog.model === "7.0" ? "blocks" : "model"}</dt>
            <dd className="num">{backlog.model === "7.0" ? backlog.blocks.length : "6.2 ring"}</dd>
          </div>
        </dl>
      )}
      <ul className="verdicts" aria-label="Can each replica resume?" data-testid="ring-verdicts">
        {replicas.length === 0 && <li className="verdict tone-off">{master} has no replicas.</li>}
        {replicas.map((r) => {
          const v = resumeVerdict(view, r);
          return (
            <li key={r.name} className={`verdict tone-${v.tone}`}>
              <span className="status-dot" aria-hidden="true" />
              {v.text}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function NoBacklog({ name }: { name: string }) {
  return (
    <p className="empty">
      {name} has no backlog yet: Redis creates it when the first replica connects.
    </p>
  );
}

interface RingDrawingProps {
  readonly view: NodeView;
  readonly backlog: NonNullable<NodeView["backlog"]>;
  readonly replicas: readonly RingReplica[];
}

/** How many recent changes stay drawn (each fades out by itself). */
const CHANGES_KEPT = 6;

/**
 * The last few changes of a backlog (bytes written, bytes trimmed), each with
 * a key of its own so its animation plays once: new bytes glow where they
 * entered, trimmed bytes fall off the ring outwards (fade out only, with
 * prefers-reduced-motion).
 */
function useRingChanges(
  name: string,
  backlog: NonNullable<NodeView["backlog"]>,
  masterReplOffset: number,
): readonly (RingChange & { readonly key: string })[] {
  const previous = useRef<{ name: string; first: number; head: number; size: number } | null>(null);
  const [changes, setChanges] = useState<readonly (RingChange & { readonly key: string })[]>([]);
  const { firstByteOffset, sizeBytes, histlen } = backlog;
  useEffect(() => {
    const before = previous.current;
    const now = { name, first: firstByteOffset, head: masterReplOffset, size: sizeBytes };
    previous.current = now;
    if (!before || before.name !== name || before.size !== sizeBytes) {
      setChanges([]);
      return;
    }
    const fresh = ringChange(before, now, histlen).map((c) => ({
      ...c,
      key: `${c.kind}-${c.from}-${c.to}`,
    }));
    if (fresh.length > 0) setChanges((old) => [...old, ...fresh].slice(-CHANGES_KEPT));
  }, [name, firstByteOffset, masterReplOffset, sizeBytes, histlen]);
  return changes;
}

function RingDrawing({ view, backlog, replicas }: RingDrawingProps) {
  const g = ringGeometry(backlog, view.masterReplOffset);
  const changes = useRingChanges(view.name, backlog, view.masterReplOffset);
  const band = arc<{ startAngle: number; endAngle: number }>().innerRadius(R_IN).outerRadius(R_OUT);
  const track = band({ startAngle: 0, endAngle: 2 * Math.PI }) ?? "";
  // A history too short to see at this scale still gets a sliver, and the words say how long it is.
  const minSpan = 0.02;
  const history = g.history
    ? band({
        startAngle: g.history.startAngle,
        endAngle: Math.max(g.history.endAngle, g.history.startAngle + minSpan),
      })
    : null;
  const head = polar(g.headAngle, R_OUT + 2);
  const headIn = polar(g.headAngle, R_IN - 6);
  const fill = Math.min(1, backlog.histlen / backlog.sizeBytes);
  const byAngle = new Map<string, number>();

  const label = `Backlog of ${view.name}: ${formatBytes(backlog.histlen)} of history in ${formatBytes(
    backlog.sizeBytes,
  )}, offsets ${backlog.firstByteOffset} to ${view.masterReplOffset}.`;
  return (
    <svg className="ring-svg" viewBox={`0 0 ${SIZE} ${SIZE}`} role="img" aria-label={label}>
      <g transform={`translate(${C},${C})`}>
        <path className="ring-track" d={track} />
        {history && <path className="ring-history" d={history} />}
        {changes.map((c) => {
          const d = band({
            startAngle: boundaryAngle(c.from, backlog.sizeBytes),
            endAngle:
              boundaryAngle(c.from, backlog.sizeBytes) +
              Math.max(
                0.015,
                (Math.min(c.to - c.from, backlog.sizeBytes) / backlog.sizeBytes) * 2 * Math.PI,
              ),
          });
          return (
            <path
              key={c.key}
              className={c.kind === "written" ? "ring-enter" : "ring-fall"}
              d={d ?? ""}
              data-testid={c.kind === "written" ? "ring-enter" : "ring-fall"}
            />
          );
        })}
      </g>
      {g.blockAngles.map((a, i) => {
        const p1 = polar(a, R_IN - 1);
        const p2 = polar(a, R_OUT + 1);
        return <line key={i} className="ring-block" x1={p1.x} y1={p1.y} x2={p2.x} y2={p2.y} />;
      })}
      <line className="ring-head" x1={headIn.x} y1={headIn.y} x2={head.x} y2={head.y} />
      {replicas.map((r) => {
        const a = boundaryAngle(r.offset, backlog.sizeBytes);
        const key = a.toFixed(2);
        const stack = byAngle.get(key) ?? 0;
        byAngle.set(key, stack + 1);
        const dot = polar(a, R_MARK + stack * 12);
        return (
          <g
            key={r.name}
            className={`ring-marker${r.streaming ? "" : " is-behind"}${r.running ? "" : " is-down"}`}
            data-testid={`ring-marker-${r.name}`}
            data-offset={r.offset}
          >
            <line
              x1={polar(a, R_OUT).x}
              y1={polar(a, R_OUT).y}
              x2={dot.x}
              y2={dot.y}
              className="ring-marker-stem"
            />
            <circle cx={dot.x} cy={dot.y} r={4} />
            <text
              x={dot.x + (Math.sin(a) >= 0 ? 7 : -7)}
              y={dot.y + 4}
              textAnchor={Math.sin(a) >= 0 ? "start" : "end"}
            >
              {r.name}
            </text>
          </g>
        );
      })}
      <text className="ring-center-big" x={C} y={C - 4}>
        {formatBytes(backlog.histlen)}
      </text>
      <text className="ring-center-small" x={C} y={C + 14}>
        of {formatBytes(backlog.sizeBytes)} ·{" "}
        {fill < 0.001 && fill > 0 ? "<0.1" : (fill * 100).toFixed(fill < 0.1 ? 1 : 0)}%
      </text>
    </svg>
  );
}
