import { useMemo, useState } from "react";
import { FIRST_NODES, NODE_CONFIG } from "../runtime";
import { actionScript } from "../script/actionScript";
import { usePlayground } from "../store/store";

/**
 * Everything the reader did, as a scenario script: shown, copied, or
 * downloaded to replay with `npm run sim` (same seed, same actions at the
 * same virtual times, same run).
 */
export function ActionsScript() {
  const actions = usePlayground((s) => s.actions);
  const seed = usePlayground((s) => s.seed);
  const [copied, setCopied] = useState(false);
  const script = useMemo(
    () => actionScript({ seed, config: NODE_CONFIG, nodes: FIRST_NODES }, actions),
    [actions, seed],
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
