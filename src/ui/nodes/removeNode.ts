import type { PlaygroundState } from "../store/state";

/**
 * The state without `name` in any view: not drawn, not listed, not pinned,
 * not the ring's master. A removed node is crashed first (`removeNode`
 * action): the scenario language has no line that removes a process, and a
 * removed Redis process is, to its peers, exactly a crashed one. Its name
 * stays taken in the cluster, so a node added later gets a new one.
 */
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
