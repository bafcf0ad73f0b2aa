/**
 * Workload 2: a master holding `keys` keys (DEBUG POPULATE) syncs a new
 * replica: the simulator's compute time from REPLICAOF until the cluster is
 * settled, against real Redis's time from REPLICAOF until the replica reports
 * master_link_status:up. Diskless sync with no delay on both sides.
 *
 * The same datasets give the memory row: bytes per key in the engine (V8 heap
 * growth after a forced GC) against redis-server's used_memory growth.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { InProcessCluster } from "../../sim/inProcessCluster";
import { waitFor, withRedis } from "./redis";
import { figure, interleave } from "./stats";
import type { BenchOptions, Row } from "./workload";
import { ratioRow } from "./workload";

const MASTER_CONFIG: ReadonlyMap<string, string> = new Map([["repl-diskless-sync-delay", "0"]]);

/** A full garbage collection, so heap figures count only what is reachable. */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  gc();
}

/** One sync: its time, and the bytes per key its master's dataset took. */
interface SyncRun {
  readonly syncMs: number;
  readonly bytesPerKey: number;
}

async function simulatorRun(keys: number): Promise<SyncRun> {
  const cluster = new InProcessCluster({ seed: 1, traceBytes: false });
  await cluster.startNode({ name: "m", config: MASTER_CONFIG });
  await cluster.startNode({ name: "r1", config: new Map() });
  await cluster.settle(10_000_000);
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  await cluster.command("m", "bench", ["DEBUG", "POPULATE", String(keys)]);
  await cluster.settle(10_000_000);
  collectGarbage();
  const bytesPerKey = (process.memoryUsage().heapUsed - before) / keys;

  const started = performance.now();
  await cluster.command("r1", "bench", ["REPLICAOF", "m", "6379"]);
  const settled = await cluster.settle(600_000_000);
  const syncMs = performance.now() - started;

  const info = (await cluster.snapshot("r1")).info;
  if (!settled || info.get("master_link_status") !== "up")
    throw new Error(`simulated replica did not sync: ${info.get("master_link_status")}`);
  if (!info.get("db0")?.startsWith(`keys=${keys},`))
    throw new Error(`simulated replica holds ${info.get("db0")}`);
  return { syncMs, bytesPerKey };
}

/**
 * Starts a real Redis master and hands `body` a function that measures one
 * sync: the master is refilled (its memory growth measured), a new replica
 * process in a new directory (so nothing is left to resume) is told REPLICAOF,
 * and the time until it reports master_link_status:up is taken.
 */
async function withRedisMaster<T>(
  keys: number,
  body: (run: () => Promise<SyncRun>) => Promise<T>,
): Promise<T> {
  return withRedis(async (start) => {
    const master = await start([
      "--repl-diskless-sync-delay",
      "0",
      "--enable-debug-command",
      "local",
    ]);
    const m = await master.client();
    try {
      return await body(async () => {
        await m.call("FLUSHALL");
        const before = Number((await m.info("memory")).get("used_memory"));
        await m.call("DEBUG", "POPULATE", keys);
        const after = Number((await m.info("memory")).get("used_memory"));

        const replica = await start();
        const r = await replica.client();
        try {
          const started = performance.now();
          await r.call("REPLICAOF", "127.0.0.1", master.port);
          await waitFor(
            "master_link_status:up",
            async () => (await r.info("replication")).get("master_link_status") === "up",
            120_000,
            2,
          );
          const syncMs = performance.now() - started;
          const db0 = (await r.info("keyspace")).get("db0");
          if (!db0?.startsWith(`keys=${keys},`)) throw new Error(`replica holds ${db0}`);
          return { syncMs, bytesPerKey: (after - before) / keys };
        } finally {
          r.close();
          replica.stop();
        }
      });
    } finally {
      m.close();
    }
  });
}

/** The big-sync row and the memory row, from the same datasets. */
export async function bigSync(options: BenchOptions): Promise<Row[]> {
  options.log(`big full sync: ${options.keys} keys`);
  const measure = (reference: (() => Promise<SyncRun>) | null) =>
    interleave(
      options.warmup,
      options.runs,
      () => simulatorRun(options.keys),
      reference,
      (side, v, label) =>
        options.log(
          `  ${side === "ours" ? "ours " : "redis"}  ${label}: ${v.syncMs.toFixed(0)} ms, ` +
            `${v.bytesPerKey.toFixed(1)} B/key`,
        ),
    );
  const pairs = options.oursOnly
    ? await measure(null)
    : await withRedisMaster(options.keys, (run) => measure(run));
  const figures = (runs: readonly SyncRun[]) => ({
    sync: figure(runs.map((r) => r.syncMs)),
    memory: figure(runs.map((r) => r.bytesPerKey)),
  });
  const ours = figures(pairs.ours);
  const reference = pairs.reference ? figures(pairs.reference) : null;
  const populate = `DEBUG POPULATE ${options.keys} (key:N → value:N)`;
  return [
    ratioRow({
      workload: "Big full sync: new replica of a populated master",
      unit: "ms",
      ours: ours.sync,
      reference: reference?.sync ?? null,
      referenceName: "redis-server, REPLICAOF → master_link_status:up",
      better: "lower",
      goalRatio: 1,
      notes:
        `${populate}; diskless, repl-diskless-sync-delay 0; runs alternate ours / redis; ` +
        `ours: compute time of REPLICAOF then settle (InProcessCluster, traceBytes off)`,
    }),
    ratioRow({
      workload: "Memory: bytes per key",
      unit: "B/key",
      ours: ours.memory,
      reference: reference?.memory ?? null,
      referenceName: "redis-server used_memory growth",
      better: "lower",
      goalRatio: 2,
      notes: `${populate}; ours: V8 heap growth after a forced GC (master and its cluster)`,
    }),
  ];
}
