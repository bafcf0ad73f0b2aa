// Which Chromium the end-to-end tests launch, shared by playwright.config.ts and
// scripts/ensure-system.mjs so that both agree.
//
// Preference: the browser Playwright installed itself (`npx playwright install chromium`),
// else a system Chromium (Debian's `chromium` package) driven through executablePath.
// CHROMIUM_PATH overrides both.
//
// Plain Node: playwright-core is loaded lazily, so this module can be imported before
// node_modules exists.

import { existsSync } from "node:fs";
import { createRequire } from "node:module";

/** Flags a system Chromium needs to run headless as root, in a container, offline. */
export const SYSTEM_CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Where distributions put Chromium, in the order we look. */
const SYSTEM_CHROMIUM_PATHS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/snap/bin/chromium",
];

/**
 * @typedef {{ source: "env" | "playwright" | "system", executablePath: string }} FoundChromium
 */

/** Returns the path of Playwright's own Chromium if it is installed, else null. */
export function playwrightChromiumPath() {
  try {
    const require = createRequire(import.meta.url);
    /** @type {unknown} */
    const loaded = require("playwright-core");
    const playwright = /** @type {{ chromium: { executablePath(): string } }} */ (loaded);
    const path = playwright.chromium.executablePath();
    return path && existsSync(path) ? path : null;
  } catch {
    // playwright-core not installed yet, or no build for this platform.
    return null;
  }
}

/** Finds the Chromium the tests will use, or returns null when there is none. */
export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? { source: "env", executablePath: fromEnv } : null;
  const own = playwrightChromiumPath();
  if (own) return { source: "playwright", executablePath: own };
  const system = SYSTEM_CHROMIUM_PATHS.find((p) => existsSync(p));
  return system ? { source: "system", executablePath: system } : null;
}

/**
 * Playwright `use` options for the Chromium found: Playwright's own build through the
 * "chromium" channel (new headless mode, the exact binary checked above), otherwise the
 * system binary with the flags it needs. With nothing found, Playwright's defaults, so
 * that its own "please run npx playwright install" message shows.
 */
export function chromiumUseOptions() {
  const found = findChromium();
  if (found?.source === "playwright") return { channel: "chromium" };
  if (found) {
    return {
      launchOptions: { executablePath: found.executablePath, args: SYSTEM_CHROMIUM_ARGS },
    };
  }
  return {};
}
