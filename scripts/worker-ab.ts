/**
 * An A/B of the worker-runtime benchmark between two checkouts: builds each
 * one's bench page, opens both in one browser and runs `workerWrites` (1
 * master, 3 replicas) on them in turn, so both see the same machine load.
 * Prints each side's median and runs.
 *
 *   npx tsx scripts/worker-ab.ts A_ROOT B_ROOT [--writes N] [--rounds N]
 */
import { join, resolve } from "node:path";
import type { Page } from "@playwright/test";
import { chromium } from "@playwright/test";
import type { PreviewServer } from "vite";
import { build, preview } from "vite";
import type { BenchWindow } from "../bench/page/api";
import { chromiumUseOptions } from "./chromium.mjs";

const args = process.argv.slice(2);
const value = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const roots = args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
const WRITES = Number(value("--writes", "100000"));
const ROUNDS = Number(value("--rounds", "6"));

async function serve(root: string, index: number): Promise<[PreviewServer, string]> {
  const outDir = `/tmp/worker-ab/dist${index}`;
  const configFile = join(root, "vite.config.ts");
  const input = { bench: join(root, "bench/page/index.html") };
  await build({
    configFile,
    root,
    logLevel: "warn",
    build: { outDir, emptyOutDir: true, rollupOptions: { input } },
  });
  const port = 4811 + index;
  const server = await preview({
    configFile,
    root,
    logLevel: "warn",
    build: { outDir },
    preview: { port, strictPort: true, host: "127.0.0.1" },
  });
  return [server, `http://127.0.0.1:${port}/bench/page/index.html`];
}

async function main(): Promise<void> {
  if (roots.length !== 2)
    throw new Error("usage: worker-ab.ts A_ROOT B_ROOT [--writes N] [--rounds N]");
  const sides = await Promise.all(roots.map((r, i) => serve(resolve(r), i)));
  const use = chromiumUseOptions() as { launchOptions?: Record<string, unknown> };
  const browser = await chromium.launch({ headless: true, ...(use.launchOptions ?? {}) });
  try {
    const pages: Page[] = [];
    for (const [, url] of sides) {
      const page = await browser.newPage();
      await page.goto(url);
      pages.push(page);
    }
    const run = async (page: Page) =>
      (await page.evaluate((n) => (globalThis as BenchWindow).__bench!.workerWrites(n, 3), WRITES))
        .writesPerSec;
    for (const page of pages) await run(page); // warm-up
    const rates: number[][] = [[], []];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which side goes first, so neither always follows the other.
      for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) {
        const page = pages[i];
        if (page) rates[i]?.push(await run(page));
      }
    }
    roots.forEach((root, i) => {
      const r = rates[i] ?? [];
      const sorted = [...r].sort((a, b) => a - b);
      const median = sorted[sorted.length >> 1] ?? NaN;
      console.log(
        `${root}: median ${median.toFixed(0)} writes/s (${r.map((v) => v.toFixed(0)).join(", ")})`,
      );
    });
  } finally {
    await browser.close();
    for (const [server] of sides) await server.close();
  }
}

await main();
