import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// One config for the dev server, the production build and Vitest.
export default defineConfig({
  plugins: [
    react(),
    {
      // index.html's Content-Security-Policy forbids inline scripts and connections; the dev
      // server needs both (React refresh, the hot-reload socket), so it serves the page without.
      name: "no-csp-in-dev",
      apply: "serve",
      transformIndexHtml: (html) =>
        html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/, ""),
    },
  ],
  // Relative asset URLs, so the built site works from any path (it is embedded elsewhere).
  base: "./",
  // Node workers are module workers (`new Worker(new URL(...), { type: "module" })`).
  worker: { format: "es" },
  server: { port: 5173, strictPort: true },
  preview: { port: 4173, strictPort: true },
  build: { sourcemap: true },
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx", "scenarios/**/*.test.ts"],
    environment: "node",
    // Simulation tests run minutes of virtual time; on a 2-core CI machine running the
    // whole suite in parallel, 5 s is too tight for the largest of them.
    testTimeout: 30_000,
  },
});
