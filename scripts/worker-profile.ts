/**
 * Profiles the worker-runtime benchmark (bench/page/index.html's
 * `workerWrites`: 1 master and 3 replicas in node workers) with a Chrome
 * trace of every thread: how busy each thread was (its top-level tasks) over
 * the run, and the JavaScript functions with the most self time per thread.
 * It tells apart the two ways the runtime can be slow: threads that are busy
 * (CPU to cut) and threads that wait on each other (lockstep to overlap).
 *
 *   npx tsx scripts/worker-profile.ts [--writes N] [--out DIR] [--top N] [--minify]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "@playwright/test";
import { build, preview } from "vite";
import type { BenchWindow } from "../bench/page/api";
import { chromiumUseOptions } from "./chromium.mjs";

const ROOT = resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const value = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const OUT = resolve(value("--out", "/tmp/worker-profile"));
const WRITES = Number(value("--writes", "100000"));
const TOP = Number(value("--top", "15"));
const PORT = Number(value("--port", "4793"));

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: {
    name?: string;
    data?: {
      cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] };
      timeDeltas?: number[];
    };
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url?: string; lineNumber?: number };
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const dist = join(OUT, "dist");
  // Not minified unless asked, so the profile names functions.
  await build({
    configFile: join(ROOT, "vite.config.ts"),
    root: ROOT,
    logLevel: "warn",
    build: {
      outDir: dist,
      emptyOutDir: true,
      minify: args.includes("--minify"),
      rollupOptions: { input: { bench: join(ROOT, "bench/page/index.html") } },
    },
  });
  const server = await preview({
    configFile: join(ROOT, "vite.config.ts"),
    root: ROOT,
    logLevel: "warn",
    build: { outDir: dist },
    preview: { port: PORT, strictPort: true, host: "127.0.0.1" },
  });
  const use = chromiumUseOptions() as {
    launchOptions?: { executablePath: string; args: string[] };
  };
  const browser = await chromium.launch({ headless: true, ...(use.launchOptions ?? {}) });
  try {
    const page = await browser.newPage();
    page.on("pageerror", (e) => console.log(`page error: ${e.message}`));
    await page.goto(`http://127.0.0.1:${PORT}/bench/page/index.html`);
    const run = (n: number) =>
      page.evaluate((k) => (globalThis as BenchWindow).__bench!.workerWrites(k, 3), n);
    // A warm-up run, untraced: the page's own code is compiled by then.
    console.log(`warm-up: ${(await run(WRITES)).writesPerSec.toFixed(0)} writes/s`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Tracing.start", {
      transferMode: "ReturnAsStream",
      traceConfig: {
        includedCategories: ["toplevel", "v8.execute", "disabled-by-default-v8.cpu_profiler"],
      },
    });
    const started = Date.now();
    const result = await run(WRITES);
    const wallMs = Date.now() - started;
    const done = new Promise<string>((res) =>
      cdp.once("Tracing.tracingComplete", (e: { stream?: string }) => res(e.stream ?? "")),
    );
    await cdp.send("Tracing.end");
    const stream = await done;
    let text = "";
    for (;;) {
      const chunk = (await cdp.send("IO.read", { handle: stream })) as {
        data: string;
        eof: boolean;
      };
      text += chunk.data;
      if (chunk.eof) break;
    }
    await cdp.send("IO.close", { handle: stream });
    writeFileSync(join(OUT, "trace.json"), text);
    console.log(
      `traced: ${WRITES} writes, ${result.writesPerSec.toFixed(0)} writes/s, ` +
        `${result.windows} windows, ${result.steps} steps, ${wallMs} ms wall (trace in ${OUT})`,
    );
    const raw = JSON.parse(text) as { traceEvents: TraceEvent[] } | TraceEvent[];
    summarise(Array.isArray(raw) ? raw : raw.traceEvents, wallMs);
  } finally {
    await browser.close();
    await server.close();
  }
}

function summarise(events: TraceEvent[], wallMs: number): void {
  const threadNames = new Map<string, string>();
  for (const e of events)
    if (e.ph === "M" && e.name === "thread_name")
      threadNames.set(`${e.pid}:${e.tid}`, e.args?.name ?? "?");

  // Busy time: the top-level tasks each thread ran (nested tasks are not counted twice).
  const busy = new Map<string, number>();
  const ends = new Map<string, number>();
  const tasks = events
    .filter(
      (e) => e.ph === "X" && (e.name === "ThreadControllerImpl::RunTask" || e.name === "RunTask"),
    )
    .sort((a, b) => a.ts - b.ts);
  for (const e of tasks) {
    const k = `${e.pid}:${e.tid}`;
    const end = e.ts + (e.dur ?? 0);
    if ((ends.get(k) ?? -Infinity) >= end) continue;
    const from = Math.max(e.ts, ends.get(k) ?? -Infinity);
    busy.set(k, (busy.get(k) ?? 0) + (end - from));
    ends.set(k, end);
  }

  // Self time per function per thread, from the sampling profiles' chunks.
  const nodes = new Map<string, Map<number, ProfileNode>>();
  const self = new Map<string, Map<string, number>>();
  const profileThread = new Map<string, string>();
  for (const e of events) {
    if (e.name === "Profile" && e.id) profileThread.set(`${e.pid}:${e.id}`, `${e.pid}:${e.tid}`);
  }
  for (const e of events) {
    if (e.name !== "ProfileChunk" || !e.id) continue;
    const thread = profileThread.get(`${e.pid}:${e.id}`) ?? `${e.pid}:${e.tid}`;
    const data = e.args?.data;
    const known = nodes.get(thread) ?? new Map<number, ProfileNode>();
    nodes.set(thread, known);
    for (const n of data?.cpuProfile?.nodes ?? []) known.set(n.id, n);
    const samples = data?.cpuProfile?.samples ?? [];
    const deltas = data?.timeDeltas ?? [];
    const table = self.get(thread) ?? new Map<string, number>();
    self.set(thread, table);
    for (let i = 0; i < samples.length; i++) {
      const n = known.get(samples[i] ?? -1);
      const f = n?.callFrame;
      const name = f
        ? `${f.functionName || "(anonymous)"} ${(f.url ?? "").split("/").pop() ?? ""}`
        : "?";
      table.set(name, (table.get(name) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
    }
  }

  console.log(`\nthread busy time over ${wallMs} ms of wall time:`);
  const threads = [...busy].sort((a, b) => b[1] - a[1]);
  for (const [k, us] of threads.slice(0, 12)) {
    console.log(
      `  ${(us / 1000).toFixed(0).padStart(6)} ms ${((100 * us) / 1000 / wallMs).toFixed(0).padStart(3)}%  ${threadNames.get(k) ?? k}`,
    );
  }
  for (const [k, table] of self) {
    const total = [...table.values()].reduce((a, b) => a + b, 0);
    if (total < 50_000) continue;
    console.log(`\n${threadNames.get(k) ?? k}: ${(total / 1000).toFixed(0)} ms sampled`);
    for (const [name, us] of [...table].sort((a, b) => b[1] - a[1]).slice(0, TOP))
      console.log(
        `  ${(us / 1000).toFixed(0).padStart(6)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`,
      );
  }
}

await main();
