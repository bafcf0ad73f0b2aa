/**
 * Profiles the drawing-under-load page (bench/page/playground.html) with a
 * Chrome trace: what the renderer's main thread does per frame while the master
 * takes 1,000 writes/s, every view open. Prints main-thread self time by event
 * (style, layout, paint, script ...), the heaviest JS functions, and saves a
 * screenshot and the raw trace.
 *
 *   npx tsx scripts/draw-profile.ts [--build] [--out DIR] [--seconds N] [--idle] [--shot]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "@playwright/test";
import { build, preview } from "vite";
import { chromiumUseOptions } from "./chromium.mjs";
import type { PlaygroundBenchWindow } from "../bench/page/api";

const ROOT = resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const OUT = resolve(value("--out", "/tmp/draw2-profile"));
/** Another checkout to build and profile instead of this one (an A/B against a base commit). */
const SOURCE = resolve(value("--root", ROOT));
const DIST = resolve(value("--dist", join(ROOT, "dist-draw2-bench")));
const SECONDS = Number(value("--seconds", "4"));
const IDLE = flag("--idle");
const PORT = Number(value("--port", "4792"));

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  if (flag("--build") || !existsSync(DIST)) {
    // Not minified, so the profile names functions.
    await build({
      configFile: join(SOURCE, "vite.config.ts"),
      root: SOURCE,
      logLevel: "warn",
      build: {
        outDir: DIST,
        emptyOutDir: true,
        minify: flag("--minify"),
        rollupOptions: { input: { playground: join(SOURCE, "bench/page/playground.html") } },
      },
    });
  }
  const server = await preview({
    configFile: join(ROOT, "vite.config.ts"),
    root: ROOT,
    logLevel: "warn",
    build: { outDir: DIST },
    preview: { port: PORT, strictPort: true, host: "127.0.0.1" },
  });
  const use = chromiumUseOptions() as {
    launchOptions?: { executablePath: string; args: string[] };
  };
  const browser = await chromium.launch({ headless: true, ...(use.launchOptions ?? {}) });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on("pageerror", (e) => console.log(`page error: ${e.message}`));
    // As source text: tsx's helpers (__name) do not exist in the page.
    if (flag("--dom"))
      await page.addInitScript({
        content: `var __name = (f) => f; (${instrumentDom.toString()})()`,
      });
    await page.goto(`http://127.0.0.1:${PORT}/bench/page/playground.html`);
    await page.locator("#status", { hasText: "ready" }).waitFor({ state: "attached" });
    const full = await page.evaluate(() =>
      (globalThis as PlaygroundBenchWindow).__playgroundBench!.prepareDrawing(5),
    );
    await page.setViewportSize({ width: 1440, height: Math.min(4000, full) });
    const result = page.evaluate(() =>
      (globalThis as PlaygroundBenchWindow).__playgroundBench!.drawingUnderLoad(8, 1000),
    );
    if (flag("--notrace")) {
      const run = await result;
      console.log(
        `${SOURCE === ROOT ? "this" : SOURCE}: idle p95 ${run.idle.p95Ms.toFixed(1)} p50 ${run.idle.p50Ms.toFixed(1)}; ` +
          `load p95 ${run.load.p95Ms.toFixed(1)} p50 ${run.load.p50Ms.toFixed(1)} frames ${run.load.frames}; ` +
          `longest ${run.load.longestTaskMs.toFixed(0)} (${run.load.longTasks}); ` +
          `virtual/wall ${(run.virtualSeconds / run.wallSeconds).toFixed(2)}`,
      );
      return;
    }
    if (IDLE) await page.waitForTimeout(4000);
    else {
      // The load starts after 9 s of idle; measure once the links stream.
      await page.waitForTimeout(9500);
      await page.locator('[data-testid="stream"]').first().waitFor({ state: "attached" });
      await page.waitForTimeout(1500);
      // The drawing while the links stream (the trace's own screenshot comes after the load).
      if (flag("--shot")) await page.screenshot({ path: join(OUT, "streams.png"), fullPage: true });
    }
    if (flag("--mutations")) {
      await page.addScriptTag({ content: "window.__name = (f) => f" });
      const census = await page.evaluate(mutationCensus, 3000);
      console.log("DOM mutations in 3 s under load, by target:");
      for (const [k, n] of census) console.log(`  ${String(n).padStart(6)} ${k}`);
    }
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Tracing.start", {
      transferMode: "ReturnAsStream",
      traceConfig: {
        includedCategories: [
          "devtools.timeline",
          "disabled-by-default-devtools.timeline",
          "disabled-by-default-devtools.timeline.frame",
          // Costly: it records a stack per node added or removed, so it skews what it measures.
          ...(flag("--invalidations")
            ? ["disabled-by-default-devtools.timeline.invalidationTracking"]
            : []),
          "v8.execute",
          ...(flag("--js") ? ["disabled-by-default-v8.cpu_profiler"] : []),
          "blink.user_timing",
          "v8",
          "blink",
          "cc",
        ],
      },
    });
    const virtualAt = () =>
      page.evaluate(() =>
        Number(document.querySelector("[data-time-us]")?.getAttribute("data-time-us") ?? 0),
      );
    const v0 = await virtualAt();
    await page.waitForTimeout(SECONDS * 1000);
    const v1 = await virtualAt();
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
    writeFileSync(join(OUT, "virtual.json"), JSON.stringify({ virtualUs: v1 - v0 }));
    // After the trace: a screenshot resizes the page, which is work of its own.
    await page.screenshot({ path: join(OUT, IDLE ? "idle.png" : "load.png"), fullPage: true });
    if (flag("--dom")) {
      const dom = await page.evaluate(
        () => (globalThis as unknown as { __dom: Record<string, [number, number]> }).__dom,
      );
      console.log("DOM calls by parent (ms, count):");
      for (const [k, [ms, n]] of Object.entries(dom)
        .sort((a, b) => b[1][0] - a[1][0])
        .slice(0, 20))
        console.log(`  ${ms.toFixed(0).padStart(6)} ms ${String(n).padStart(6)}x ${k}`);
    }
    const run = await result;
    console.log(
      `bench says: idle p95 ${run.idle.p95Ms.toFixed(1)} load p95 ${run.load.p95Ms.toFixed(1)} ` +
        `longest ${run.load.longestTaskMs.toFixed(0)} (${run.load.longTasks}) ` +
        `virtual/wall ${(run.virtualSeconds / run.wallSeconds).toFixed(2)}`,
    );
    summarise(JSON.parse(text) as { traceEvents: TraceEvent[] } | TraceEvent[], (v1 - v0) / 1e6);
  } finally {
    await browser.close();
    await server.close();
  }
}

