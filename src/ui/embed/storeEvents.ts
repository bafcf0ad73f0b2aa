import type { ConsoleLine, PlaygroundState } from "../store/state";
import type { PlaygroundEvent } from "./messages";

/**
 * The events a host page hears when the store moves from `prev` to `next`: a
 * step reached, a role changed, an acknowledged write lost, a reply printed on
 * a console. Pure, so what
 * the host hears follows from what the page shows.
 */
export function eventsBetween(prev: PlaygroundState, next: PlaygroundState): PlaygroundEvent[] {
  const out: PlaygroundEvent[] = [];
  const step = next.script.currentStep;
  if (step !== prev.script.currentStep && step >= 0) {
    const info = next.script.steps[step];
    if (info)
      out.push({
        type: "stepReached",
        index: step,
        title: info.title,
        count: next.script.steps.length,
      });
  }
  if (next.nodes !== prev.nodes) {
    for (const name of next.order) {
      const now = next.nodes[name];
      const before = prev.nodes[name];
      if (!now || now.kind === "sentinel") continue;
      if (before && before.role !== now.role)
        out.push({ type: "roleChanged", node: name, role: now.role });
    }
  }
  if (next.ledger !== prev.ledger) {
    const lostCount = next.ledger.entries.filter((e) => e.lost !== null).length;
    for (const entry of next.ledger.entries) {
      if (!entry.lost || prev.ledger.entries[entry.id]?.lost) continue;
      out.push({
        type: "writeLost",
        client: entry.client,
        node: entry.node,
        command: entry.command,
        ackedAtUs: entry.ackedAt,
        lostFromUs: entry.lost.from,
        lostToUs: entry.lost.to,
        lostCount,
      });
    }
  }
  if (next.consoles !== prev.consoles) {
    for (const [node, c] of Object.entries(next.consoles)) {
      for (const line of appended(prev.consoles[node]?.lines ?? [], c.lines, prev.nextId)) {
        if (line.kind === "reply" || line.kind === "error")
          out.push({ type: "reply", node, text: line.text, error: line.kind === "error" });
      }
    }
  }
  return out;
}

/**
 * The lines added at the end since `before`: those allocated after the
 * previous state (`id ≥ prevNextId`) and, when the console had lines, after
 * its last one. A console rebuilt by time travel holds none of the old line
 * objects, so a seek does not replay every reply to the host.
 */
function appended(
  before: readonly ConsoleLine[],
  after: readonly ConsoleLine[],
  prevNextId: number,
): readonly ConsoleLine[] {
  if (after === before) return [];
  const last = before[before.length - 1];
  const from = last === undefined ? 0 : after.lastIndexOf(last) + 1;
  if (from === 0 && last !== undefined) return [];
  return after.slice(from).filter((l) => l.id >= prevNextId);
}
