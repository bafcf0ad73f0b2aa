// `npm test`: the whole check, in CI order, stopping at the first failure.
//
//   format → types → lint → unit → build → e2e → conformance → budget
//
// Installs npm dependencies when needed, and the system programs the selected stages need
// (Chromium for e2e, redis-server for conformance). Run with --help for the options.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDeps } from "./ensure-deps.mjs";
import { describeSystem, ensureSystem } from "./ensure-system.mjs";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));

/**
 * @typedef {object} Stage
 * @property {string} name
 * @property {string} title        what the summary prints
 * @property {string} pkg          npm package providing the command ("" for npm itself)
 * @property {string} bin          its bin name, or the npm script to run
 * @property {string[]} args
 * @property {import("./ensure-system.mjs").SystemTool[]} needs
 */

/** @type {Stage[]} */
const STAGES = [
  {
    name: "format",
    title: "prettier --check .",
    pkg: "prettier",
    bin: "prettier",
    args: ["--check", "."],
    needs: [],
  },
  { name: "types", title: "tsc -b", pkg: "typescript", bin: "tsc", args: ["-b"], needs: [] },
  {
    name: "lint",
    title: "eslint --max-warnings 0 .",
    pkg: "eslint",
    bin: "eslint",
    args: ["--max-warnings", "0", "."],
    needs: [],
  },
  {
    name: "unit",
    title: "vitest run",
    pkg: "vitest",
    bin: "vitest",
    args: ["run"],
    // Some unit tests check the engine against a real redis-server (skipped without one).
    needs: ["redis-server"],
  },
  { name: "build", title: "vite build", pkg: "vite", bin: "vite", args: ["build"], needs: [] },
  {
    name: "e2e",
    title: "playwright test",
    pkg: "@playwright/test",
    bin: "playwright",
    args: ["test"],
    needs: ["chromium"],
  },
  {
    name: "conformance",
    title: "npm run conformance",
    pkg: "",
    bin: "conformance",
    args: [],
    needs: ["redis-server"],
  },
  {
    // Last, so an oversized bundle does not hide what the tests say; `npm run build` fails on it too.
    name: "budget",
    title: "bundle budget: 150 kB gzipped for the first render of ?embed=1",
    pkg: "",
    bin: "budget",
    args: [],
    needs: [],
  },
];

const HELP = `Usage: npm test [-- options]        (or: node scripts/test.mjs [options])

Runs, in order, stopping at the first failure:
${STAGES.map((s) => `  ${s.name.padEnd(12)} ${s.title}`).join("\n")}

conformance runs only when package.json has a "conformance" script.

Options:
  --only a,b    run only these stages (e.g. --only unit,e2e); e2e also runs build,
                because it tests the production build in dist/
  --skip a,b    run every stage except these
  --help        show this help

Before the stages it installs npm dependencies if node_modules is missing or stale, and the
system programs the chosen stages need: redis-server for unit and conformance, Chromium for
e2e (as root on Debian/Ubuntu with apt-get; elsewhere it prints the command to run).
CHROMIUM_PATH=/path/to/chrome picks the browser for e2e.`;

/** Parses a comma-separated stage list, exiting on unknown names. */
function parseStageList(/** @type {string | undefined} */ value, /** @type {string} */ flag) {
  if (!value) fail(`${flag} needs a comma-separated list of stages.`);
  const names = value.split(",").map((s) => s.trim());
  for (const name of names) {
    if (!STAGES.some((s) => s.name === name)) {
      fail(`Unknown stage "${name}". Stages: ${STAGES.map((s) => s.name).join(", ")}.`);
    }
  }
  return names;
}

/** @returns {never} */
function fail(/** @type {string} */ message) {
  console.error(message);
  console.error("Run with --help for usage.");
  process.exit(2);
}

