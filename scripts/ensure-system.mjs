// Makes sure the system programs a command needs are present: a Chromium for the
// end-to-end tests and redis-server for the conformance run. As root on Debian or Ubuntu
// it installs what is missing with apt-get; anywhere else it says what to run and fails.
//
// Usage: node scripts/ensure-system.mjs [chromium] [redis-server]   (default: both)
// Plain Node, no third-party imports.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import { findChromium } from "./chromium.mjs";

/** @typedef {"chromium" | "redis-server"} SystemTool */

/** Why each tool is needed, for the messages. */
const PURPOSE = {
  chromium: "needed for the end-to-end tests",
  "redis-server": "needed to check the engine against real Redis",
};

/** Returns the full path of `name` on PATH, or null. */
export function which(/** @type {string} */ name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** Returns where `tool` is, or null when it is missing. */
function locate(/** @type {SystemTool} */ tool) {
  return tool === "chromium" ? (findChromium()?.executablePath ?? null) : which("redis-server");
}

function canUseApt() {
  return (
    process.platform === "linux" &&
    typeof process.getuid === "function" &&
    process.getuid() === 0 &&
    existsSync("/etc/debian_version") &&
    which("apt-get") !== null
  );
}

/** Runs a command with inherited output; returns true when it exits with 0. */
function run(/** @type {string} */ command, /** @type {string[]} */ args) {
  console.log(`$ ${[command, ...args].join(" ")}`);
  const result = spawnSync(command, args, {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  return result.status === 0;
}

let aptUpdated = false;

/**
 * Ensures every tool in `tools` is installed, installing with apt-get when allowed.
 * Returns normally when all are present; otherwise prints what to do and exits with 1.
 * @param {readonly SystemTool[]} tools
 */
export function ensureSystem(tools) {
  /** @type {SystemTool[]} */
  const missing = [];
  for (const tool of tools) {
    const path = locate(tool);
    if (path) continue;
    const chromiumPath = process.env.CHROMIUM_PATH;
    if (tool === "chromium" && chromiumPath) {
      console.error(`CHROMIUM_PATH is set to ${chromiumPath}, which does not exist.`);
    } else if (canUseApt()) {
      console.log(`Installing ${tool} with apt-get (${PURPOSE[tool]})…`);
      if (!aptUpdated) aptUpdated = run("apt-get", ["update"]);
      const ok = aptUpdated && run("apt-get", ["install", "-y", "--no-install-recommends", tool]);
      if (ok && locate(tool)) continue;
      console.error(`Could not install ${tool} with apt-get.`);
    }
    missing.push(tool);
  }
  if (missing.length === 0) return;

  console.error("");
  for (const tool of missing) console.error(`Missing: ${tool} (${PURPOSE[tool]}).`);
  console.error("\nInstall it, then run the command again:");
  console.error(`  sudo apt-get install ${missing.join(" ")}`);
  if (missing.includes("chromium")) {
    console.error("For the browser, this also works on any system:");
    console.error("  npx playwright install chromium");
    console.error("or point CHROMIUM_PATH at a Chromium or Chrome binary.");
  }
  if (missing.includes("redis-server")) {
    console.error("(macOS: brew install redis)");
  }
  process.exit(1);
}

/** Prints the version of each tool, for logs. */
export function describeSystem(/** @type {readonly SystemTool[]} */ tools) {
  for (const tool of tools) {
    if (tool === "chromium") {
      const found = findChromium();
      console.log(
        found ? `chromium: ${found.executablePath} (${found.source})` : "chromium: not found",
      );
    } else {
      const path = which("redis-server");
      const version = path
        ? spawnSync(path, ["--version"], { encoding: "utf8" }).stdout.trim()
        : "not found";
      console.log(`redis-server: ${version}`);
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  /** @type {SystemTool[]} */
  const tools = [];
  for (const arg of args.length > 0 ? args : ["chromium", "redis-server"]) {
    if (arg !== "chromium" && arg !== "redis-server") {
      console.error(`Unknown tool "${arg}"; expected chromium or redis-server.`);
      process.exit(2);
    }
    tools.push(arg);
  }
  ensureSystem(tools);
  describeSystem(tools);
}
