import { useEffect, useRef, useState } from "react";
import { playgroundStore } from "../store/store";
import type { PlaygroundState } from "../store/state";

/**
 * Like `usePlayground`, but the component sees a new value at most once every
 * `everyMs` of wall time (the first change after a quiet spell at once). For
 * lists that change with every frame under load (the wire, the sequence
 * diagram): nobody reads a list that scrolls 60 times a second, and
 * re-rendering it that often was most of a loaded frame.
 */
export function useThrottledPlayground<T>(select: (s: PlaygroundState) => T, everyMs: number): T {
  const [value, setValue] = useState(() => select(playgroundStore.getState()));
  const selectRef = useRef(select);
  useEffect(() => {
    selectRef.current = select;
  });
  useEffect(() => {
    let last = -Infinity;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const update = () => {
      timer = null;
      last = performance.now();
      setValue(selectRef.current(playgroundStore.getState()));
    };
    const unsubscribe = playgroundStore.subscribe(() => {
      if (timer === null)
        timer = setTimeout(update, Math.max(0, last + everyMs - performance.now()));
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [everyMs]);
  return value;
}
