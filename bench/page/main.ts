/// <reference lib="dom" />
/**
 * The benchmark page: measures the worker runtime and the raw MessageChannel
 * rate in the same page, and exposes them as `window.__bench` (see api.ts).
 * Built by Vite beside the playground (src/cli/bench/browser.ts does it).
 */
import { WorkerCluster } from "../../src/host/workerCluster";
import type { BenchApi, BenchWindow, BigSyncResult, WorkerWritesResult } from "./api";
import type { FromChannelWorker, ToChannelWorker } from "./channel.worker";

const VALUE = "x".repeat(64);
/** Writes submitted per main-thread task. */
const SUBMITS_PER_TASK = 1000;

/**
 * Yields to the event loop: the rest runs in a new task. Not `setTimeout(0)`:
 * from the fifth nested timer on, Chromium waits at least 4 ms, so 20 yields
 * added about 80 ms of idle time to a run of a few hundred (measured: 62 ms
 * for 20 awaited `setTimeout(0)` against 0.6 ms for 20 MessageChannel tasks).
 */
const yieldChannel = new MessageChannel();
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    yieldChannel.port1.onmessage = () => resolve();
    yieldChannel.port2.postMessage(null);
  });
}

function key(i: number): string {
  return `key:${String(i % 100_000).padStart(12, "0")}`;
}

/** Records the Long Tasks API's entries (main-thread tasks over 50 ms) while `body` runs. */
async function watchLongTasks<T>(body: () => Promise<T>): Promise<[T, number, number]> {
  let longest = 0;
  let count = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      longest = Math.max(longest, entry.duration);
      count++;
    }
  });
  observer.observe({ type: "longtask" });
  try {
    const result = await body();
    // Entries are delivered asynchronously: let the last ones in.
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (const entry of observer.takeRecords()) {
      longest = Math.max(longest, entry.duration);
      count++;
    }
    return [result, longest, count];
  } finally {
    observer.disconnect();
  }
}

async function requireSynced(cluster: WorkerCluster, master: string, replicas: string[]) {
  const offset = (await cluster.snapshot(master)).info.get("master_repl_offset");
  for (const r of replicas) {
    const info = (await cluster.snapshot(r)).info;
    if (info.get("master_link_status") !== "up" || info.get("slave_repl_offset") !== offset)
      throw new Error(`${r} at ${info.get("slave_repl_offset")}, master at ${offset}`);
  }
}

async function workerWrites(n: number, replicaCount: number): Promise<WorkerWritesResult> {
  const cluster = new WorkerCluster({ seed: 1, traceBytes: false });
  try {
    const config = new Map<string, string>();
    const replicas = Array.from({ length: replicaCount }, (_, i) => `r${i + 1}`);
    await cluster.startNode({ name: "m", config });
    for (const r of replicas) await cluster.startNode({ name: r, replicaOf: "m", config });
    if (!(await cluster.settle(60_000_000))) throw new Error("replicas did not sync");
    const before = cluster.stats();
    const [seconds, longest] = await watchLongTasks(async () => {
      const started = performance.now();
      // A client hands over its writes task by task, as a page would, not in one long task.
      for (let from = 0; from < n; from += SUBMITS_PER_TASK) {
        const writes: string[][] = [];
        for (let i = from; i < Math.min(n, from + SUBMITS_PER_TASK); i++)
          writes.push(["SET", key(i), VALUE]);
        await cluster.submitMany("m", "bench", writes);
        await nextTask();
      }
      await cluster.advance(0);
      if (!(await cluster.settle(60_000_000))) throw new Error("replicas did not catch up");
      return (performance.now() - started) / 1000;
    });
    const after = cluster.stats();
    await requireSynced(cluster, "m", replicas);
    return {
      writesPerSec: n / seconds,
      windows: after.windows - before.windows,
      steps: after.steps - before.steps,
      longestTaskMs: longest,
    };
  } finally {
    cluster.dispose();
  }
}

function channelWorker(): Worker {
  return new Worker(new URL("./channel.worker.ts", import.meta.url), { type: "module" });
}

function nextMessage(worker: Worker, type: FromChannelWorker["type"]): Promise<void> {
  return new Promise((resolve) => {
    const listener = (e: MessageEvent<FromChannelWorker>) => {
      if (e.data.type !== type) return;
      worker.removeEventListener("message", listener);
      resolve();
    };
    worker.addEventListener("message", listener);
  });
}

async function channelRate(n: number): Promise<number> {
  const sender = channelWorker();
  const receiver = channelWorker();
  const post = (w: Worker, m: ToChannelWorker, transfer: Transferable[] = []) =>
    w.postMessage(m, transfer);
  try {
    for (const w of [sender, receiver]) {
      const pong = nextMessage(w, "pong");
      post(w, { type: "ping" });
      await pong;
    }
    const channel = new MessageChannel();
    post(sender, { type: "port", port: channel.port1 }, [channel.port1]);
    post(receiver, { type: "port", port: channel.port2 }, [channel.port2]);
    post(receiver, { type: "expect", n });
    // One write as it travels between Redis processes: the RESP of SET key value.
    const payload = `*3\r\n$3\r\nSET\r\n$16\r\n${key(1)}\r\n$64\r\n${VALUE}\r\n`;
    const done = nextMessage(receiver, "received");
    const started = performance.now();
    post(sender, { type: "send", n, payload });
    await done;
    return n / ((performance.now() - started) / 1000);
  } finally {
    sender.terminate();
    receiver.terminate();
  }
}

async function bigSync(keys: number): Promise<BigSyncResult> {
  const cluster = new WorkerCluster({ seed: 1, traceBytes: false });
  try {
    await cluster.startNode({ name: "m", config: new Map([["repl-diskless-sync-delay", "0"]]) });
    await cluster.startNode({ name: "r1", config: new Map() });
    await cluster.command("m", "bench", ["DEBUG", "POPULATE", String(keys)]);
    await cluster.settle(10_000_000);
    const [syncMs, longest, count] = await watchLongTasks(async () => {
      const started = performance.now();
      await cluster.command("r1", "bench", ["REPLICAOF", "m", "6379"]);
      if (!(await cluster.settle(600_000_000))) throw new Error("the replica did not sync");
      return performance.now() - started;
    });
    await requireSynced(cluster, "m", ["r1"]);
    return { syncMs, longestTaskMs: longest, longTasks: count };
  } finally {
    cluster.dispose();
  }
}

const api: BenchApi = { workerWrites, channelRate, bigSync };
(window as BenchWindow).__bench = api;
const status = document.getElementById("status");
if (status) status.textContent = "ready";
