import type { KeyboardEvent } from "react";
import { useActions } from "../actionsContext";
import { formatClock } from "../format/time";
import { usePlayground } from "../store/store";

/**
 * Time travel under the diagram: drag (or use the arrow keys) to any moment
 * of the run and every view shows the cluster as it was then, rebuilt by
 * replaying the script and the reader's actions. Step back and forward one
 * event; "Fork here" keeps the run and continues from this moment.
 */
export function TimeScrubber() {
  const actions = useActions();
  const endUs = usePlayground((s) => s.timeline.endUs);
  const positionUs = usePlayground((s) => s.timeline.positionUs);
  const runs = usePlayground((s) => s.runs);
  const currentRun = usePlayground((s) => s.currentRun);
  const past = positionUs < endUs;

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    const small = Math.max(1000, Math.round(endUs / 100));
    const moves: Record<string, number> = {
      ArrowLeft: positionUs - small,
      ArrowDown: positionUs - small,
      ArrowRight: positionUs + small,
      ArrowUp: positionUs + small,
      PageDown: positionUs - 10 * small,
      PageUp: positionUs + 10 * small,
      Home: 0,
      End: endUs,
    };
    const to = moves[e.key];
    if (to === undefined) return;
    e.preventDefault();
    actions.seek(Math.max(0, Math.min(endUs, to)));
  };

  return (
    <div className="time-scrubber" role="group" aria-label="Time travel">
      <button
        type="button"
        className="button icon-button"
        onClick={() => actions.stepBack()}
        disabled={positionUs === 0}
        aria-label="Back one event"
        data-testid="event-back"
      >
        ◀
      </button>
      <input
        type="range"
        className="scrubber"
        min={0}
        max={Math.max(endUs, 1)}
        step={1}
        value={positionUs}
        onChange={(e) => actions.seek(Number(e.target.value))}
        onKeyDown={onKey}
        aria-label="Moment shown"
        aria-valuetext={`${formatClock(positionUs)} of ${formatClock(endUs)}`}
        data-testid="scrubber"
      />
      <button
        type="button"
        className="button icon-button"
        onClick={() => actions.step()}
        aria-label="Forward one event"
        data-testid="event-forward"
      >
        ▶
      </button>
      <span className="scrubber-time" data-testid="scrubber-time">
        {formatClock(positionUs)} / {formatClock(endUs)}
      </span>
      <button
        type="button"
        className="button"
        onClick={() => actions.fork()}
        disabled={!past}
        title="Keep this run and continue from this moment with new actions"
        data-testid="fork"
      >
        Fork here
      </button>
      {runs.length > 1 && (
        <label className="inline-field">
          <span className="sr-only">Run</span>
          <select
            className="button select"
            value={currentRun}
            onChange={(e) => actions.selectRun(Number(e.target.value))}
            data-testid="run-picker"
          >
            {runs.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {past && (
        <p className="scrubber-hint">
          In the past: Play replays the run as it was; an action here starts a fork.
        </p>
      )}
    </div>
  );
}
