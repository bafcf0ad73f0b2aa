/**
 * The benchmarks: `npm run bench [-- OPTIONS]`. Prints one table (our figure,
 * the reference figure measured in the same run, their ratio and the goal, each
 * figure the median of several runs after a warm-up, with min and max) and
 * writes the same to bench/results.json.
 *
 *   --only LIST     engine,sync,worker,draw,page (default: all)
 *   --runs N        measured runs per figure (default 5)
 *   --warmup N      warm-up runs per figure (default 1)
 *   --sets N        SETs per throughput run (default 200000)
 *   --keys N        keys in the big-sync dataset (default 1000000)
 *   --quick         fewer and smaller runs, to try the harness (results not written)
 *   --ours-only     skip the reference figures (to profile our side with --cpu-prof)
 *   --out FILE      where the JSON goes (default bench/results.json)
 *
 * Each workload runs in a child process of its own (`--child-rows FILE`).
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { format, resolveConfig } from "prettier";
import { bigSync } from "./bench/bigSync";
import { engineThroughput } from "./bench/engineThroughput";
import { describeMachine } from "./bench/machine";
import { REDIS_SERVER } from "./bench/redis";
import { renderMarkdown, renderTable } from "./bench/table";
import type { BenchOptions, Row } from "./bench/workload";

const WORKLOADS = ["engine", "sync", "worker", "draw", "page"] as const;
type WorkloadId = (typeof WORKLOADS)[number];

interface CliOptions extends BenchOptions {
  readonly only: ReadonlySet<WorkloadId>;
  readonly out: string | null;
  /** Set in a child process: run the one workload and write its rows here as JSON. */
  readonly childRows: string | null;
}

const USAGE =
  "usage: npm run bench -- [--only engine,sync,worker,draw,page] [--runs N] [--warmup N] " +
  "[--sets N] [--keys N] [--quick] [--ours-only] [--out FILE]";

function parseArgs(args: readonly string[]): CliOptions | string {
  let runs = 5;
  let warmup = 1;
  let sets = 200_000;
  let keys = 1_000_000;
  let quick = false;
  let oursOnly = false;
  let out: string | null = resolve(import.meta.dirname, "../../bench/results.json");
  let only = new Set<WorkloadId>(WORKLOADS);
  let childRows: string | null = null;
  const count = (name: string, v: string | undefined, min: number): number | string =>
    v !== undefined && /^\d+$/.test(v) && Number(v) >= min
      ? Number(v)
      : `${name} needs an integer ≥ ${min}\n${USAGE}`;
  for (let i = 0; i < args.length; i++) {
    const [flag = "", inline] = (args[i] ?? "").split("=", 2);
    const value = () => inline ?? args[++i];
    let n: number | string;
    switch (flag) {
      case "--runs":
        if (typeof (n = count(flag, value(), 1)) === "string") return n;
        runs = n;
        break;
      case "--warmup":
        if (typeof (n = count(flag, value(), 0)) === "string") return n;
        warmup = n;
        break;
      case "--sets":
        if (typeof (n = count(flag, value(), 1)) === "string") return n;
        sets = n;
        break;
      case "--keys":
        if (typeof (n = count(flag, value(), 1)) === "string") return n;
        keys = n;
        break;
      case "--quick":
        quick = true;
        break;
      case "--ours-only":
        oursOnly = true;
        break;
      case "--out":
        out = value() ?? null;
        if (out === null) return `--out needs a file name\n${USAGE}`;
        out = resolve(out);
        break;
      case "--only": {
        const list = (value() ?? "").split(",").filter(Boolean);
        const bad = list.find((w) => !(WORKLOADS as readonly string[]).includes(w));
        if (bad !== undefined || list.length === 0)
          return `--only takes a list of ${WORKLOADS.join(",")}\n${USAGE}`;
        only = new Set(list as WorkloadId[]);
        break;
      }
      case "--child-rows":
        childRows = value() ?? null;
        break;
      case "--help":
      case "-h":
        return USAGE;
      default:
        return `unknown option ${flag}\n${USAGE}`;
    }
  }
  if (quick) {
    runs = Math.min(runs, 2);
    warmup = Math.min(warmup, 1);
    sets = Math.min(sets, 20_000);
    keys = Math.min(keys, 100_000);
    if (!args.some((a) => a.startsWith("--out"))) out = null;
  }
  const log = (line: string) => process.stderr.write(line + "\n");
  return { runs, warmup, sets, keys, oursOnly, only, out, childRows, log };
}

