/**
 * Workload 1: replicated SETs per second, 1 master and 2 replicas, 16-byte keys
 * and 64-byte values, counted until every replica has applied them.
 */
import { spawn } from "node:child_process";
import { InProcessCluster } from "../../sim/inProcessCluster";
import type { RedisClient } from "./redis";
import { REDIS_BENCHMARK, waitFor, withRedis } from "./redis";
import { figure, interleave } from "./stats";
import type { BenchOptions, Row } from "./workload";
import { ratioRow } from "./workload";

const VALUE_BYTES = 64;
/** redis-benchmark's `-r 100000`: keys `key:` + 12 digits, 16 bytes, drawn from 100,000. */
const KEY_SPACE = 100_000;
const PIPELINE = 16;

/**
 * The keys redis-benchmark would send with `-r`, from a fixed LCG so every
 * run sends the same. Each is one flat string, as a key read off a socket or
 * posted to a worker is; a template literal would hand the engine a
 * two-piece rope that every dictionary lookup has to walk.
 */
export function benchmarkKeys(n: number): string[] {
  const keys: string[] = [];
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    keys.push(["key:", String((x >>> 8) % KEY_SPACE).padStart(12, "0")].join(""));
  }
  return keys;
}

/** One run through the in-process simulator; returns SETs per second of wall time. */
export async function simulatorRun(keys: readonly string[]): Promise<number> {
  const cluster = new InProcessCluster({ seed: 1, traceBytes: false });
  const config = new Map<string, string>();
  await cluster.startNode({ name: "m", config });
  await cluster.startNode({ name: "r1", replicaOf: "m", config });
  await cluster.startNode({ name: "r2", replicaOf: "m", config });
  if (!(await cluster.settle(60_000_000))) throw new Error("simulated replicas did not sync");
  const value = "x".repeat(VALUE_BYTES);

  const started = performance.now();
  // As redis-benchmark -P 16 does, the client hands over 16 SETs at a time:
  // the same inputs and trace as one submit each (src/sim/submitMany.test.ts).
  for (let i = 0; i < keys.length; i += PIPELINE) {
    const end = Math.min(i + PIPELINE, keys.length);
    const batch: string[][] = [];
    for (let j = i; j < end; j++) batch.push(["SET", keys[j] ?? "", value]);
    await cluster.submitMany("m", "bench", batch);
  }
  // `settle` looks at what has run, so let the submitted commands run first.
  await cluster.advance(0);
  const settled = await cluster.settle(60_000_000);
  const seconds = (performance.now() - started) / 1000;

  if (!settled) throw new Error("simulated replicas did not catch up");
  const master = (await cluster.snapshot("m")).info.get("master_repl_offset");
  for (const r of ["r1", "r2"]) {
    const offset = (await cluster.snapshot(r)).info.get("slave_repl_offset");
    if (offset !== master) throw new Error(`${r} at offset ${offset}, master at ${master}`);
  }
  const keyCount = (await cluster.snapshot("r2")).info.get("db0");
  if (!keyCount?.startsWith(`keys=${new Set(keys).size},`))
    throw new Error(`replica holds ${keyCount}`);
  return keys.length / seconds;
}

/** Runs redis-benchmark to completion; rejects on a non-zero exit. */
function redisBenchmark(port: number, n: number): Promise<void> {
  const args = ["-p", String(port), "-t", "set", "-P", String(PIPELINE), "-n", String(n)];
  args.push("-d", String(VALUE_BYTES), "-r", String(KEY_SPACE), "-q");
  return new Promise((resolve, reject) => {
    const child = spawn(REDIS_BENCHMARK, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`redis-benchmark exited ${code ?? signal}: ${stderr.trim()}`));
    });
  });
}

async function offsetOf(client: RedisClient, field: string): Promise<number> {
  return Number((await client.info("replication")).get(field) ?? NaN);
}

/**
 * Starts real Redis (1 master, 2 replicas) and hands `body` a function that
 * measures one run: SETs per second from redis-benchmark's start until both
 * replicas caught up. Every process is stopped afterwards.
 */
async function withRedisReplication<T>(
  options: BenchOptions,
  body: (run: () => Promise<number>) => Promise<T>,
): Promise<T> {
  return withRedis(async (start) => {
    const master = await start();
    const args = ["--replicaof", "127.0.0.1", String(master.port)];
    const replicas = [await start(args), await start(args)];
    const m = await master.client();
    const rs = await Promise.all(replicas.map((r) => r.client()));
    try {
      await waitFor(
        "both replicas online",
        async () => {
          const info = await m.info("replication");
          return info.get("connected_slaves") === "2" && ![...info.values()].some(isNotOnline);
        },
        30_000,
        20,
      );
      return await body(async () => {
        const started = performance.now();
        await redisBenchmark(master.port, options.sets);
        const target = await offsetOf(m, "master_repl_offset");
        await waitFor("replicas to catch up", async () => {
          for (const r of rs) if ((await offsetOf(r, "slave_repl_offset")) < target) return false;
          return true;
        });
        return options.sets / ((performance.now() - started) / 1000);
      });
    } finally {
      m.close();
      for (const r of rs) r.close();
    }
  });
}

function isNotOnline(value: string): boolean {
  return value.startsWith("ip=") && !value.includes("state=online");
}

export async function engineThroughput(options: BenchOptions): Promise<Row> {
  const keys = benchmarkKeys(options.sets);
  options.log(`engine throughput: ${options.sets} SETs per run`);
  const measure = (reference: (() => Promise<number>) | null) =>
    interleave(
      options.warmup,
      options.runs,
      () => simulatorRun(keys),
      reference,
      (side, v, label) =>
        options.log(`  ${side === "ours" ? "ours " : "redis"}  ${label}: ${v.toFixed(0)} SET/s`),
    );
  const pairs = options.oursOnly
    ? await measure(null)
    : await withRedisReplication(options, (run) => measure(run));
  const ours = figure(pairs.ours);
  const reference = pairs.reference ? figure(pairs.reference) : null;
  return ratioRow({
    workload: "Engine throughput: replicated SETs (1 master, 2 replicas)",
    unit: "SET/s",
    ours,
    reference,
    referenceName: `redis-server, redis-benchmark -P ${PIPELINE}`,
    better: "higher",
    goalRatio: 1,
    notes:
      `${options.sets} SETs per run, 16-byte keys from ${KEY_SPACE}, ${VALUE_BYTES}-byte values; ` +
      `timed until every replica's offset equals the master's; ours: InProcessCluster, traceBytes off; ` +
      `runs alternate ours / redis`,
  });
}
