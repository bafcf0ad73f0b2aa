import { useCallback, useState } from "react";
import type { UIEvent } from "react";

/** How close to the far edge of a scrolled list, in pixels, more rows are rendered. */
const NEAR_EDGE_PX = 48;

/**
 * A long scrolled list renders only the rows near where the reader looks:
 * `limit` rows from its start (or, with `fromEnd`, from its end, for lists
 * that keep to their newest entry), and `step` more each time the reader
 * scrolls close to the edge where the rest would be. The DOM then stays a
 * few dozen rows however long the list, so a refresh lays out and paints
 * little. Pass `onScroll` to the scrolled element.
 */
export function useRenderLimit(
  step: number,
  fromEnd = false,
): { limit: number; onScroll: (e: UIEvent<HTMLElement>) => void } {
  const [limit, setLimit] = useState(step);
  const onScroll = useCallback(
    (e: UIEvent<HTMLElement>) => {
      const el = e.currentTarget;
      const toEdge = fromEnd ? el.scrollTop : el.scrollHeight - el.scrollTop - el.clientHeight;
      if (toEdge < NEAR_EDGE_PX) setLimit((l) => l + step);
    },
    [fromEnd, step],
  );
  return { limit, onScroll };
}

/** The rows to render of `rows`: the first `limit`, or the last with `fromEnd`. */
export function limitRows<T>(rows: readonly T[], limit: number, fromEnd = false): readonly T[] {
  if (rows.length <= limit) return rows;
  return fromEnd ? rows.slice(rows.length - limit) : rows.slice(0, limit);
}
