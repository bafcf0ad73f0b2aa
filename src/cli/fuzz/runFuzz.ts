import type { Server } from "../../engine/server/server";
import type { Line } from "../../scenario/ast";
import { Interpreter } from "../../scenario/interpreter";
import type { TranscriptEntry } from "../../scenario/interpreter";
import { formatError, parseScenario } from "../../scenario/parse";
import { InProcessCluster } from "../../sim/inProcessCluster";
import type { ClusterState } from "../../sim/invariants";
import { InvariantViolation, checkAlways, checkSettled } from "../../sim/invariants";

export type FuzzResult =
  { readonly ok: true } | { readonly ok: false; readonly line: number; readonly message: string };

function clusterState(cluster: InProcessCluster): ClusterState {
  const servers = new Map<string, Server>();
  for (const name of cluster.nodes()) {
    const s = cluster.server(name);
    if (s) servers.set(name, s);
  }
  return {
    servers,
    resolve: (host) => {
      const byName = servers.get(host);
      if (byName) return byName;
      for (const name of cluster.nodes()) {
        if (cluster.slot(name)?.ip === host) return servers.get(name);
      }
      return undefined;
    },
    isCut: (a, b) => cluster.network.isCut(a, b),
  };
}

/**
 * Runs one script in-process and checks the invariants after every line, the
 * settled ones after every `settle`, and that replicas refuse client writes.
 */
export async function runWithInvariants(text: string): Promise<FuzzResult> {
  const parsed = parseScenario(text, "fuzz");
  if (!parsed.ok) return { ok: false, line: 0, message: parsed.errors.map(formatError).join("\n") };
  const cluster = new InProcessCluster({ seed: parsed.script.seed, traceBytes: false });
  let lastCommand: TranscriptEntry | null = null;
  let lastReply: TranscriptEntry | null = null;
  const hooks = {
    onEntry: (e: TranscriptEntry) => {
      if (e.kind === "command") lastCommand = e;
      if (e.kind === "reply") lastReply = e;
    },
    afterLine: (line: Line): Promise<void> => {
      const state = clusterState(cluster);
      if (line.kind === "settle") checkSettled(state);
      else checkAlways(state);
      const cmd: TranscriptEntry | null = lastCommand;
      const reply: TranscriptEntry | null = lastReply;
      if (line.kind === "command" && cmd && reply && / SET readonly /.test(cmd.text)) {
        const target = state.servers.get(line.name);
        if (target?.isReplica && !reply.text.startsWith("(error) READONLY")) {
          throw new InvariantViolation(
            `${line.name} is a read-only replica but answered ${reply.text}`,
          );
        }
      }
      return Promise.resolve();
    },
  };
  const result = await new Interpreter(parsed.script, cluster, hooks).run();
  if (!result.ok) return { ok: false, line: result.line, message: result.message };
  try {
    await checkLedger(cluster);
  } catch (e) {
    if (!(e instanceof InvariantViolation)) throw e;
    const last = parsed.script.lines[parsed.script.lines.length - 1]?.line ?? 0;
    return { ok: false, line: last, message: `line ${last}: ${e.message}` };
  }
  return { ok: true };
}

/**
 * At the end of a run, healed and settled: an acknowledged write is on some
 * running server exactly when the ledger does not report it lost (each
 * `SET ack:N` of a fuzz client has a key and value of its own). A write found
 * lost while its bytes were still on the wire is found again by the ledger's
 * final check, so both directions hold.
 */
async function checkLedger(cluster: InProcessCluster): Promise<void> {
  const ledger = await cluster.ledger();
  const running = cluster.nodes().flatMap((name) => {
    const s = cluster.server(name);
    return s ? [s] : [];
  });
  for (const entry of ledger.entries) {
    const [verb = "", key = "", value = ""] = entry.command;
    if (verb.toUpperCase() !== "SET" || !key.startsWith("ack:")) continue;
    const held = running.some((s) => {
      const v = s.keyspace.db(0).dict.get(key);
      return v === value;
    });
    if (held && entry.lost !== null) {
      throw new InvariantViolation(
        `the write SET ${key} acknowledged by ${entry.node} is reported lost, but a running server holds it`,
      );
    }
    if (!held && entry.lost === null) {
      throw new InvariantViolation(
        `the write SET ${key} acknowledged by ${entry.node} is on no running server, and the ledger does not report it lost`,
      );
    }
  }
}

/**
 * Shrinks a failing script: drops lines (setup kept) while the same kind of
 * failure still happens, so what is printed is short enough to read.
 */
export async function shrink(text: string, failure: string): Promise<string> {
  const kind = (m: string) => m.replace(/^line \d+: /, "").replace(/\d+/g, "#");
  const target = kind(failure);
  let lines = text.trimEnd().split("\n");
  const fixed = (l: string) => /^(title|seed|redis|config|network|node) /.test(l);
  let changed = true;
  while (changed) {
    changed = false;
    for (
      let chunk = Math.max(1, Math.floor(lines.length / 4));
      chunk >= 1;
      chunk = Math.floor(chunk / 2)
    ) {
      for (let i = 0; i < lines.length; i += chunk) {
        const removable = lines.slice(i, i + chunk).every((l) => !fixed(l));
        if (!removable) continue;
        const candidate = [...lines.slice(0, i), ...lines.slice(i + chunk)];
        const r = await runWithInvariants(candidate.join("\n") + "\n");
        if (!r.ok && kind(r.message) === target) {
          lines = candidate;
          changed = true;
          i -= chunk;
        }
      }
    }
  }
  return lines.join("\n") + "\n";
}
