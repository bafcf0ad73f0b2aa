import { Interpreter } from "../scenario/interpreter";
import type { BurstSummary } from "./burst";
import { runBurst } from "./burst";
import { formatError, parseScenario } from "../scenario/parse";
import type { RunSummary } from "./runSummary";
import { summarizeRun } from "./runSummary";
import { WorkerCluster } from "./workerCluster";

/** What end-to-end tests drive the page with (`?harness=1`). */
export interface PlaygroundHarness {
  /** Runs a scenario on a fresh WorkerCluster with `seed`; resolves with its transcript and trace hash. */
  runScenario(
    text: string,
    seed: number,
  ): Promise<
    RunSummary & { readonly wallMs: number; readonly windows: number; readonly steps: number }
  >;
  /** `runBurst` on a fresh WorkerCluster (the whole trace kept). */
  runBurst(writes: number, seed: number, traceBytes: boolean): Promise<BurstSummary>;
  /** Starts `count` workers that spin, to load the machine. */
  startLoad(count: number): Promise<void>;
  stopLoad(): void;
}

declare global {
  interface Window {
    __playground?: PlaygroundHarness;
  }
}

const load: Worker[] = [];

async function runScenario(text: string, seed: number) {
  const parsed = parseScenario(text, "<harness>");
  if (!parsed.ok)
    return {
      transcript: parsed.errors.map(formatError),
      traceHash: "",
      wallMs: 0,
      windows: 0,
      steps: 0,
    };
  const script = parsed.script;
  const started = performance.now();
  const cluster = new WorkerCluster({
    seed,
    epochMs: script.epochMs,
    version: script.redisVersion,
    // The whole trace is hashed.
    traceLimit: Infinity,
  });
  try {
    const interpreter = new Interpreter(script, cluster);
    const result = await interpreter.run();
    const summary = await summarizeRun(interpreter.transcript, result, cluster.trace());
    return { ...summary, wallMs: performance.now() - started, ...cluster.stats() };
  } finally {
    cluster.dispose();
  }
}

async function burst(writes: number, seed: number, traceBytes: boolean): Promise<BurstSummary> {
  const cluster = new WorkerCluster({ seed, traceBytes, traceLimit: Infinity });
  try {
    return await runBurst(cluster, writes);
  } finally {
    cluster.dispose();
  }
}

async function startLoad(count: number): Promise<void> {
  const ready: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const worker = new Worker(new URL("./busy.worker.ts", import.meta.url), { type: "module" });
    load.push(worker);
    ready.push(
      new Promise((resolve) => worker.addEventListener("message", () => resolve(), { once: true })),
    );
    worker.postMessage("spin");
  }
  await Promise.all(ready);
}

function stopLoad(): void {
  for (const worker of load.splice(0)) worker.terminate();
}

/**
 * Exposes `window.__playground` when the page's URL has `?harness=1`, for the
 * end-to-end tests; otherwise does nothing. Call it once from the page entry.
 */
export function installHarness(): void {
  if (new URLSearchParams(window.location.search).get("harness") !== "1") return;
  window.__playground = { runScenario, runBurst: burst, startLoad, stopLoad };
}
