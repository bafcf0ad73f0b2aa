import type { VirtualTime } from "../../engine/io";

/**
 * The store's view of the script the page runs. The page always runs a
 * script (the default run is `node m`, `node r1 replicaof m`, …) plus the
 * reader's actions at their virtual times; these fields are stable API for
 * the share links and the embed (`docs/embedding.md`).
 */
export interface ScriptState {
  /** The built-in scenario's name (`first-full-sync`), a file name, or null for the default run. */
  readonly name: string | null;
  /** The script's source text, as loaded. */
  readonly text: string;
  /** Its `title` line, or null. */
  readonly title: string | null;
  /** Every `step` line, in source order (`line` is 1-based); a `repeat`ed step counts once. */
  readonly steps: readonly StepInfo[];
  /**
   * The step whose narration is showing: the index in `steps` of the last
   * step the run went past, -1 before the first.
   */
  readonly currentStep: number;
  /**
   * `running`: lines are being carried out (at the playback's pace);
   * `waiting`: the run stands before step `currentStep + 1` until Next;
   * `done`: every line ran, time runs on with the reader's actions;
   * `failed`: an `expect` did not hold or a line could not run (see `failure`).
   */
  readonly status: "running" | "waiting" | "done" | "failed";
  /** The `say` lines since the current step (or since the start), in order. */
  readonly narration: readonly NarrationLine[];
  /** Why the run stopped, when `status` is `failed`. */
  readonly failure: { readonly line: number; readonly message: string } | null;
  /** The virtual time at which the last line ran (null while it runs): "Your actions" count from there. */
  readonly doneAtUs: VirtualTime | null;
}

export interface StepInfo {
  readonly title: string;
  readonly line: number;
}

export interface NarrationLine {
  readonly line: number;
  readonly text: string;
}

/** A parse error of the script being loaded or edited, located (1-based line and column). */
export interface ScriptError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/**
 * Where the run is in virtual time. `endUs` is the furthest moment the
 * current run has reached; `positionUs` is the moment every view shows
 * (below `endUs` after a seek into the past).
 */
export interface TimelineState {
  readonly endUs: VirtualTime;
  readonly positionUs: VirtualTime;
}

/** A run kept for returning to: the original and every fork made from it. */
export interface RunInfo {
  readonly id: number;
  readonly label: string;
  readonly endUs: VirtualTime;
}

export function initialScriptState(): ScriptState {
  return {
    name: null,
    text: "",
    title: null,
    steps: [],
    currentStep: -1,
    status: "running",
    narration: [],
    failure: null,
    doneAtUs: null,
  };
}
