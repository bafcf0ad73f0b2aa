/** The median, min and max of a workload's measured runs (warm-up runs excluded). */
export interface Figure {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Every measured run, in the order they ran. */
  readonly runs: readonly number[];
}

/** Summarises the runs of one measurement. */
export function figure(runs: readonly number[]): Figure {
  if (runs.length === 0) throw new Error("a figure needs at least one run");
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, runs };
}

/**
 * Runs `measure` `warmup` times without keeping the result, then `runs` times,
 * and summarises the kept results.
 */
export async function repeat(
  warmup: number,
  runs: number,
  measure: (index: number) => Promise<number>,
  onRun?: (value: number, index: number, warm: boolean) => void,
): Promise<Figure> {
  for (let i = 0; i < warmup; i++) onRun?.(await measure(-1 - i), i, true);
  const kept: number[] = [];
  for (let i = 0; i < runs; i++) {
    const value = await measure(i);
    onRun?.(value, i, false);
    kept.push(value);
  }
  return figure(kept);
}

/** What `interleave` measured: the kept runs of each side (reference null when not measured). */
export interface Pairs<T> {
  readonly ours: readonly T[];
  readonly reference: readonly T[] | null;
}

/**
 * Runs ours then the reference, `warmup` times unkept and `runs` times kept,
 * alternating, so both see the same machine: this one is shared and its load
 * changes from minute to minute.
 */
export async function interleave<T>(
  warmup: number,
  runs: number,
  ours: () => Promise<T>,
  reference: (() => Promise<T>) | null,
  log: (side: "ours" | "ref", value: T, label: string) => void,
): Promise<Pairs<T>> {
  const kept: { ours: T[]; reference: T[] } = { ours: [], reference: [] };
  for (let i = 0; i < warmup + runs; i++) {
    const label = i < warmup ? "warm-up" : `run ${i - warmup + 1}`;
    const a = await ours();
    log("ours", a, label);
    const b = reference ? await reference() : null;
    if (b !== null) log("ref", b, label);
    if (i >= warmup) {
      kept.ours.push(a);
      if (b !== null) kept.reference.push(b);
    }
  }
  return { ours: kept.ours, reference: reference ? kept.reference : null };
}
