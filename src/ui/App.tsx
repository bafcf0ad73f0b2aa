import { useEffect, useState } from "react";
import { BacklogRing } from "./backlog/BacklogRing";
import { Narrator } from "./controls/Narrator";
import { PlaybackControls } from "./controls/PlaybackControls";
import { ShortcutsDialog } from "./controls/ShortcutsDialog";
import { useActions } from "./actionsContext";
import { Timeline } from "./log/Timeline";
import { LedgerPanel } from "./ledger/LedgerPanel";
import { NodePanel } from "./nodes/NodePanel";
import { playgroundStore, usePlayground } from "./store/store";
import { Topology } from "./topology/Topology";
import { PageNotice } from "./share/PageNotice";
import { ShareMenu } from "./share/ShareMenu";
import { GuidePanel } from "./session/GuidePanel";
import { TimeScrubber } from "./timeline/TimeScrubber";
import type { PacketKind } from "./packets/packetLabel";

const LEGEND: readonly { kind: PacketKind; text: string }[] = [
  { kind: "write", text: "writes" },
  { kind: "handshake", text: "handshake" },
  { kind: "rdb", text: "RDB" },
  { kind: "ack", text: "ACK" },
  { kind: "ping", text: "ping" },
];

/** The page: header, the topology in the middle, node panels, the backlog ring and the timeline. */
export function App() {
  const order = usePlayground((s) => s.order);
  const error = usePlayground((s) => s.error);
  const [help, setHelp] = useState(false);
  useShortcuts(() => setHelp(true));
  return (
    <div className="app">
      <a className="skip-link" href="#nodes">
        Skip to the node consoles
      </a>
      <header className="app-header">
        <div className="brand">
          <Logo />
          <div>
            <h1>Redis Replication Playground</h1>
            <p className="tagline">
              Watch a master stream every write to its replicas, byte for byte. Then break it.
            </p>
          </div>
        </div>
        <div className="header-tools">
          <PlaybackControls />
          <ShareMenu />
          <button
            type="button"
            className="button help-button"
            onClick={() => setHelp(true)}
            aria-label="Keyboard shortcuts"
            aria-keyshortcuts="?"
          >
            ?
          </button>
        </div>
      </header>
      <PageNotice />
      {error && (
        <p className="error-banner" role="alert">
          The simulation stopped: {error}
        </p>
      )}
      <main className="layout">
        <section className="card topology-card" aria-labelledby="topology-title">
          <div className="card-head">
            <h2 id="topology-title">Topology</h2>
            <ul className="legend" aria-label="Packet colours">
              {LEGEND.map((l) => (
                <li key={l.kind}>
                  <span className={`legend-dot kind-${l.kind}`} aria-hidden="true" />
                  {l.text}
                </li>
              ))}
            </ul>
          </div>
          <Topology />
          <TimeScrubber />
          <p className="hint">
            Hover or tap a packet for its bytes. Drag a node to move it, or onto another node to
            make it that node&apos;s replica. The buttons on a link cut or heal it and open its menu
            (latency, bandwidth, reset).
          </p>
        </section>
        <section id="nodes" className="nodes" aria-label="Nodes" tabIndex={-1}>
          {order.map((n) => (
            <NodePanel key={n} name={n} />
          ))}
        </section>
        <aside className="side">
          <GuidePanel />
          <section className="card" aria-labelledby="ring-title">
            <div className="card-head">
              <h2 id="ring-title">Replication backlog</h2>
            </div>
            <BacklogRing />
          </section>
          <LedgerPanel />
          <section className="card timeline-card" aria-label="Timeline">
            <Timeline />
          </section>
        </aside>
      </main>
      <Narrator />
      <ShortcutsDialog open={help} onClose={() => setHelp(false)} />
    </div>
  );
}

/** `k` or Space plays and pauses, `.` steps, `?` lists the shortcuts; never while typing in a field. */
function useShortcuts(showHelp: () => void) {
  const actions = useActions();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)))
        return;
      if (e.key === "?") {
        e.preventDefault();
        showHelp();
        return;
      }
      // Space and Enter belong to the focused button, link or tab.
      const onControl =
        target?.tagName === "BUTTON" || /^(button|tab)$/.test(target?.getAttribute("role") ?? "");
      if (e.key === "k" || (e.key === " " && !onControl)) {
        e.preventDefault();
        actions.setPaused(!playgroundStore.getState().paused);
      } else if (e.key === ".") {
        e.preventDefault();
        actions.step();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [actions, showHelp]);
}

function Logo() {
  return (
    <svg className="logo" viewBox="0 0 40 40" width="36" height="36" aria-hidden="true">
      <line x1="20" y1="12" x2="9" y2="29" />
      <line x1="20" y1="12" x2="31" y2="29" />
      <circle className="logo-master" cx="20" cy="11" r="6.5" />
      <circle className="logo-replica" cx="9" cy="30" r="5" />
      <circle className="logo-replica" cx="31" cy="30" r="5" />
    </svg>
  );
}
