#!/usr/bin/env node
// The load budget (issue 9): the JavaScript that the first render of `?embed=1`
// needs, gzipped, may not exceed BUDGET_KB. `npm run build` runs this after
// `vite build` and fails when the budget is exceeded.
//
//   node scripts/bundle-budget.mjs [DIST]     (default dist/)
//
// What the first render needs is read from the build itself: the entry script
// of index.html, its modulepreloads, the chunks the embed's boot imports
// (EMBED_BOOT), and every chunk they import statically, with any worker
// script those chunks start (a worker inlined as a blob is part of its chunk
// already). Other chunks loaded with import() are left out: the page fetches
// them later, when a panel that needs them opens. The rest of the build is
// listed for scale. (`npm run bench` measures the same in Chromium, from what
// the page actually loads.)
import { readFileSync, readdirSync } from "node:fs";
import { join, posix } from "node:path";
import { gzipSync } from "node:zlib";

export const BUDGET_KB = 150;

/**
 * Modules src/ui/main.tsx imports with import() for `?embed=1` before the
 * first render (chunks are named after them); their static imports count too.
 * (The simulator, startRuntime, is imported too, but the first render does not wait for it.)
 */
export const EMBED_BOOT = ["EmbedApp"];

/** The same for the full page. */
export const PAGE_BOOT = ["App"];

/** Chunk names a chunk imports statically (`import … from "./x.js"`, `import "./x.js"`, `export … from`). */
function staticImports(/** @type {string} */ code) {
  /** @type {Set<string>} */
  const found = new Set();
  for (const re of [
    /\bfrom\s*["']\.\/([^"'\s]+\.js)["']/g,
    /\bimport\s*["']\.\/([^"'\s]+\.js)["']/g,
  ])
    for (const m of code.matchAll(re)) found.add(m[1] ?? "");
  return found;
}

/** Worker scripts a chunk starts from a file (`new URL("…worker….js", import.meta.url)`). */
function workerFiles(/** @type {string} */ code) {
  /** @type {Set<string>} */
  const found = new Set();
  for (const m of code.matchAll(/["'](?:\.\/|\/)?(?:assets\/)?([\w.-]*worker[\w.-]*\.js)["']/gi))
    found.add(m[1] ?? "");
  return found;
}

/** The scripts index.html loads at once: its module entries and modulepreloads. */
function entryScripts(/** @type {string} */ html) {
  /** @type {string[]} */
  const names = [];
  for (const m of html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g))
    names.push(m[1] ?? "");
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g))
    names.push(m[1] ?? "");
  return names.map((n) => posix.basename(n));
}

/**
 * @typedef {{ name: string, kb: number }} Script
 * @param {string} dist
 * @param {readonly string[]} boot  the chunks the first render imports (EMBED_BOOT or PAGE_BOOT)
 * @returns {{ first: Script[], rest: Script[], firstKb: number, restKb: number }}
 */
export function measure(dist, boot = EMBED_BOOT) {
  const assets = join(dist, "assets");
  const files = new Set(readdirSync(assets).filter((f) => f.endsWith(".js")));
  const gz = (/** @type {string} */ name) =>
    gzipSync(readFileSync(join(assets, name)), { level: 6 }).length / 1024;
  /** @type {Set<string>} */
  const needed = new Set();
  const queue = entryScripts(readFileSync(join(dist, "index.html"), "utf8"));
  if (queue.length === 0) throw new Error(`${dist}/index.html loads no module script`);
  for (const name of files)
    if (boot.some((chunk) => name.startsWith(`${chunk}-`))) queue.push(name);
  while (queue.length > 0) {
    const name = queue.shift() ?? "";
    if (needed.has(name)) continue;
    if (!files.has(name)) throw new Error(`index.html needs assets/${name}, which the build lacks`);
    needed.add(name);
    const code = readFileSync(join(assets, name), "utf8");
    for (const dep of [...staticImports(code), ...workerFiles(code)])
      if (files.has(dep)) queue.push(dep);
  }
  const first = [...needed].map((name) => ({ name, kb: gz(name) }));
  const rest = [...files].filter((f) => !needed.has(f)).map((name) => ({ name, kb: gz(name) }));
  const sum = (/** @type {Script[]} */ list) => list.reduce((a, f) => a + f.kb, 0);
  return { first, rest, firstKb: sum(first), restKb: sum(rest) };
}

function main() {
  const dist = process.argv[2] ?? "dist";
  const { first, rest, firstKb, restKb } = measure(dist);
  const line = (/** @type {Script} */ f) => `  ${f.kb.toFixed(1).padStart(7)} kB  ${f.name}`;
  const out = [
    `JavaScript for the first render of ?embed=1 (gzip), from ${dist}/:`,
    ...first.sort((a, b) => b.kb - a.kb).map(line),
    `  ${firstKb.toFixed(1).padStart(7)} kB  total; budget ${BUDGET_KB} kB`,
    `Loaded later or never by the page (dynamic imports, test pages): ${restKb.toFixed(1)} kB in ${rest.length} file(s)`,
  ];
  if (firstKb > BUDGET_KB) {
    process.stderr.write(out.join("\n") + "\n");
    process.stderr.write(
      `bundle budget exceeded: ${firstKb.toFixed(1)} kB > ${BUDGET_KB} kB. ` +
        `Load what the first render does not show with import(), or trim a dependency.\n`,
    );
    process.exit(1);
  }
  const page = measure(dist, PAGE_BOOT);
  out.push(`The full page's first render, for scale: ${page.firstKb.toFixed(1)} kB (gzip)`);
  process.stdout.write(out.join("\n") + "\n");
}

if (import.meta.url === `file://${process.argv[1]}`) main();
