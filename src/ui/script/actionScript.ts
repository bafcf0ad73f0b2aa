import type { ByteString } from "../../engine/bytes";
import type { VirtualTime } from "../../engine/io";
import { catRepr } from "../../engine/resp/repr";
import { formatDurationUs } from "../../scenario/units";
import type { Fault } from "../../sim/cluster";

/** One thing the reader did, as a line of the scenario language, at the virtual time it took effect. */
export interface RecordedAction {
  readonly t: VirtualTime;
  readonly line: string;
}

/** The lines that set the page's cluster up, before any action. */
export interface ScriptSetup {
  readonly seed: number;
  readonly config: ReadonlyMap<string, string>;
  readonly nodes: readonly { readonly name: string; readonly replicaOf?: string }[];
}

/**
 * The reader's session as a scenario script (`docs/scenario-format.md`): the
 * setup, then each action preceded by an `advance` of exactly the virtual time
 * that passed before it, so `npm run sim` replays the same run.
 */
export function actionScript(setup: ScriptSetup, actions: readonly RecordedAction[]): string {
  return withActions(setupScript(setup), actions, 0);
}

/** The page's default run as a script: its seed, configuration and nodes. */
export function setupScript(setup: ScriptSetup): string {
  const lines = ["title My session in the Redis Replication Playground", `seed ${setup.seed}`];
  for (const [name, value] of setup.config) lines.push(`config ${name} ${value}`);
  for (const n of setup.nodes)
    lines.push(
      n.replicaOf === undefined ? `node ${n.name}` : `node ${n.name} replicaof ${n.replicaOf}`,
    );
  return `${lines.join("\n")}\n`;
}

/**
 * A script followed by the reader's actions, each preceded by an `advance`
 * of the virtual time since the one before; the first counts from `fromUs`,
 * the moment the script's own lines had reached.
 */
export function withActions(
  script: string,
  actions: readonly RecordedAction[],
  fromUs: VirtualTime,
): string {
  const lines = script.replace(/\n+$/, "").split("\n");
  return `${[...lines, ...actionLines(actions, fromUs)].join("\n")}\n`;
}

/** Actions as script lines, each after an `advance` of the time since the one before (from `fromUs`). */
export function actionLines(actions: readonly RecordedAction[], fromUs: VirtualTime): string[] {
  const lines: string[] = [];
  let at = fromUs;
  for (const a of actions) {
    if (a.t > at) lines.push(`advance ${formatDurationUs(a.t - at)}`);
    at = Math.max(at, a.t);
    lines.push(a.line);
  }
  return lines;
}

/** A fault as the scenario line that applies it, or null for one the language has no line for. */
export function faultLine(fault: Fault): string | null {
  switch (fault.kind) {
    case "cut":
      return fault.b === undefined ? `cut ${fault.a}` : `cut ${fault.a} ${fault.b}`;
    case "heal":
      if (fault.a === undefined) return "heal";
      return fault.b === undefined ? `heal ${fault.a}` : `heal ${fault.a} ${fault.b}`;
    case "reset":
      return `reset ${fault.a} ${fault.b}`;
    case "crash":
      return `crash ${fault.node}`;
    case "restart":
      return `restart ${fault.node}`;
    case "sleep":
      return `sleep ${fault.node} ${formatDurationUs(fault.durationUs)}`;
    case "link": {
      const { latencyUs, jitterUs, bandwidthBytesPerSec } = fault.settings;
      const words = [`link ${fault.a} ${fault.b}`];
      if (latencyUs !== undefined) words.push(`latency ${formatDurationUs(latencyUs)}`);
      if (jitterUs !== undefined && jitterUs > 0)
        words.push(`jitter ${formatDurationUs(jitterUs)}`);
      if (bandwidthBytesPerSec !== undefined && bandwidthBytesPerSec > 0)
        words.push(`bandwidth ${bandwidthBytesPerSec}/s`);
      return words.length > 1 ? words.join(" ") : null;
    }
    case "network":
      return null;
  }
}

/**
 * An argument as a word of a scenario command line that reads back as the
 * same bytes: plain when it can be, else double-quoted with redis-cli's
 * escapes; `$` doubled, since scenario words expand `$NAME`.
 */
export function scenarioWord(arg: ByteString): string {
  const plain = arg.length > 0 && /^[\x21-\x7e]+$/.test(arg) && !/["'\\#]/.test(arg);
  const word = plain ? arg : catRepr(arg);
  return word.split("$").join("$$");
}

/** A command sent on a node's console as a scenario line (`m> SET k v`). */
export function commandLine(node: string, argv: readonly ByteString[]): string {
  return `${node}> ${argv.map(scenarioWord).join(" ")}`;
}