/** A workload that could not run still gets its row, saying why. */
function failedRow(workload: string, error: unknown): Row {
  const message = error instanceof Error ? error.message : String(error);
  return {
    workload,
    unit: "",
    ours: null,
    reference: null,
    referenceName: "",
    ratio: null,
    goal: "—",
    met: false,
    notes: `could not run: ${message}`,
  };
}

/** Runs one workload in this process. */
async function runWorkload(id: WorkloadId, opts: CliOptions): Promise<Row[]> {
  switch (id) {
    case "engine":
      return [await engineThroughput(opts)];
    case "sync":
      return bigSync(opts);
    case "worker":
    case "draw":
    case "page": {
      // Vite and Playwright load only when a browser workload runs.
      const { browserWorkloads } = await import("./bench/browser");
      return browserWorkloads(opts, {
        worker: id === "worker",
        page: id === "page",
        draw: id === "draw",
      });
    }
  }
}

/**
 * Runs one workload in a child process of its own (the same Node and loader),
 * so no workload inherits another's heap: a big heap left behind by the
 * throughput runs made the sync runs twice as slow in one process.
 */
function runChild(id: WorkloadId, args: readonly string[]): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), "rrp-bench-rows-"));
  const file = join(dir, "rows.json");
  const childArgs = [...process.execArgv, process.argv[1] ?? "", ...args];
  childArgs.push("--only", id, "--child-rows", file);
  return new Promise<Row[]>((resolvePromise, reject) => {
    const child = spawn(process.execPath, childArgs, { stdio: ["ignore", "ignore", "inherit"] });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      try {
        if (code !== 0 && code !== 1) throw new Error(`exited ${code ?? signal}`);
        resolvePromise(JSON.parse(readFileSync(file, "utf8")) as Row[]);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** The command-line arguments to pass on to a child, without --only, --out and --child-rows. */
function childArgs(args: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    const flag = a.split("=", 1)[0] ?? "";
    if (["--only", "--out", "--child-rows"].includes(flag)) {
      if (!a.includes("=")) i++;
      continue;
    }
    kept.push(a);
  }
  return kept;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const opts = parseArgs(args);
  if (typeof opts === "string") {
    process.stderr.write(opts + "\n");
    return 2;
  }
  const names: Record<WorkloadId, string> = {
    engine: "Engine throughput",
    sync: "Big full sync",
    worker: "Worker runtime",
    draw: "Drawing under load",
    page: "Page",
  };
  if (opts.childRows !== null) {
    const [id] = [...opts.only];
    if (id === undefined || opts.only.size !== 1) throw new Error("a child runs one workload");
    let rows: Row[];
    try {
      rows = await runWorkload(id, opts);
    } catch (e) {
      opts.log(`${names[id]} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      rows = [failedRow(names[id], e)];
    }
    writeFileSync(opts.childRows, JSON.stringify(rows));
    return rows.every((r) => r.ours !== null) ? 0 : 1;
  }

  const machine = describeMachine(REDIS_SERVER);
  const started = new Date();
  const rows: Row[] = [];
  for (const id of WORKLOADS) {
    if (!opts.only.has(id)) continue;
    try {
      rows.push(...(await runChild(id, childArgs(args))));
    } catch (e) {
      opts.log(`${names[id]} failed: ${e instanceof Error ? e.message : String(e)}`);
      rows.push(failedRow(names[id], e));
    }
  }

  const header =
    `npm run bench — ${started.toISOString()} — each figure the median of ${opts.runs} ` +
    `run(s) after ${opts.warmup} warm-up run(s)`;
  process.stdout.write(renderTable(machine, rows, header) + "\n");
  if (opts.out) {
    mkdirSync(dirname(opts.out), { recursive: true });
    const json = {
      date: started.toISOString(),
      command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
      machine,
      settings: { runs: opts.runs, warmup: opts.warmup, sets: opts.sets, keys: opts.keys },
      rows,
      markdown: renderMarkdown(machine, rows),
    };
    // Written as Prettier would format it, so `prettier --check .` stays clean.
    const config = (await resolveConfig(opts.out)) ?? {};
    const text = await format(JSON.stringify(json), { ...config, filepath: opts.out });
    writeFileSync(opts.out, text);
    process.stderr.write(`wrote ${opts.out}\n`);
  }
  return rows.every((r) => r.ours !== null) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
