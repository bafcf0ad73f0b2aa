/**
 * The `k` smallest items of `items` in ascending order: what
 * `[...items].sort(compare).slice(0, k)` gives for items that never compare
 * equal, in one pass and `k` items of memory. A node view or a SCAN over a
 * million keys would otherwise copy and sort the whole keyspace to show a
 * couple of hundred keys: about a second each time, in the node's worker,
 * with the cluster waiting.
 *
 * A max-heap holds the `k` smallest so far; an item not below its top is
 * dropped after one comparison, which is what most items get.
 */
export function smallest<T>(items: Iterable<T>, k: number, compare: (a: T, b: T) => number): T[] {
  const heap: T[] = [];
  if (k <= 0) return heap;
  for (const item of items) {
    if (heap.length < k) {
      heap.push(item);
      siftUp(heap, heap.length - 1, compare);
    } else if (compare(item, heap[0] as T) < 0) {
      heap[0] = item;
      siftDown(heap, 0, compare);
    }
  }
  return heap.sort(compare);
}

function siftUp<T>(heap: T[], i: number, compare: (a: T, b: T) => number): void {
  const item = heap[i] as T;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const above = heap[parent] as T;
    if (compare(item, above) <= 0) break;
    heap[i] = above;
    i = parent;
  }
  heap[i] = item;
}

function siftDown<T>(heap: T[], i: number, compare: (a: T, b: T) => number): void {
  const n = heap.length;
  const item = heap[i] as T;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= n) break;
    const right = child + 1;
    if (right < n && compare(heap[right] as T, heap[child] as T) > 0) child = right;
    const below = heap[child] as T;
    if (compare(below, item) <= 0) break;
    heap[i] = below;
    i = child;
  }
  heap[i] = item;
}

/** `Array.prototype.sort`'s default order for strings: by UTF-16 code units. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