/** Which stages to run, from the command line. */
function selectStages(/** @type {string[]} */ argv) {
  /** @type {Set<string>} */
  let selected = new Set(STAGES.map((s) => s.name));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [flag, inline] = arg.split("=", 2);
    if (flag === "--help" || flag === "-h") {
      console.log(HELP);
      process.exit(0);
    } else if (flag === "--only") {
      selected = new Set(parseStageList(inline ?? argv[++i], "--only"));
      if (selected.has("e2e")) selected.add("build");
    } else if (flag === "--skip") {
      for (const name of parseStageList(inline ?? argv[++i], "--skip")) selected.delete(name);
    } else {
      fail(`Unknown argument "${arg}".`);
    }
  }
  return STAGES.filter((s) => selected.has(s.name));
}

/** Parses a JSON file. */
function readJson(/** @type {string} */ file) {
  /** @type {unknown} */
  const value = JSON.parse(readFileSync(file, "utf8"));
  return value;
}

/** Returns the JS file behind a package's bin, so it runs with this Node on any OS. */
function binScript(/** @type {string} */ pkg, /** @type {string} */ bin) {
  const require = createRequire(join(root, "package.json"));
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = /** @type {{ bin?: string | Record<string, string> }} */ (
    readJson(manifestPath)
  );
  const entry = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.[bin];
  if (!entry) throw new Error(`${pkg} has no "${bin}" bin`);
  return join(dirname(manifestPath), entry);
}

function hasNpmScript(/** @type {string} */ name) {
  const pkg = /** @type {{ scripts?: Record<string, string> }} */ (
    readJson(join(root, "package.json"))
  );
  return typeof pkg.scripts?.[name] === "string";
}

/** Runs one stage with inherited output; returns its exit status. */
function runStage(/** @type {Stage} */ stage) {
  const windows = process.platform === "win32";
  const [command, args, shell] = stage.pkg
    ? [process.execPath, [binScript(stage.pkg, stage.bin), ...stage.args], false]
    : [windows ? "npm.cmd" : "npm", ["run", stage.bin, ...stage.args], windows];
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", shell });
  if (result.error) console.error(result.error.message);
  return result.status ?? 1;
}

function seconds(/** @type {number} */ ms) {
  return `${(ms / 1000).toFixed(1)}s`;
}

// ---------------------------------------------------------------------------------------

let stages = selectStages(process.argv.slice(2));
if (stages.some((s) => s.name === "conformance") && !hasNpmScript("conformance")) {
  console.log('No "conformance" script in package.json yet: skipping the conformance stage.');
  stages = stages.filter((s) => s.name !== "conformance");
}

ensureDeps();
const tools = [...new Set(stages.flatMap((s) => s.needs))];
if (tools.length > 0) {
  ensureSystem(tools);
  describeSystem(tools);
}

/** @type {{ name: string, title: string, status: "passed" | "FAILED" | "not run", ms: number }[]} */
const results = stages.map((s) => ({ name: s.name, title: s.title, status: "not run", ms: 0 }));
const started = performance.now();
let failed = false;

for (const [i, stage] of stages.entries()) {
  const result = results[i];
  if (!result) continue;
  console.log(`\n━━ ${stage.name}: ${stage.title}`);
  const t0 = performance.now();
  const status = runStage(stage);
  result.ms = performance.now() - t0;
  result.status = status === 0 ? "passed" : "FAILED";
  console.log(`━━ ${stage.name} ${result.status} in ${seconds(result.ms)}`);
  if (status !== 0) {
    failed = true;
    break;
  }
}

console.log("\nSummary");
for (const r of results) {
  const time = r.status === "not run" ? "" : seconds(r.ms);
  console.log(`  ${r.status.padEnd(8)} ${r.name.padEnd(12)} ${time.padStart(7)}  ${r.title}`);
}
console.log(`  total ${seconds(performance.now() - started)}`);
// A closing line CI can read: how many stages passed and failed.
const passedCount = results.filter((r) => r.status === "passed").length;
const failedCount = results.filter((r) => r.status === "FAILED").length;
console.log(`stages: ${passedCount} passed, ${failedCount} failed`);
process.exit(failed ? 1 : 0);
