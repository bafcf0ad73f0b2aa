import { useStore } from "zustand";
import { createStore } from "zustand/vanilla";

/** A sentence the page shows above the playground: why a share link did not open, or what it opened. */
export interface Notice {
  readonly kind: "error" | "info";
  readonly text: string;
}

/** The page's one notice (a store of its own: it is about the address, not the run). */
export const noticeStore = createStore<{ notice: Notice | null }>()(() => ({ notice: null }));

export function showNotice(notice: Notice | null): void {
  noticeStore.setState({ notice });
}

export function useNotice(): Notice | null {
  return useStore(noticeStore, (s) => s.notice);
}
