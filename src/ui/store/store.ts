import { useStore } from "zustand";
import { createStore } from "zustand/vanilla";
import type { StoreApi } from "zustand/vanilla";
import type { PlaygroundState } from "./state";
import { initialState } from "./state";

export type PlaygroundStore = StoreApi<PlaygroundState>;

/** A fresh vanilla store; the runtime writes to it, components read from it. */
export function createPlaygroundStore(): PlaygroundStore {
  return createStore<PlaygroundState>()(() => initialState());
}

/** The page's one store. */
export const playgroundStore: PlaygroundStore = createPlaygroundStore();

/**
 * The thin React binding: select as little as you need (a field, a node's
 * view), so a component re-renders only when that changes. Never select
 * `now`: per-frame work subscribes to the store directly.
 */
export function usePlayground<T>(selector: (state: PlaygroundState) => T): T {
  return useStore(playgroundStore, selector);
}
