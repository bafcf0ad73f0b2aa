import type { Figure } from "./stats";

/** Which way a figure is better, which decides how the ratio reads against its goal. */
export type Better = "higher" | "lower";

/** One row of the table: our figure, the reference measured in the same run, and the goal. */
export interface Row {
  readonly workload: string;
  readonly unit: string;
  readonly ours: Figure | null;
  readonly reference: Figure | null;
  /** What the reference is, in a few words. */
  readonly referenceName: string;
  /** ours / reference (of the medians). */
  readonly ratio: number | null;
  /** The goal, as text (`≥ 1`, `≤ 1`, `≤ 50 ms`). */
  readonly goal: string;
  readonly met: boolean | null;
  /** Sizes, run counts and anything a reader needs to reproduce the row. */
  readonly notes: string;
}

/** A row comparing two figures, whose goal is a bound on the ratio ours / reference. */
export function ratioRow(options: {
  workload: string;
  unit: string;
  ours: Figure | null;
  reference: Figure | null;
  referenceName: string;
  better: Better;
  goalRatio: number;
  notes: string;
}): Row {
  const { ours, reference, better, goalRatio } = options;
  const ratio = ours && reference && reference.median !== 0 ? ours.median / reference.median : null;
  const met = ratio === null ? null : better === "higher" ? ratio >= goalRatio : ratio <= goalRatio;
  return {
    workload: options.workload,
    unit: options.unit,
    ours,
    reference,
    referenceName: options.referenceName,
    ratio,
    goal: `ratio ${better === "higher" ? "≥" : "≤"} ${goalRatio}`,
    met,
    notes: options.notes,
  };
}

/** A row whose goal is an absolute bound on our figure (the reference is shown for scale). */
export function boundRow(options: {
  workload: string;
  unit: string;
  ours: Figure | null;
  reference: Figure | null;
  referenceName: string;
  bound: number;
  notes: string;
}): Row {
  const { ours, reference } = options;
  const ratio = ours && reference && reference.median !== 0 ? ours.median / reference.median : null;
  return {
    workload: options.workload,
    unit: options.unit,
    ours,
    reference,
    referenceName: options.referenceName,
    ratio,
    goal: `≤ ${options.bound} ${options.unit}`,
    met: ours ? ours.max <= options.bound : null,
    notes: options.notes,
  };
}

/** How many runs to measure and how big to make them. */
export interface BenchOptions {
  readonly warmup: number;
  readonly runs: number;
  /** SETs per run of the throughput workload. */
  readonly sets: number;
  /** Keys in the big-sync dataset. */
  readonly keys: number;
  /** Measure only our side (for profiling with --cpu-prof). */
  readonly oursOnly: boolean;
  readonly log: (line: string) => void;
}
