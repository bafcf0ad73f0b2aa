/**
 * The page's defaults, apart from the runtime: components and the first
 * render read them without loading the simulator (src/ui/runtime.ts).
 */

/** The run's seed unless the URL says otherwise: the same seed and the same clicks give the same run. */
export const DEFAULT_SEED = 1;

/** The seed the page's URL asks for (`?seed=42`), or the default. */
export function seedFrom(search: string): number {
  const n = Number(new URLSearchParams(search).get("seed"));
  return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_SEED;
}

/** Configuration every node of the page starts with (redis.conf lines). */
export const NODE_CONFIG: ReadonlyMap<string, string> = new Map([
  // The first full sync starts at once instead of after Redis's 5 s wait for more replicas.
  ["repl-diskless-sync-delay", "0"],
]);

/** The first slice: a master and two replicas, started as `redis-server --replicaof m 6379`. */
export const FIRST_NODES: readonly { name: string; replicaOf?: string }[] = [
  { name: "m" },
  { name: "r1", replicaOf: "m" },
  { name: "r2", replicaOf: "m" },
];
