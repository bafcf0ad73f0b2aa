import { useState } from "react";
import { useActions } from "../actionsContext";
import { withActions } from "../script/actionScript";
import { playgroundStore } from "../store/store";
import { diagramPng, diagramSvg } from "./diagramImage";
import { download, fileStem } from "./download";
import { traceLines } from "./traceLines";

/**
 * Downloads: the script (the scenario and the reader's actions, replayable
 * with `npm run sim`), the trace as JSON lines (the runner's `--trace`
 * format), and the diagram as SVG or PNG in the current theme.
 */
export function ExportPanel() {
  const actions = useActions();
  const [status, setStatus] = useState("");
  const stem = () => fileStem(playgroundStore.getState().script.name);

  const scenario = () => {
    const s = playgroundStore.getState();
    const first = s.actions[0];
    const text =
      first === undefined
        ? s.script.text
        : withActions(s.script.text, s.actions, s.script.doneAtUs ?? first.t);
    download(`${stem()}.scenario`, new Blob([text], { type: "text/plain" }));
    setStatus(`Saved ${stem()}.scenario: run it with npm run sim -- ${stem()}.scenario`);
  };

  const trace = async () => {
    const events = await actions.traceEvents();
    download(
      `${stem()}.trace.jsonl`,
      new Blob([traceLines(events)], { type: "application/jsonl" }),
    );
    const first = events[0];
    setStatus(
      first !== undefined && first.t > 0
        ? `Saved ${events.length} events, the newest the page keeps (from ${first.t} µs); npm run sim -- FILE --trace OUT.jsonl gives a whole run.`
        : `Saved ${events.length} events.`,
    );
  };

  const image = async (format: "svg" | "png") => {
    const svg = document.querySelector<SVGSVGElement>("svg.topology");
    if (!svg) {
      setStatus("There is no diagram to save yet.");
      return;
    }
    const card = svg.closest(".card") ?? document.body;
    const drawn = diagramSvg(svg, getComputedStyle(card).backgroundColor);
    if (format === "svg") {
      download(`${stem()}.svg`, new Blob([drawn.svg], { type: "image/svg+xml" }));
    } else {
      download(`${stem()}.png`, await diagramPng(drawn));
    }
    setStatus(`Saved ${stem()}.${format} (${drawn.width}×${drawn.height}).`);
  };

  const run = (task: () => Promise<void> | void) => () => {
    Promise.resolve()
      .then(task)
      .catch((e: unknown) =>
        setStatus(`Could not save: ${e instanceof Error ? e.message : String(e)}`),
      );
  };

  return (
    <div className="export-panel">
      <p className="muted">Download what the page shows now.</p>
      <div className="export-buttons">
        <button
          type="button"
          className="button"
          onClick={run(scenario)}
          data-testid="export-scenario"
        >
          Scenario (.scenario)
        </button>
        <button type="button" className="button" onClick={run(trace)} data-testid="export-trace">
          Trace (.jsonl)
        </button>
        <button
          type="button"
          className="button"
          onClick={run(() => image("svg"))}
          data-testid="export-svg"
        >
          Diagram (SVG)
        </button>
        <button
          type="button"
          className="button"
          onClick={run(() => image("png"))}
          data-testid="export-png"
        >
          Diagram (PNG)
        </button>
      </div>
      <p className="copy-status" role="status" data-testid="export-status">
        {status}
      </p>
    </div>
  );
}
