// `npm start`: installs dependencies if needed, then serves the playground with Vite's
// dev server on http://localhost:5173/ (hot reload). Ctrl+C stops it.
//
// Usage: node scripts/start.mjs [--host]   (--host also listens on the LAN addresses)

import { ensureDeps } from "./ensure-deps.mjs";

const PORT = 5173;

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log("Usage: npm start [-- --host]\n\nServes the playground at http://localhost:5173/.");
  process.exit(0);
}
const exposeOnNetwork = args.includes("--host");

ensureDeps();

// Loaded only now: ensureDeps may just have installed it.
const { createServer } = await import("vite");

const server = await createServer({
  server: { port: PORT, strictPort: true, host: exposeOnNetwork ? true : "localhost" },
});

let closing = false;
async function stop() {
  if (closing) return;
  closing = true;
  await server.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());

try {
  await server.listen();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  console.error(
    `\nPort ${PORT} is taken (another \`npm start\` running?). Stop that process and try again.`,
  );
  process.exit(1);
}

server.printUrls();
server.bindCLIShortcuts({ print: true });
console.log(`\n  Playground running at http://localhost:${PORT}/\n`);
