/**
 * The conformance harness: `npm run conformance -- [FILE…] [--keep] [--settle-cap SECONDS]`.
 *
 * Replays each scenario (default: every `scenarios/*.scenario`) in the
 * simulator and against real redis-server processes, compares every reply,
 * every expect, and the fixed INFO fields at every sample point, and prints a
 * summary table and every difference. Exit status: 0 when nothing differs,
 * 1 when something does, 2 when redis-server is missing or the command line
 * or a script is wrong.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { conformScenario, removeRunDirectories } from "./conformance/harness";
import type { HarnessOptions, ScenarioOutcome } from "./conformance/harness";
import {
  INSTALL_COMMAND,
  killAllStarted,
  redisServerPath,
  redisServerVersion,
} from "./conformance/redisProcess";
import { differenceList, summaryTable } from "./conformance/report";

const USAGE =
  "usage: npm run conformance -- [FILE…] [--keep] [--settle-cap SECONDS] [--poll MS]\n" +
  "  FILE…            scenario files (default: every scenarios/*.scenario)\n" +
  "  --keep           keep each node's directory and redis.log\n" +
  "  --settle-cap S   longest real wait of one settle (default 20)\n" +
  "  --poll MS        how often settle polls INFO (default 15)\n" +
  "  REDIS_SERVER=/path/to/redis-server picks the binary";

interface Options {
  files: string[];
  keep: boolean;
  settleCapMs: number;
  pollMs: number;
}

function parseArgs(args: readonly string[]): Options | string {
  const options: Options = { files: [], keep: false, settleCapMs: 20_000, pollMs: 15 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    if (a === "--keep") options.keep = true;
    else if (a === "--settle-cap" || a === "--poll") {
      const v = Number(args[++i]);
      if (!Number.isFinite(v) || v <= 0) return `${a} needs a positive number\n${USAGE}`;
      if (a === "--poll") options.pollMs = v;
      else options.settleCapMs = v * 1000;
    } else if (a === "--help" || a === "-h") return USAGE;
    else if (a.startsWith("--")) return `unknown option ${a}\n${USAGE}`;
    else options.files.push(a);
  }
  if (options.files.length === 0) {
    options.files = readdirSync("scenarios")
      .filter((f) => f.endsWith(".scenario"))
      .sort()
      .map((f) => join("scenarios", f));
  }
  return options;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (typeof options === "string") {
    process.stderr.write(options + "\n");
    return 2;
  }
  const binary = redisServerPath();
  const version = redisServerVersion(binary);
  if (version === null) {
    process.stderr.write(
      `${binary} is not installed (or does not run), so there is nothing to compare against.\n` +
        `Install it with:\n\n    ${INSTALL_COMMAND}\n\n` +
        "or point REDIS_SERVER at a redis-server 7.0 binary.\n",
    );
    return 2;
  }
  const harness: HarnessOptions = {
    binary,
    binaryVersion: version,
    settleCapMs: options.settleCapMs,
    pollMs: options.pollMs,
    keep: options.keep,
  };
  process.stdout.write(`Conformance: simulator against ${binary} ${version}\n`);
  const started = performance.now();
  const outcomes: ScenarioOutcome[] = [];
  for (const file of options.files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      process.stderr.write(`${file}: ${(e as Error).message}\n`);
      return 2;
    }
    const outcome = await conformScenario(text, file, harness);
    outcomes.push(outcome);
    process.stdout.write(progressLine(outcome, options.keep) + "\n");
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`\n${summaryTable(outcomes)}\n\n`);
  const list = differenceList(outcomes);
  if (list) process.stdout.write(`${list}\n\n`);
  const differing = outcomes.filter(
    (o) => o.kind === "compared" && o.comparison.differences.length > 0,
  ).length;
  const ran = outcomes.filter((o) => o.kind === "compared").length;
  process.stdout.write(
    `${ran} of ${outcomes.length} scenarios compared in ${seconds}s; ${differing} differ.\n`,
  );
  if (outcomes.some((o) => o.kind === "invalid")) return 2;
  if (ran === 0) {
    process.stderr.write(`no scenario could run on redis-server ${version}\n`);
    return 2;
  }
  return differing > 0 ? 1 : 0;
}

function progressLine(o: ScenarioOutcome, keep: boolean): string {
  switch (o.kind) {
    case "compared": {
      const n = o.comparison.differences.length;
      const verdict = n === 0 ? "same" : `${n} difference${n === 1 ? "" : "s"}`;
      return `  ${o.file}: ${verdict} (${o.seconds.toFixed(1)}s)${keep ? ` logs in ${o.dir}` : ""}`;
    }
    case "skipped":
      return `  ${o.file}: skipped (${o.reason})`;
    case "invalid":
      return `  ${o.file}: does not parse`;
  }
}

// Every redis-server started is stopped by its pid, however the run ends.
function stopEverything(): void {
  killAllStarted();
  removeRunDirectories();
}
process.on("exit", stopEverything);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    stopEverything();
    process.exit(signal === "SIGINT" ? 130 : 143);
  });
}

main().then(
  (code) => {
    stopEverything();
    process.exitCode = code;
  },
  (e: unknown) => {
    stopEverything();
    process.stderr.write(
      `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exitCode = 3;
  },
);
