import { useActions } from "../actionsContext";
import { usePlayground } from "../store/store";

/**
 * The guided narration in an embed: the step shown, its `say` lines, Back
 * and Next. The full page's guide also holds the scenario picker and the
 * editor; an embed shows the lesson its host page chose.
 */
export function EmbedGuide() {
  const actions = useActions();
  const title = usePlayground((s) => s.script.title);
  const steps = usePlayground((s) => s.script.steps);
  const current = usePlayground((s) => s.script.currentStep);
  const status = usePlayground((s) => s.script.status);
  const narration = usePlayground((s) => s.script.narration);
  if (steps.length === 0 && narration.length === 0) return null;
  const step = steps[current];
  const upcoming = steps[current + 1];
  return (
    <section className="card embed-guide" aria-label="Guided scenario" data-testid="embed-guide">
      <div className="embed-guide-head">
        {title !== null && <p className="guide-scenario">{title}</p>}
        {steps.length > 0 && (
          <p className="guide-progress" data-testid="guide-progress">
            {current < 0 ? `${steps.length} steps` : `Step ${current + 1} of ${steps.length}`}
          </p>
        )}
      </div>
      {step && (
        <h2 className="guide-step" data-testid="guide-step">
          {step.title}
        </h2>
      )}
      <div className="guide-narration" aria-live="polite" data-testid="guide-narration">
        {narration.map((n, i) => (
          <p key={`${n.line}-${i}`}>{n.text}</p>
        ))}
      </div>
      {steps.length > 0 && (
        <div className="guide-buttons">
          {status === "waiting" && upcoming && (
            <span className="muted embed-upcoming">Next: {upcoming.title}</span>
          )}
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
    </section>
  );
}
