import { useEffect, useRef, useState } from "react";
import { useActions } from "../actionsContext";
import { formatClock } from "../format/time";
import { SPEEDS } from "../playback/pacing";
import { playgroundStore, usePlayground } from "../store/store";

/**
 * Play or pause, step to the next event, and the speed. Pacing maps virtual
 * time to wall time and never changes what happens. The clock is written by a
 * transient subscription, not through React state.
 */
export function PlaybackControls() {
  const actions = useActions();
  const paused = usePlayground((s) => s.paused);
  const speed = usePlayground((s) => s.speed);
  const clockRef = useRef<HTMLOutputElement>(null);

  useEffect(() => {
    let shown = -1;
    let frame = 0;
    // The text at most once a frame (the store moves several times a frame under load, and each
    // new text lays out the header); the exact time at once, for tests that step time.
    const paint = () => {
      frame = 0;
      const el = clockRef.current;
      if (el) el.textContent = formatClock(shown);
    };
    const write = (now: number) => {
      const el = clockRef.current;
      if (now === shown || !el) return;
      shown = now;
      el.dataset.timeUs = String(now);
      if (frame === 0) frame = requestAnimationFrame(paint);
    };
    write(playgroundStore.getState().now);
    const unsubscribe = playgroundStore.subscribe((s) => write(s.now));
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, []);

  return (
    <div className="playback" role="group" aria-label="Playback">
      <button
        type="button"
        className="button primary play"
        onClick={() => actions.setPaused(!paused)}
        aria-label={paused ? "Play" : "Pause"}
        aria-keyshortcuts="k"
        data-testid="play-pause"
      >
        {paused ? <PlayIcon /> : <PauseIcon />}
        <span>{paused ? "Play" : "Pause"}</span>
      </button>
      <button
        type="button"
        className="button"
        onClick={() => actions.step()}
        aria-label="Step to the next event"
        aria-keyshortcuts="."
        data-testid="step"
      >
        <StepIcon />
        <span>Step</span>
      </button>
      <SeedControl />
      <label className="inline-field speed">
        <span className="sr-only">Speed</span>
        <select
          className="button select"
          value={speed}
          onChange={(e) =>
            actions.setSpeed(e.target.value === "max" ? "max" : Number(e.target.value))
          }
          data-testid="speed"
          title="Speed: a multiple of real time (packets always take about half a second to cross at 1×)"
        >
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
          <option value="max">max</option>
        </select>
      </label>
      <div className="clock" title="Virtual time since the cluster started">
        <span className="clock-label">t =</span>{" "}
        <output ref={clockRef} className="num" aria-label="Virtual time" data-testid="clock">
          0.000 s
        </output>
      </div>
    </div>
  );
}

function PlayIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M4 2.5v11l9-5.5z" fill="currentColor" />
    </svg>
  );
}

function PauseIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z" fill="currentColor" />
    </svg>
  );
}

function StepIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M2.5 2.5v11l7-5.5zM11 2.5h2.5v11H11z" fill="currentColor" />
    </svg>
  );
}

/**
 * The run's seed, and a fresh start: both reload the page with `?seed=N`
 * (every replication id and random draw comes from it).
 */
function SeedControl() {
  const seed = usePlayground((s) => s.seed);
  const [draft, setDraft] = useState(String(seed));
  const restart = (value: string) => {
    const n = Number(value);
    const url = new URL(window.location.href);
    url.searchParams.set("seed", String(Number.isSafeInteger(n) && n > 0 ? n : seed));
    window.location.assign(url);
  };
  return (
    <form
      className="seed"
      onSubmit={(e) => {
        e.preventDefault();
        restart(draft);
      }}
    >
      <label className="inline-field">
        <span>Seed</span>
        <input
          className="seed-input"
          inputMode="numeric"
          value={draft}
          onChange={(e) => setDraft(e.target.value.replace(/[^0-9]/g, ""))}
          aria-describedby="seed-hint"
        />
      </label>
      <span id="seed-hint" className="sr-only">
        Press Enter or Reset to start again with this seed.
      </span>
      <button type="submit" className="button" title="Start the cluster again from nothing">
        <ResetIcon />
        <span>Reset</span>
      </button>
    </form>
  );
}

function ResetIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path
        d="M3 8a5 5 0 1 0 1.5-3.6M3 2.5v3h3"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
