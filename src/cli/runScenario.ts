import { InProcessCluster } from "../sim/inProcessCluster";
import type { TraceEvent } from "../sim/trace";
import type { RunResult, TranscriptEntry } from "../scenario/interpreter";
import { Interpreter } from "../scenario/interpreter";
import { formatError, parseScenario } from "../scenario/parse";

export interface RunOptions {
  /** Overrides the script's `seed` line. */
  readonly seed?: number;
  /** Gather every node's INFO at the end (for `--json`). */
  readonly collectInfo?: boolean;
}

export type RunOutcome =
  | { readonly kind: "parseError"; readonly errors: readonly string[] }
  | {
      readonly kind: "ran";
      readonly result: RunResult;
      readonly transcript: readonly TranscriptEntry[];
      readonly trace: readonly TraceEvent[];
      /** The `--json` document. */
      readonly json: unknown;
      readonly cluster: InProcessCluster;
    };

/** Parses and runs a scenario in-process: what `npm run sim` and the scenario tests do. */
export async function runScenarioText(
  text: string,
  file: string,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const parsed = parseScenario(text, file);
  if (!parsed.ok) return { kind: "parseError", errors: parsed.errors.map(formatError) };
  const script = parsed.script;
  const seed = options.seed ?? script.seed;
  const cluster = new InProcessCluster({
    seed,
    epochMs: script.epochMs,
    version: script.redisVersion,
  });
  const interpreter = new Interpreter(script, cluster);
  const result = await interpreter.run();
  const transcript = interpreter.transcript;
  let info: Record<string, Record<string, string>> = {};
  if (options.collectInfo) {
    info = {};
    for (const node of cluster.nodes()) {
      const snap = await cluster.snapshot(node);
      info[node] = Object.fromEntries(snap.info);
    }
  }
  const json = {
    title: script.title ?? null,
    seed,
    ok: result.ok,
    ...(result.ok ? {} : { error: { line: result.line, message: result.message } }),
    transcript: transcript.map((e) => ({ line: e.line, t_us: e.t, kind: e.kind, text: e.text })),
    steps: transcript
      .filter((e) => e.kind === "step")
      .map((e) => ({ title: e.text.slice(3), t_us: e.t })),
    info,
  };
  return { kind: "ran", result, transcript, trace: cluster.trace(), json, cluster };
}
