import { Activity, useState } from "react";
import type { ReactNode } from "react";

/**
 * A tab's content, rendered the first time its tab is shown and then kept:
 * switching away hides it (React's Activity: its elements stay, its effects and
 * store subscriptions stop), switching back shows it again with what changed
 * meanwhile. Unmounting a panel of rows and building it again on every switch
 * was a long task under load, and a tab never opened costs nothing.
 */
export function KeptPanel({ shown, children }: { shown: boolean; children: ReactNode }) {
  const [opened, setOpened] = useState(shown);
  // Derived state (React's "storing information from previous renders"): opened once, kept.
  if (shown && !opened) setOpened(true);
  if (!opened && !shown) return null;
  return <Activity mode={shown ? "visible" : "hidden"}>{children}</Activity>;
}
