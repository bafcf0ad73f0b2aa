// Installs the npm dependencies when node_modules is missing or stale.
//
// Stale means: the hash of package-lock.json and of the dependency fields of package.json
// differs from the one written to node_modules/.install-stamp after the last successful
// install. Editing "scripts" does not make node_modules stale.
//
// Usage: node scripts/ensure-deps.mjs
// Plain Node, no third-party imports: it runs before node_modules exists.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const lockPath = join(root, "package-lock.json");
const stampPath = join(root, "node_modules", ".install-stamp");

/** package.json fields that change what `npm install` puts in node_modules. */
const DEPENDENCY_FIELDS = [
  "dependencies",
  "devDependencies",
  "optionalDependencies",
  "peerDependencies",
  "overrides",
  "allowScripts",
];

/** Hash of everything that decides the contents of node_modules. */
function installHash() {
  /** @type {unknown} */
  const json = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const pkg = /** @type {Record<string, unknown>} */ (json);
  const hash = createHash("sha256");
  hash.update(JSON.stringify(DEPENDENCY_FIELDS.map((field) => [field, pkg[field] ?? null])));
  hash.update("\0");
  hash.update(existsSync(lockPath) ? readFileSync(lockPath) : "no lockfile");
  hash.update("\0");
  hash.update(process.version.split(".")[0] ?? ""); // native binaries depend on Node's major
  return hash.digest("hex");
}

/** Why node_modules needs an install, or null when it is up to date. */
function staleReason(/** @type {string} */ hash) {
  if (!existsSync(join(root, "node_modules"))) return "node_modules is missing";
  if (!existsSync(stampPath)) return "node_modules was not installed by this script yet";
  const stamp = readFileSync(stampPath, "utf8").trim();
  if (stamp !== hash) return "package.json or package-lock.json changed since the last install";
  return null;
}

/**
 * Installs dependencies if needed; returns whether it installed. Exits the process with 1
 * when the install fails.
 */
export function ensureDeps() {
  const hash = installHash();
  const reason = staleReason(hash);
  if (reason === null) return false;

  const args = existsSync(lockPath) ? ["ci"] : ["install"];
  console.log(`Installing dependencies with npm ${args[0]} (${reason})…`);
  const windows = process.platform === "win32";
  const result = spawnSync(windows ? "npm.cmd" : "npm", args, {
    cwd: root,
    stdio: "inherit",
    shell: windows,
  });
  if (result.status !== 0) {
    console.error(`\nnpm ${args[0]} failed (exit ${result.status ?? result.signal}).`);
    if (args[0] === "ci") {
      console.error(
        "If package.json and package-lock.json disagree, run `npm install` to update the lockfile.",
      );
    }
    process.exit(1);
  }
  writeFileSync(stampPath, `${hash}\n`);
  console.log("Dependencies installed.");
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  if (!ensureDeps()) console.log("Dependencies are up to date.");
}
