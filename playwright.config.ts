import { defineConfig, devices } from "@playwright/test";
import { chromiumUseOptions } from "./scripts/chromium.mjs";

const CI = Boolean(process.env.CI);
// Several checkouts (or helpers) can run e2e at once, each on its own build and port:
// `E2E_PORT=4180 E2E_DIST=dist-a npx playwright test` after `npx vite build --outDir dist-a`.
const PORT = Number(process.env.E2E_PORT ?? 4173);
const DIST = process.env.E2E_DIST ?? "dist";

// End-to-end tests run against the production build (`vite build` first; `npm test` does),
// served by `vite preview`.
export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  workers: CI ? 1 : 2,
  reporter: "list",
  use: {
    baseURL: `http://localhost:${PORT}/`,
    trace: "on-first-retry",
  },
  projects: [
    {
      name: "chromium",
      // Playwright's own Chromium when installed, else the system's (scripts/chromium.mjs).
      use: { ...devices["Desktop Chrome"], headless: true, ...chromiumUseOptions() },
    },
  ],
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort --outDir ${DIST}`,
    url: `http://localhost:${PORT}/`,
    reuseExistingServer: !CI,
    timeout: 60_000,
  },
});
