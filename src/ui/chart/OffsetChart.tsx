import { useMemo } from "react";
import { formatBytes } from "../format/bytes";
import { formatClock } from "../format/time";
import { usePlayground } from "../store/store";
import type { ChartBox, ChartGeometry } from "./chartGeometry";
import { chartGeometry, spreadLabels } from "./chartGeometry";
import type { OffsetSeries } from "./offsetHistory";
import { offsetSeries } from "./offsetHistory";

const WIDTH = 400;
const OFFSETS_BOX: ChartBox = {
  width: WIDTH,
  height: 170,
  margin: { top: 10, right: 46, bottom: 22, left: 52 },
};
const LAG_BOX: ChartBox = {
  width: WIDTH,
  height: 110,
  margin: { top: 10, right: 46, bottom: 22, left: 52 },
};
/** Lines differ by dash pattern as well as colour, and each is named at its end. */
const DASHES = ["", "6 3", "2 3", "9 3 2 3", "4 4", "1 2"];

/**
 * Each node's replication offset over virtual time, and below it each
 * replica's lag behind its master in bytes: a replica cut off flattens while
 * its master climbs, and a partial resync closes the gap. d3 computes scales,
 * ticks and paths; React draws them. The table under it says the same in text.
 */
export function OffsetChart() {
  const history = usePlayground((s) => s.offsetHistory);
  const order = usePlayground((s) => s.order);
  const series = useMemo(() => offsetSeries(history, order), [history, order]);
  const replicas = useMemo(
    () => series.filter((s) => s.points.some((p) => p.lagBytes !== null)),
    [series],
  );
  const offsets = useMemo(() => chartGeometry(series, (p) => p.offset, OFFSETS_BOX), [series]);
  const lags = useMemo(
    () => chartGeometry(replicas, (p) => (p.offset === null ? null : p.lagBytes), LAG_BOX),
    [replicas],
  );
  const styleOf = (node: string) => order.indexOf(node) % DASHES.length;

  if (series.length === 0) return <p className="empty">No offsets yet.</p>;
  const t = history[history.length - 1]?.t ?? 0;
  return (
    <div className="offset-chart" data-testid="offset-chart">
      <p className="chart-summary" data-testid="chart-summary">
        {summary(series, t)}
      </p>
      <Plot
        title="Replication offset (master_repl_offset)"
        geometry={offsets}
        box={OFFSETS_BOX}
        styleOf={styleOf}
      />
      {replicas.length > 0 && (
        <Plot
          title="Lag behind the master (bytes)"
          geometry={lags}
          box={LAG_BOX}
          styleOf={styleOf}
        />
      )}
      <details className="chart-table">
        <summary>The same as a table</summary>
        <OffsetTable series={series} />
      </details>
    </div>
  );
}

function Plot({
  title,
  geometry,
  box,
  styleOf,
}: {
  title: string;
  geometry: ChartGeometry;
  box: ChartBox;
  styleOf: (node: string) => number;
}) {
  const { margin, width, height } = box;
  const labels = spreadLabels(
    geometry.lines.flatMap((l) => (l.end ? [{ node: l.node, y: l.end.y }] : [])),
    11,
  );
  return (
    <figure className="chart-figure">
      <figcaption>{title}</figcaption>
      <svg
        className="chart-svg"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`${title}; the table below lists the values`}
      >
        <g className="chart-grid">
          {geometry.yTicks.map((tick) => (
            <g key={tick.label} transform={`translate(0,${tick.at})`}>
              <line x1={margin.left} x2={width - margin.right} />
              <text x={margin.left - 6} dy="0.32em" textAnchor="end">
                {tick.label}
              </text>
            </g>
          ))}
        </g>
        <g className="chart-axis" transform={`translate(0,${height - margin.bottom})`}>
          <line x1={margin.left} x2={width - margin.right} />
          {geometry.xTicks.map((tick) => (
            <g key={tick.label} transform={`translate(${tick.at},0)`}>
              <line y2={4} />
              <text y={15} textAnchor="middle">
                {tick.label}
              </text>
            </g>
          ))}
        </g>
        {geometry.lines.map((l) => {
          const style = styleOf(l.node);
          const y = labels.get(l.node) ?? l.end?.y ?? 0;
          return (
            <g key={l.node} className={`chart-line series-${style}`} data-node={l.node}>
              <path d={l.d} strokeDasharray={DASHES[style]} />
              {l.end && (
                <>
                  <circle cx={l.end.x} cy={l.end.y} r={2.5} />
                  <text x={l.end.x + 6} y={y} dy="0.32em">
                    {l.node}
                  </text>
                </>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

function latest(s: OffsetSeries) {
  return [...s.points].reverse().find((p) => p.offset !== null) ?? null;
}

/** One sentence per node, for everyone: where it is and how far behind. */
function summary(series: readonly OffsetSeries[], t: number): string {
  const parts = series.map((s) => {
    const p = latest(s);
    const last = s.points[s.points.length - 1];
    if (!p || last?.offset === null) return `${s.node} is not running`;
    return p.lagBytes === null
      ? `${s.node} is at offset ${p.offset}`
      : `${s.node} at ${p.offset} is ${formatBytes(p.lagBytes)} behind its master`;
  });
  return `At ${formatClock(t)}: ${parts.join("; ")}.`;
}

function OffsetTable({ series }: { series: readonly OffsetSeries[] }) {
  return (
    <table className="data-table" data-testid="chart-table">
      <thead>
        <tr>
          <th scope="col">node</th>
          <th scope="col">offset</th>
          <th scope="col">lag</th>
          <th scope="col">most lag seen</th>
        </tr>
      </thead>
      <tbody>
        {series.map((s) => {
          const p = latest(s);
          const most = Math.max(0, ...s.points.map((q) => q.lagBytes ?? 0));
          const lagKnown = s.points.some((q) => q.lagBytes !== null);
          return (
            <tr key={s.node} data-node={s.node}>
              <th scope="row">{s.node}</th>
              <td className="num">{p?.offset ?? "–"}</td>
              <td className="num">{p?.lagBytes == null ? "–" : formatBytes(p.lagBytes)}</td>
              <td className="num">{lagKnown ? formatBytes(most) : "–"}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
