import { withActions } from "../script/actionScript";
import type { PlaygroundState } from "../store/state";
import type { SharedRun } from "./shareLink";

/** The run the page shows, as a share link carries it. */
export function sharedRunOf(state: PlaygroundState): SharedRun {
  return {
    name: state.script.name,
    script: state.script.text,
    actions: state.actions,
    seed: state.seed,
    positionUs: state.timeline.positionUs,
    doneAtUs: state.script.doneAtUs,
  };
}

/** What to load to see a shared run: its script with the reader's actions written after it, and where to stand. */
export function scriptToOpen(run: SharedRun): {
  readonly text: string;
  readonly name: string | null;
  readonly seekUs: number;
} {
  const first = run.actions[0];
  const text =
    first === undefined
      ? run.script
      : withActions(run.script, run.actions, run.doneAtUs ?? first.t);
  return { text, name: run.name, seekUs: run.positionUs };
}
