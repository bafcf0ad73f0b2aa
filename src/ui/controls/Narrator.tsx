import { usePlayground } from "../store/store";

/**
 * The aria-live region that narrates what happens (nodes starting and
 * crashing, syncs, faults, role changes) for screen-reader users. Visually
 * hidden: the event log shows the same things.
 */
export function Narrator() {
  const announcement = usePlayground((s) => s.announcement);
  return (
    <div className="sr-only" role="status" aria-live="polite" aria-atomic="true">
      {announcement?.text ?? ""}
    </div>
  );
}
