import type { Coordinator } from "../sim/coordinator";
import { traceHash } from "./runSummary";

/** A burst run's outcome, compared between workers and one process. */
export interface BurstSummary {
  readonly traceHash: string;
  readonly events: number;
  readonly steps: number;
}

/**
 * One master and two replicas take `writes` SETs handed over at one instant
 * (as the bench page does), then settle: the run in which steps carry
 * thousands of commands and trace records, so the worker protocol packs them.
 */
export async function runBurst(cluster: Coordinator, writes: number): Promise<BurstSummary> {
  const config = new Map<string, string>();
  await cluster.startNode({ name: "m", config });
  await cluster.startNode({ name: "r1", replicaOf: "m", config });
  await cluster.startNode({ name: "r2", replicaOf: "m", config });
  await cluster.settle(10_000_000);
  const commands = Array.from({ length: writes }, (_, i) => ["SET", `key:${i}`, `v\r\n${i}`]);
  for (let from = 0; from < writes; from += 1000)
    await cluster.submitMany("m", "burst", commands.slice(from, from + 1000));
  await cluster.command("m", "burst", ["INCR", "counter"]);
  await cluster.advance(0);
  await cluster.settle(10_000_000);
  const trace = cluster.trace();
  return { traceHash: await traceHash(trace), events: trace.length, steps: cluster.stats().steps };
}
