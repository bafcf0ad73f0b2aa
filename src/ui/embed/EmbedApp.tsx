import { Suspense, lazy, useEffect, useState } from "react";
import type { ReactNode } from "react";
import { useActions } from "../actionsContext";
import { PlaybackControls } from "../controls/PlaybackControls";
import { playgroundStore, usePlayground } from "../store/store";
import { Topology } from "../topology/Topology";
import type { EmbedPanel, PageParams } from "./embedParams";
import { PageNotice } from "../share/PageNotice";

// Panels load only when the address asks for them: the embed's first render stays small.
const EmbedGuide = lazy(() => import("./EmbedGuide").then((m) => ({ default: m.EmbedGuide })));
const BacklogRing = lazy(() =>
  import("../backlog/BacklogRing").then((m) => ({ default: m.BacklogRing })),
);
const NodePanels = lazy(() => import("./NodePanels").then((m) => ({ default: m.NodePanels })));
const Timeline = lazy(() => import("../log/Timeline").then((m) => ({ default: m.Timeline })));
const OffsetChart = lazy(() =>
  import("../chart/OffsetChart").then((m) => ({ default: m.OffsetChart })),
);
const TimeScrubber = lazy(() =>
  import("../timeline/TimeScrubber").then((m) => ({ default: m.TimeScrubber })),
);

/**
 * The playground alone, for an `<iframe>` (`?embed=1`): the diagram and the
 * playback controls, and the panels `panels=` names, in that order. With
 * `autoplay=0` it waits for a click on Start (or a `play` message).
 */
export function EmbedApp({ params, fullPageUrl }: { params: PageParams; fullPageUrl: string }) {
  const actions = useActions();
  const error = usePlayground((s) => s.error);
  const [waiting, setWaiting] = useState(!params.autoplay);
  // Start goes away for good once the run plays, whoever pressed play (the reader or the host page).
  useEffect(
    () =>
      playgroundStore.subscribe((s) => {
        if (!s.paused) setWaiting(false);
      }),
    [],
  );

  return (
    <div className="embed" data-testid="embed">
      <div className="embed-bar">
        <PlaybackControls />
        <a className="embed-open" href={fullPageUrl} target="_blank" rel="noopener noreferrer">
          Open in the playground ↗
        </a>
      </div>
      <PageNotice />
      {error && (
        <p className="error-banner" role="alert">
          The simulation stopped: {error}
        </p>
      )}
      <section className="card topology-card embed-diagram" aria-label="Topology">
        <Topology />
        {waiting && (
          <div className="embed-start">
            <button
              type="button"
              className="button primary"
              onClick={() => {
                setWaiting(false);
                actions.setPaused(false);
              }}
              data-testid="embed-start"
            >
              ▶ Start
            </button>
          </div>
        )}
      </section>
      {params.panels.map((p) => (
        <Suspense key={p} fallback={<p className="muted embed-loading">Loading…</p>}>
          {panel(p)}
        </Suspense>
      ))}
    </div>
  );
}

function panel(p: EmbedPanel): ReactNode {
  switch (p) {
    case "narration":
      return <EmbedGuide />;
    case "ring":
      return (
        <section className="card" aria-label="Replication backlog">
          <BacklogRing />
        </section>
      );
    case "console":
      return <NodePanels />;
    case "log":
      return (
        <section className="card timeline-card" aria-label="Timeline">
          <Timeline />
        </section>
      );
    case "chart":
      return (
        <section className="card" aria-label="Offsets over time">
          <OffsetChart />
        </section>
      );
    case "timeline":
      return (
        <section className="card" aria-label="Time travel">
          <TimeScrubber />
        </section>
      );
  }
}
