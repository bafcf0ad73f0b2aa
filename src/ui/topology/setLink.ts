import type { PathSettings } from "../../sim/network";
import type { PlaygroundActions } from "../runtime";
import { pairKey } from "../store/state";
import { playgroundStore } from "../store/store";

/**
 * Sets the latency and bandwidth of the path between two processes (a
 * `link A B latency … bandwidth …` line) and keeps the settings in the store,
 * so the link and its menu can show them: the trace does not carry them.
 */
export function setLink(
  actions: PlaygroundActions,
  a: string,
  b: string,
  settings: PathSettings,
): void {
  actions.fault({ kind: "link", a, b, settings });
  playgroundStore.setState((s) => ({ links: { ...s.links, [pairKey(a, b)]: settings } }));
}
