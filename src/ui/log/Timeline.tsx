import { memo, useState } from "react";
import type { KeyboardEvent } from "react";
import { formatBytes, visibleBytes } from "../format/bytes";
import { formatLogTime } from "../format/time";
import type { LogEntry, Packet } from "../store/state";
import { OffsetChart } from "../chart/OffsetChart";
import { ActionsScript } from "./ActionsScript";
import { SequenceDiagram } from "./SequenceDiagram";
import { limitRows, useRenderLimit } from "../lists/useRenderLimit";
import { useStickToBottom } from "../lists/useStickToBottom";
import { useThrottledPlayground } from "../lists/useThrottledPlayground";
import type { PlaygroundState } from "../store/state";
import { describeEarlier } from "../store/logHistory";
import { usePlayground } from "../store/store";
import { KeptPanel } from "../tabs/KeptPanel";

const TABS = [
  { id: "log", label: "Log" },
  { id: "wire", label: "Wire" },
  { id: "sequence", label: "Sequence" },
  { id: "chart", label: "Offsets" },
  { id: "actions", label: "Your actions" },
] as const;
type TimelineTab = (typeof TABS)[number]["id"];

/** Newest rows rendered at first in the log and the wire; scrolling to the oldest adds as many again. */
const LOG_ROWS_STEP = 60;
/**
 * The wire's rows are all new each time its tab is shown under load (a
 * thousand packets a second), and each is built, styled and laid out: two
 * boxes' worth is enough to start with.
 */
const WIRE_ROWS_STEP = 40;

/** The wire list takes new packets at most four times a second (under load, one arrives each frame). */
const LIST_EVERY_MS = 250;
const selectWire = (s: PlaygroundState) => s.wire;

const LEVEL_MARK = { notice: "*", warning: "#", verbose: "-" } as const;
const KIND_MARK = { fault: "⚡", process: "●", sync: "⇄", log: "" } as const;

/**
 * What happened, in order: the Redis log lines of every node word for word,
 * with the page's own notes on faults and sync decisions; and the wire, every
 * recent packet with its raw bytes a click away.
 */
