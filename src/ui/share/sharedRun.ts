import { withActions } from "../script/actionScript";
import type { PlaygroundState } from "../store/state";
import type { SharedRun } from "./shareLink";

/** The run the page shows, as a share link carries it (`nexts`: the runtime's `nextPresses()`). */
export function sharedRunOf(state: PlaygroundState, nexts: SharedRun["nexts"]): SharedRun {
  return {
    name: state.script.name,
    script: state.script.text,
    actions: state.actions,
    seed: state.seed,
    positionUs: state.timeline.positionUs,
    doneAtUs: state.script.doneAtUs,
    nexts,
  };
}

/** What to load to see a shared run: its script with the reader's actions written after it, and where to stand. */
export function scriptToOpen(run: SharedRun): {
  readonly text: string;
  readonly name: string | null;
  readonly seekUs: number;
  readonly nexts: SharedRun["nexts"];
} {
  const first = run.actions[0];
  const text =
    first === undefined
      ? run.script
      : withActions(run.script, run.actions, run.doneAtUs ?? first.t);
  return { text, name: run.name, seekUs: run.positionUs, nexts: run.nexts };
}