/** In the page: counts DOM mutations by what they touched, for `ms`. */
function mutationCensus(ms: number): Promise<[string, number][]> {
  const counts = new Map<string, number>();
  const describe = (n: Node | null): string => {
    const parts: string[] = [];
    for (let e = n; e && parts.length < 3; e = e.parentNode) {
      if (e instanceof Element) {
        const id = e.getAttribute("data-testid");
        const cls =
          typeof e.className === "string"
            ? e.className.split(" ")[0]
            : (e.getAttribute("class") ?? "").split(" ")[0];
        parts.push(`${e.tagName.toLowerCase()}${id ? `[${id}]` : ""}${cls ? `.${cls}` : ""}`);
      } else if (e.nodeType === 3) parts.push("#text");
    }
    return parts.join(" < ");
  };
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      const key = `${r.type}${r.attributeName ? `:${r.attributeName}` : ""} ${describe(r.target)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  });
  observer.observe(document.body, {
    subtree: true,
    childList: true,
    attributes: true,
    characterData: true,
  });
  return new Promise((resolve) =>
    setTimeout(() => {
      observer.disconnect();
      resolve([...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40));
    }, ms),
  );
}

/** In the page: times removeChild/insertBefore/appendChild by the parent they act on. */
function instrumentDom(): void {
  const dom: Record<string, [number, number]> = {};
  (globalThis as unknown as { __dom: typeof dom }).__dom = dom;
  const describe = (n: Node): string => {
    const parts: string[] = [];
    for (let e: Node | null = n; e && parts.length < 3; e = e.parentNode) {
      if (e instanceof Element)
        parts.push(
          `${e.tagName.toLowerCase()}${e.getAttribute("data-testid") ? `[${e.getAttribute("data-testid")}]` : ""}${typeof e.className === "string" && e.className ? `.${e.className.split(" ")[0]}` : ""}`,
        );
    }
    return parts.join(" < ");
  };
  for (const name of ["removeChild", "insertBefore", "appendChild"] as const) {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with apply, on its node
    const original = Node.prototype[name] as (this: Node, ...a: unknown[]) => unknown;
    (Node.prototype as unknown as Record<string, unknown>)[name] = function (
      this: Node,
      ...a: unknown[]
    ) {
      const t = performance.now();
      const r = original.apply(this, a);
      const ms = performance.now() - t;
      const key = `${name} ${describe(this)}`;
      const v = (dom[key] ??= [0, 0]);
      v[0] += ms;
      v[1]++;
      return r;
    };
  }
}

function summarise(raw: { traceEvents: TraceEvent[] } | TraceEvent[], virtualSeconds = 0): void {
  const events = Array.isArray(raw) ? raw : raw.traceEvents;
  const main = events.find(
    (e) => e.name === "thread_name" && (e.args as { name?: string }).name === "CrRendererMain",
  );
  if (!main) throw new Error("no renderer main thread");
  // The renderer that ran the page: the one with most main-thread events.
  const counts = new Map<string, number>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const mains = events.filter(
    (e) => e.name === "thread_name" && (e.args as { name?: string }).name === "CrRendererMain",
  );
  mains.sort(
    (a, b) => (counts.get(`${b.pid}:${b.tid}`) ?? 0) - (counts.get(`${a.pid}:${a.tid}`) ?? 0),
  );
  const m = mains[0]!;
  const mine = events
    .filter((e) => e.pid === m.pid && e.tid === m.tid && e.ph === "X" && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const first = mine[0]?.ts ?? 0;
  const last = Math.max(...mine.map((e) => e.ts + (e.dur ?? 0)));
  const span = (last - first) / 1000;
  // Self time per name, by nesting.
  const self = new Map<string, number>();
  const totalByName = new Map<string, { total: number; count: number }>();
  const stack: { e: TraceEvent; end: number; child: number }[] = [];
  const close = (upTo: number) => {
    while (stack.length > 0 && stack[stack.length - 1]!.end <= upTo) {
      const top = stack.pop()!;
      self.set(top.e.name, (self.get(top.e.name) ?? 0) + (top.e.dur! - top.child));
    }
  };
  let busy = 0;
  for (const e of mine) {
    close(e.ts);
    const parent = stack[stack.length - 1];
    if (parent) parent.child += e.dur!;
    else busy += e.dur!;
    stack.push({ e, end: e.ts + e.dur!, child: 0 });
    const t = totalByName.get(e.name) ?? { total: 0, count: 0 };
    t.total += e.dur!;
    t.count++;
    totalByName.set(e.name, t);
  }
  close(Infinity);
  console.log(`main thread: ${span.toFixed(0)} ms traced, ${(busy / 1000).toFixed(0)} ms busy`);
  // Busy time by phase, per second traced: what a frame's budget goes to.
  const phases: Record<string, string[]> = {
    style: [
      "UpdateLayoutTree",
      "Document::recalcStyle",
      "Document::rebuildLayoutTree",
      "Blink.Style.UpdateTime",
    ],
    layout: ["Layout", "LocalFrameView::performLayout"],
    paint: [
      "Paint",
      "PrePaint",
      "Layerize",
      "Commit",
      "Blink.PrePaint.UpdateTime",
      "Blink.Paint.UpdateTime",
      "PaintArtifactCompositor::Update",
      "Blink.CompositingInputs.UpdateTime",
      "LocalFrameView::RunCompositingInputsLifecyclePhase",
      "ProxyMain::BeginMainFrame::commit",
    ],
    gc: [
      "MajorGC",
      "MinorGC",
      "V8.GC_HEAP_ENSURE_SWEEPING_COMPLETED",
      "V8.GCIncrementalMarkingStart",
      "V8.GCScavenger",
      "V8.GCFinalizeMC",
      "V8.GCIncrementalMarking",
    ],
  };
  const perPhase: string[] = [];
  let phased = 0;
  for (const [phase, names] of Object.entries(phases)) {
    let us = 0;
    for (const n of names) us += self.get(n) ?? 0;
    phased += us;
    perPhase.push(`${phase} ${((us / 1000 / span) * 1000).toFixed(0)}`);
  }
  perPhase.push(`script+other ${(((busy - phased) / 1000 / span) * 1000).toFixed(0)}`);
  console.log(
    `  ms per second: busy ${((busy / 1000 / span) * 1000).toFixed(0)}: ${perPhase.join(", ")}`,
  );
  if (virtualSeconds > 0) {
    const perVirtual = (us: number) => (us / 1000 / virtualSeconds).toFixed(0);
    const byPhase = Object.entries(phases).map(([phase, names]) => {
      let us = 0;
      for (const n of names) us += self.get(n) ?? 0;
      return `${phase} ${perVirtual(us)}`;
    });
    console.log(
      `  ms per virtual second (${virtualSeconds.toFixed(2)} s virtual in ${(span / 1000).toFixed(2)} s wall): busy ${perVirtual(busy)}: ${byPhase.join(", ")}, script+other ${perVirtual(busy - phased)}`,
    );
  }
  const long = mine.filter((e) => e.name === "RunTask" && (e.dur ?? 0) >= 50_000).length;
  console.log(`  tasks over 50 ms: ${long}`);
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
  for (const [name, us] of rows) {
    const t = totalByName.get(name)!;
    console.log(
      `  ${name.padEnd(32)} self ${(us / 1000).toFixed(0).padStart(6)} ms  total ${(t.total / 1000).toFixed(0).padStart(6)} ms  n=${t.count}`,
    );
  }
  // Layouts and style recalcs: how big, how many per frame, forced or not.
  const frames = events.filter(
    (e) => e.pid === m.pid && (e.name === "BeginMainThreadFrame" || e.name === "BeginFrame"),
  ).length;
  const layouts = mine.filter((e) => e.name === "Layout");
  const styles = mine.filter((e) => e.name === "UpdateLayoutTree");
  console.log(
    `frames (BeginMainThreadFrame): ${frames}, Layout: ${layouts.length}, UpdateLayoutTree: ${styles.length}`,
  );
  const dirty = layouts.map(
    (e) =>
      (e.args?.beginData as { dirtyObjects?: number; totalObjects?: number } | undefined) ?? {},
  );
  const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  console.log(
    `  layout dirty objects avg ${avg(dirty.map((d) => d.dirtyObjects ?? 0)).toFixed(0)} of ${avg(dirty.map((d) => d.totalObjects ?? 0)).toFixed(0)}`,
  );
  const elems = styles.map((e) => (e.args?.elementCount as number | undefined) ?? 0);
  console.log(`  style elementCount avg ${avg(elems).toFixed(0)}, max ${Math.max(0, ...elems)}`);
  // Forced layouts: Layout or UpdateLayoutTree inside script.
  const stackTraces = new Map<string, number>();
  for (const e of [...layouts, ...styles]) {
    const st = (
      e.args?.beginData as
        { stackTrace?: { functionName: string; url: string; lineNumber: number }[] } | undefined
    )?.stackTrace;
    if (st && st.length > 0) {
      const key = `${e.name} <- ${st
        .slice(0, 3)
        .map((f) => `${f.functionName}@${f.url.split("/").pop()}:${f.lineNumber}`)
        .join(" < ")}`;
      stackTraces.set(key, (stackTraces.get(key) ?? 0) + (e.dur ?? 0));
    }
  }
  for (const [k, us] of [...stackTraces.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10))
    console.log(`  forced: ${(us / 1000).toFixed(1)} ms ${k}`);
  // The main thread's profile: the Profile event on it names the id its chunks carry.
  const profile = events.find((e) => e.name === "Profile" && e.pid === m.pid && e.tid === m.tid) as
    (TraceEvent & { id?: string }) | undefined;
  profileFunctions(
    events.filter((e) => e.pid === m.pid && (e as TraceEvent & { id?: string }).id === profile?.id),
  );
}

/** JS self time by function from the trace's CPU profile chunks. */
function profileFunctions(events: TraceEvent[]): void {
  interface Node {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    parent?: number;
  }
  const nodes = new Map<number, Node>();
  const selfUs = new Map<number, number>();
  for (const e of events) {
    if (e.name !== "ProfileChunk") continue;
    const data = (e.args?.data ?? {}) as {
      cpuProfile?: { nodes?: Node[]; samples?: number[] };
      timeDeltas?: number[];
    };
    for (const n of data.cpuProfile?.nodes ?? []) nodes.set(n.id, n);
    const samples = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      const id = samples[i]!;
      selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
    }
  }
  const byFn = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = nodes.get(id);
    if (!n) continue;
    const f = n.callFrame;
    const key = `${f.functionName || "(anon)"} ${(f.url ?? "").split("/").pop()}:${f.lineNumber}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  console.log("JS self time by function (sampled):");
  const top = [...byFn.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30);
  for (const [k, us] of top) console.log(`  ${(us / 1000).toFixed(0).padStart(6)} ms ${k}`);
  // Who calls the heaviest: callers' chains (4 deep) of the top functions.
  const label = (n: Node) => `${n.callFrame.functionName || "(anon)"}:${n.callFrame.lineNumber}`;
  for (const [k] of top.slice(0, 6)) {
    const chains = new Map<string, number>();
    for (const [id, us] of selfUs) {
      const n = nodes.get(id);
      if (!n) continue;
      const f = n.callFrame;
      if (`${f.functionName || "(anon)"} ${(f.url ?? "").split("/").pop()}:${f.lineNumber}` !== k)
        continue;
      const chain: string[] = [];
      for (let p = n.parent; p !== undefined && chain.length < 7; p = nodes.get(p)?.parent) {
        const pn = nodes.get(p);
        if (pn) chain.push(label(pn));
      }
      const key = chain.join(" < ");
      chains.set(key, (chains.get(key) ?? 0) + us);
    }
    console.log(`callers of ${k}:`);
    for (const [c, us] of [...chains.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5))
      console.log(`    ${(us / 1000).toFixed(0).padStart(6)} ms ${c}`);
  }
}

const saved = value("--summarise", "");
if (saved) {
  const v = join(saved, "..", "virtual.json");
  const virtualUs = existsSync(v)
    ? (JSON.parse(readFileSync(v, "utf8")) as { virtualUs: number }).virtualUs
    : 0;
  summarise(
    JSON.parse(readFileSync(saved, "utf8")) as { traceEvents: TraceEvent[] },
    virtualUs / 1e6,
  );
} else await main();
