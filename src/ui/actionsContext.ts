import { createContext, useContext } from "react";
import type { PlaygroundActions } from "./runtime";

export const ActionsContext = createContext<PlaygroundActions | null>(null);

/** The running cluster's actions (console commands, faults, playback). */
export function useActions(): PlaygroundActions {
  const actions = useContext(ActionsContext);
  if (!actions) throw new Error("useActions needs an <ActionsContext.Provider>");
  return actions;
}
