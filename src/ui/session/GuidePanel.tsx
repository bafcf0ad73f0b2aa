import { useActions } from "../actionsContext";
import { ScriptEditor } from "../editor/ScriptEditor";
import { usePlayground } from "../store/store";
import { builtin } from "./builtins";
import { ScenarioPicker } from "./ScenarioPicker";

/**
 * The guided view beside the diagram: the scenario's title, the step shown
 * and its narration (`say` lines), Back and Next. The run stands before each
 * `step` until Next; Back rebuilds the run as it stood before the step shown.
 */
export function GuidePanel() {
  const actions = useActions();
  const title = usePlayground((s) => s.script.title);
  // A built-in's title is in the picker already.
  const builtinShown = usePlayground((s) => builtin(s.script.name ?? "") !== undefined);
  // The default run (no name) is the page's own three nodes: its title says nothing new.
  const named = usePlayground((s) => s.script.name !== null);
  const steps = usePlayground((s) => s.script.steps);
  const current = usePlayground((s) => s.script.currentStep);
  const status = usePlayground((s) => s.script.status);
  const narration = usePlayground((s) => s.script.narration);
  const failure = usePlayground((s) => s.script.failure);
  const guided = steps.length > 0;
  const step = steps[current];
  const upcoming = steps[current + 1];
  return (
    <section className="card guide-card" aria-labelledby="guide-title" data-testid="guide">
      <div className="card-head">
        <h2 id="guide-title">Scenario</h2>
        <ScenarioPicker />
      </div>
      {title !== null && named && !builtinShown && <p className="guide-scenario">{title}</p>}
      {guided && (
        <p className="guide-progress" data-testid="guide-progress">
          {current < 0 ? `${steps.length} steps` : `Step ${current + 1} of ${steps.length}`}
        </p>
      )}
      {step && (
        <h3 className="guide-step" data-testid="guide-step">
          {step.title}
        </h3>
      )}
      <div className="guide-narration" aria-live="polite" data-testid="guide-narration">
        {narration.map((n, i) => (
          <p key={`${n.line}-${i}`}>{n.text}</p>
        ))}
        {!guided && narration.length === 0 && (
          <p className="muted">
            Pick a guided scenario above, or break the cluster yourself: every action becomes a
            script line.
          </p>
        )}
      </div>
      {(guided || named || status === "failed") && (
        <p className={`guide-status status-${status}`} data-testid="guide-status">
          {statusText(status, upcoming?.title, failure)}
        </p>
      )}
      {guided && (
        <div className="guide-buttons">
          <button
            type="button"
            className="button"
            onClick={() => actions.previousStep()}
            disabled={current < 0 && status !== "waiting"}
            data-testid="guide-back"
          >
            Back
          </button>
          <button
            type="button"
            className="button primary"
            onClick={() => actions.nextStep()}
            disabled={status !== "waiting"}
            data-testid="guide-next"
          >
            Next
          </button>
        </div>
      )}
      <ScriptEditor />
    </section>
  );
}

function statusText(
  status: "running" | "waiting" | "done" | "failed",
  upcoming: string | undefined,
  failure: { readonly message: string } | null,
): string {
  switch (status) {
    case "running":
      return "Running the script at the playback's pace…";
    case "waiting":
      return upcoming ? `Next: ${upcoming}` : "Press Next to go on.";
    case "done":
      return "The script is done: time runs on, and the cluster is yours to break.";
    case "failed":
      return `The script stopped: ${failure?.message ?? "a line failed"}`;
  }
}