export function Timeline() {
  const [tab, setTab] = useState<TimelineTab>("log");
  const [filter, setFilter] = useState<string>("");
  const order = usePlayground((s) => s.order);
  const onKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    const delta = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (delta === 0) return;
    e.preventDefault();
    const i = TABS.findIndex((t) => t.id === tab);
    const next = TABS[(i + delta + TABS.length) % TABS.length]?.id ?? "log";
    setTab(next);
    document.getElementById(`timeline-tab-${next}`)?.focus();
  };
  return (
    <div className="timeline">
      <div className="timeline-head">
        <div className="tabs" role="tablist" aria-label="Timeline views">
          {TABS.map((t) => (
            <button
              key={t.id}
              id={`timeline-tab-${t.id}`}
              type="button"
              role="tab"
              className="tab"
              aria-selected={tab === t.id}
              aria-controls={`timeline-panel-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              onClick={() => setTab(t.id)}
              onKeyDown={onKey}
            >
              {t.label}
            </button>
          ))}
        </div>
        <label
          className="inline-field"
          hidden={tab === "actions" || tab === "sequence" || tab === "chart"}
        >
          <span className="sr-only">Show events of</span>
          <select
            className="button select"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          >
            <option value="">All</option>
            {order.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div
        id="timeline-panel-log"
        role="tabpanel"
        aria-labelledby="timeline-tab-log"
        hidden={tab !== "log"}
      >
        <KeptPanel shown={tab === "log"}>
          <EventLog filter={filter} />
        </KeptPanel>
      </div>
      <div
        id="timeline-panel-wire"
        role="tabpanel"
        aria-labelledby="timeline-tab-wire"
        hidden={tab !== "wire"}
      >
        <KeptPanel shown={tab === "wire"}>
          <Wire filter={filter} />
        </KeptPanel>
      </div>
      <div
        id="timeline-panel-sequence"
        role="tabpanel"
        aria-labelledby="timeline-tab-sequence"
        hidden={tab !== "sequence"}
      >
        <KeptPanel shown={tab === "sequence"}>
          <SequenceDiagram />
        </KeptPanel>
      </div>
      <div
        id="timeline-panel-chart"
        role="tabpanel"
        aria-labelledby="timeline-tab-chart"
        hidden={tab !== "chart"}
      >
        <KeptPanel shown={tab === "chart"}>
          <OffsetChart />
        </KeptPanel>
      </div>
      <div
        id="timeline-panel-actions"
        role="tabpanel"
        aria-labelledby="timeline-tab-actions"
        hidden={tab !== "actions"}
      >
        <KeptPanel shown={tab === "actions"}>
          <ActionsScript />
        </KeptPanel>
      </div>
    </div>
  );
}

function EventLog({ filter }: { filter: string }) {
  const log = usePlayground((s) => s.log);
  const shown = filter ? log.filter((e) => e.node === filter) : log;
  const { ref, onScroll } = useStickToBottom<HTMLOListElement>(shown);
  const rendered = useRenderLimit(LOG_ROWS_STEP, true);
  return (
    <ol
      className="event-log"
      ref={ref}
      onScroll={(e) => {
        onScroll();
        rendered.onScroll(e);
      }}
      tabIndex={0}
      aria-label="Event log"
      data-testid="event-log"
    >
      <EarlierLine />
      {shown.length === 0 && <li className="empty">Nothing yet.</li>}
      {limitRows(shown, rendered.limit, true).map((e) => (
        <LogLine key={e.id} entry={e} />
      ))}
    </ol>
  );
}

/** What the log let go of a long run, in counts (store/logHistory.ts); nothing until it lets go. */
const EarlierLine = memo(function EarlierLine() {
  const earlier = usePlayground((s) => s.logHistory.earlier);
  const dropped = usePlayground((s) => s.logHistory.droppedEntries);
  const text = describeEarlier(earlier, dropped);
  return text === null ? null : (
    <li className="log-line log-earlier" data-testid="log-earlier">
      {text}
    </li>
  );
});

const LogLine = memo(function LogLine({ entry: e }: { entry: LogEntry }) {
  const mark = e.kind === "log" && e.level ? LEVEL_MARK[e.level] : KIND_MARK[e.kind];
  return (
    <li className={`log-line kind-${e.kind}${e.level ? ` level-${e.level}` : ""}`}>
      <span className="log-time num">{formatLogTime(e.t)}</span>
      <span className="log-node">{e.node ?? "·"}</span>
      <span className="log-mark" aria-hidden="true">
        {mark}
      </span>
      <span className="log-text">{e.text}</span>
    </li>
  );
});

function Wire({ filter }: { filter: string }) {
  const wire = useThrottledPlayground(selectWire, LIST_EVERY_MS);
  const shown = filter ? wire.filter((p) => p.from === filter || p.to === filter) : wire;
  const { ref, onScroll } = useStickToBottom<HTMLOListElement>(shown);
  const rendered = useRenderLimit(WIRE_ROWS_STEP, true);
  return (
    <ol
      className="wire"
      ref={ref}
      onScroll={(e) => {
        onScroll();
        rendered.onScroll(e);
      }}
      aria-label="Recent packets"
      data-testid="wire"
    >
      {shown.length === 0 && <li className="empty">No bytes sent yet.</li>}
      {limitRows(shown, rendered.limit, true).map((p) => (
        <WireLine key={p.id} packet={p} />
      ))}
    </ol>
  );
}

const WireLine = memo(function WireLine({ packet: p }: { packet: Packet }) {
  const [open, setOpen] = useState(false);
  return (
    <li className="wire-line">
      <button
        type="button"
        className="wire-summary"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <span className="log-time num">{formatLogTime(p.t)}</span>
        <span className="wire-path">
          {p.from} → {p.to}
        </span>
        <span className={`kind-chip kind-${p.kind}`}>{p.label}</span>
        <span className="wire-size num">{formatBytes(p.sizeBytes)}</span>
      </button>
      {open && <pre className="raw-bytes">{visibleBytes(p.bytes, 4096).text}</pre>}
    </li>
  );
});
