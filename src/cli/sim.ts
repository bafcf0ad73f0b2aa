/**
 * The headless runner: `npm run --silent sim -- FILE [--seed N] [--json] [--trace OUT.jsonl]`.
 * Exit status 0 when every line ran and every expect held, 1 when an expect
 * failed or a step could not run, 2 when the script (or the command line) is wrong.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { runScenarioText } from "./runScenario";

interface Options {
  file: string;
  seed?: number;
  json: boolean;
  trace?: string;
}

const USAGE = "usage: npm run --silent sim -- FILE|- [--seed N] [--json] [--trace OUT.jsonl]";

function parseArgs(args: readonly string[]): Options | string {
  let file: string | undefined;
  let seed: number | undefined;
  let json = false;
  let trace: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    if (a === "--json") json = true;
    else if (a === "--seed") {
      const v = args[++i];
      if (v === undefined || !/^\d+$/.test(v))
        return `--seed needs a non-negative integer\n${USAGE}`;
      seed = Number(v);
    } else if (a === "--trace") {
      const v = args[++i];
      if (v === undefined) return `--trace needs a file name\n${USAGE}`;
      trace = v;
    } else if (a === "--help" || a === "-h") return USAGE;
    else if (a.startsWith("--")) return `unknown option ${a}\n${USAGE}`;
    else if (file === undefined) file = a;
    else return `one scenario file at a time\n${USAGE}`;
  }
  if (file === undefined) return USAGE;
  return {
    file,
    json,
    ...(seed !== undefined ? { seed } : {}),
    ...(trace !== undefined ? { trace } : {}),
  };
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  if (typeof opts === "string") {
    process.stderr.write(opts + "\n");
    return 2;
  }
  let text: string;
  try {
    text = opts.file === "-" ? readFileSync(0, "utf8") : readFileSync(opts.file, "utf8");
  } catch (e) {
    process.stderr.write(`${opts.file}: ${(e as Error).message}\n`);
    return 2;
  }
  const outcome = await runScenarioText(text, opts.file === "-" ? "<stdin>" : opts.file, {
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    collectInfo: opts.json,
  });
  if (outcome.kind === "parseError") {
    for (const line of outcome.errors) process.stderr.write(line + "\n");
    return 2;
  }
  if (opts.trace) {
    writeFileSync(opts.trace, outcome.trace.map((e) => JSON.stringify(e)).join("\n") + "\n");
  }
  if (opts.json) {
    process.stdout.write(JSON.stringify(outcome.json, null, 2) + "\n");
  } else {
    const lines = outcome.transcript.map((e) => e.text);
    if (!outcome.result.ok) lines.push(outcome.result.message);
    process.stdout.write(lines.join("\n") + (lines.length ? "\n" : ""));
  }
  return outcome.result.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(
      `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exitCode = 3;
  },
);
