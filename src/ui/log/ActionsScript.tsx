import { useMemo, useState } from "react";
import { withActions } from "../script/actionScript";
import { usePlayground } from "../store/store";

/**
 * Everything the reader did, as a scenario script: shown, copied, or
 * downloaded to replay with `npm run sim` (same seed, same actions at the
 * same virtual times, same run).
 */
export function ActionsScript() {
  const actions = usePlayground((s) => s.actions);
  const text = usePlayground((s) => s.script.text);
  const doneAtUs = usePlayground((s) => s.script.doneAtUs);
  const [copied, setCopied] = useState(false);
  // The script the page runs (the default run is one too), then the reader's actions.
  const script = useMemo(
    () => withActions(text, actions, doneAtUs ?? actions[0]?.t ?? 0),
    [actions, text, doneAtUs],
  );

  const download = () => {
    const url = URL.createObjectURL(new Blob([script], { type: "text/plain" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = "my-session.scenario";
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const copy = () => {
    void navigator.clipboard.writeText(script).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    });
  };

  return (
    <div className="actions-script">
      <p className="script-intro">
        {actions.length === 0
          ? "Type a command or press a button: each action becomes a line of a script that replays this run."
          : `${actions.length} action${actions.length === 1 ? "" : "s"}, replayable with npm run sim.`}
      </p>
      <pre
        className="script"
        tabIndex={0}
        aria-label="Your actions as a scenario script"
        data-testid="actions-script"
      >
        {script}
      </pre>
      <div className="script-buttons">
        <button type="button" className="button" onClick={copy}>
          {copied ? "Copied" : "Copy"}
        </button>
        <button type="button" className="button" onClick={download}>
          Download .scenario
        </button>
      </div>
    </div>
  );
}
