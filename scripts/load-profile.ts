/**
 * Profiles the playground's load (the bench's "Load: time to interactive"): a
 * Chrome trace from navigation until node m's panel shows and no long task has
 * run for a second. Prints when each script arrived, when m's panel showed,
 * every long task with what it ran, and the time to interactive.
 *
 *   npx tsx scripts/load-profile.ts [--build] [--runs N] [--trace] [--port P]
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "@playwright/test";
import type { Browser } from "@playwright/test";
import { build, preview } from "vite";
import { chromiumUseOptions } from "./chromium.mjs";

const ROOT = resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const SOURCE = resolve(value("--root", ROOT));
const DIST = resolve(value("--dist", join(ROOT, "dist-draw2-site")));
const OUT = resolve(value("--out", "/tmp/draw2-load"));
const PORT = Number(value("--port", "4794"));
const RUNS = Number(value("--runs", "3"));
const QUIET_MS = 1000;

interface Probe {
  __longTasks: { start: number; end: number }[];
  __readyAt: number | null;
}

async function once(browser: Browser, url: string, trace: boolean, i: number): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    const w = globalThis as unknown as Probe;
    w.__longTasks = [];
    w.__readyAt = null;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        w.__longTasks.push({ start: e.startTime, end: e.startTime + e.duration });
    }).observe({ type: "longtask" });
    new MutationObserver(() => {
      if (w.__readyAt === null && document.querySelector('[data-testid="node-panel-m"]'))
        w.__readyAt = performance.now();
    }).observe(document, { childList: true, subtree: true });
  });
  const cdp = trace ? await context.newCDPSession(page) : null;
  if (cdp)
    await cdp.send("Tracing.start", {
      transferMode: "ReturnAsStream",
      traceConfig: {
        includedCategories: [
          "devtools.timeline",
          "disabled-by-default-devtools.timeline",
          "v8.execute",
          "disabled-by-default-v8.cpu_profiler",
          "blink.user_timing",
          "loading",
        ],
      },
    });
  await page.goto(url, { waitUntil: "commit" });
  await page.locator('[data-testid="node-panel-m"]').waitFor({ state: "visible", timeout: 30_000 });
  let tti: number;
  for (;;) {
    const { now, ready, tasks } = await page.evaluate(() => {
      const w = globalThis as unknown as Probe;
      return {
        now: performance.now(),
        ready: w.__readyAt ?? performance.now(),
        tasks: w.__longTasks,
      };
    });
    const last = Math.max(0, ...tasks.map((t) => t.end));
    if (now - Math.max(ready, last) >= QUIET_MS) {
      tti = Math.max(ready, last);
      const scripts = await page.evaluate(() =>
        performance
          .getEntriesByType("resource")
          .filter((e) => /\.m?js(\?|$)/.test(e.name))
          .map(
            (e) =>
              `${e.name.split("/").pop()} ${e.startTime.toFixed(0)}→${(e as PerformanceResourceTiming).responseEnd.toFixed(0)}`,
          ),
      );
      const nav = await page.evaluate(() => {
        const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        return `dcl ${n.domContentLoadedEventEnd.toFixed(0)} load ${n.loadEventEnd.toFixed(0)}`;
      });
      console.log(
        `run ${i}: TTI ${tti.toFixed(0)} ms (m shown ${ready.toFixed(0)}, ${nav}); long tasks: ` +
          (tasks.map((t) => `${t.start.toFixed(0)}+${(t.end - t.start).toFixed(0)}`).join(", ") ||
            "none"),
      );
      console.log(`  scripts: ${scripts.join(", ")}`);
      break;
    }
    await page.waitForTimeout(100);
  }
  if (cdp) {
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
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, `trace-${i}.json`), text);
  }
  await context.close();
  return tti;
}

async function main(): Promise<void> {
  if (flag("--build") || !existsSync(DIST))
    await build({
      configFile: join(SOURCE, "vite.config.ts"),
      root: SOURCE,
      logLevel: "warn",
      build: { outDir: DIST, emptyOutDir: true, minify: !flag("--nominify") },
    });
  const server = await preview({
    configFile: join(SOURCE, "vite.config.ts"),
    root: SOURCE,
    logLevel: "warn",
    build: { outDir: DIST },
    preview: { port: PORT, strictPort: true, host: "127.0.0.1" },
  });
  const use = chromiumUseOptions() as {
    launchOptions?: { executablePath: string; args: string[] };
  };
  const browser = await chromium.launch({ headless: true, ...(use.launchOptions ?? {}) });
  try {
    const ttis: number[] = [];
    for (let i = 0; i < RUNS; i++)
      ttis.push(await once(browser, `http://127.0.0.1:${PORT}/index.html`, flag("--trace"), i));
    ttis.sort((a, b) => a - b);
    console.log(
      `TTI median ${ttis[Math.floor(ttis.length / 2)]?.toFixed(0)} ms, all ${ttis.map((t) => t.toFixed(0)).join(", ")}`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
