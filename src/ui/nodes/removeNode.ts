import type { PlaygroundActions } from "../runtime";
import type { PlaygroundState } from "../store/state";
import type { PlaygroundStore } from "../store/store";

/**
 * Removes a node from the page. The scenario language has no line that
 * removes a process, and a removed Redis process is, to its peers, exactly a
 * crashed one (its connections close, its data is gone), so a running node is
 * crashed (recorded as `crash NAME`) and then hidden from every view. Its name
 * stays taken in the cluster, so a node added later gets a new one.
 */
export function removeNode(actions: PlaygroundActions, store: PlaygroundStore, name: string): void {
  if (store.getState().nodes[name]?.running) actions.fault({ kind: "crash", node: name });
  store.setState((s) => hideNode(s, name));
}

/** The state without `name` in any view: not drawn, not listed, not pinned, not the ring's master. */
export function hideNode(s: PlaygroundState, name: string): Partial<PlaygroundState> {
  if (s.removed.includes(name)) return {};
  const pinned = { ...s.pinned };
  delete pinned[name];
  return {
    removed: [...s.removed, name],
    order: s.order.filter((n) => n !== name),
    pinned,
    ringMaster: s.ringMaster === name ? null : s.ringMaster,
    announcement: { id: s.nextId, text: `${name} was removed (crashed and hidden).` },
    nextId: s.nextId + 1,
  };
}
