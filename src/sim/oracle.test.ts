/**
 * Replays the runs recorded from real redis-server 7.0.15 (`../shared/oracle/*.json`)
 * step by step in the simulator and compares every reply, and after every step the
 * replication fields, sync counters and the dataset of every node with what Redis
 * reported. Skipped (visibly) where the recordings are not beside the checkout.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { valueType } from "../engine/keyspace/value";
import type { Reply } from "../engine/reply";
import { InProcessCluster } from "./inProcessCluster";

const ORACLE_DIR = join(import.meta.dirname, "../../../shared/oracle");
const present = existsSync(ORACLE_DIR);

type OracleReply = string | number | null | { error: string } | OracleReply[];

interface OracleAction {
  node?: string;
  cmd?: string[];
  reply?: OracleReply;
  note?: string;
}

interface OracleNode {
  repl: Record<string, unknown>;
  stats: Record<string, number>;
  dbsize: number;
  keys: Record<string, { type: string; value: unknown }>;
}

interface OracleStep {
  step: string;
  actions: OracleAction[];
  settle?: { settled: boolean };
  snapshot?: Record<string, OracleNode>;
}

interface OracleRun {
  scenario: string;
  base_config: Record<string, string>;
  nodes: { name: string; port: number; config_overrides: Record<string, string> }[];
  steps: OracleStep[];
}

const SIM_CONFIG = [
  "repl-ping-replica-period",
  "repl-timeout",
  "repl-diskless-sync",
  "repl-diskless-sync-delay",
  "repl-backlog-size",
];

/** The replies as the recording stores them. */
function toOracle(reply: Reply): OracleReply {
  switch (reply.type) {
    case "simple":
    case "bulk":
      return reply.value;
    case "error":
      return { error: reply.value };
    case "integer":
      return reply.value;
    case "array":
      return reply.value === null ? null : reply.value.map(toOracle);
  }
}

const REPL_FIELDS = [
  "role",
  "connected_slaves",
  "master_repl_offset",
  "second_repl_offset",
  "repl_backlog_active",
  "repl_backlog_first_byte_offset",
  "repl_backlog_histlen",
  "master_link_status",
  "slave_repl_offset",
  "slave_read_repl_offset",
];

const runs: OracleRun[] = present
  ? readdirSync(ORACLE_DIR)
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((f) => JSON.parse(readFileSync(join(ORACLE_DIR, f), "utf8")) as OracleRun)
  : [];

describe.skipIf(!present)("runs recorded from redis-server 7.0.15", () => {
  for (const run of runs) {
    it(`${run.scenario} gives the same replies, offsets, counters and data`, async () => {
      const cluster = new InProcessCluster({ seed: 1 });
      const byPort = new Map(run.nodes.map((n) => [String(n.port), n.name.toLowerCase()]));
      for (const node of run.nodes) {
        const config = new Map<string, string>();
        for (const name of SIM_CONFIG) {
          const value = node.config_overrides[name] ?? run.base_config[name];
          if (value !== undefined) config.set(name, value);
        }
        await cluster.startNode({ name: node.name.toLowerCase(), config });
      }
      await cluster.settle(10_000_000);
      for (const step of run.steps) {
        // What the recording did outside the command list, named in its step title.
        if (step.step.includes("DEBUG SLEEP 3")) {
          await cluster.fault({ kind: "sleep", node: "r1", durationUs: 3_000_000 });
        }
        const killed = /kill -9 (\w+)/.exec(step.step)?.[1];
        if (killed) {
          await cluster.fault({ kind: "crash", node: killed.toLowerCase() });
          await cluster.advance(10_000); // the master sees the socket close
        }
        for (const action of step.actions) {
          if (!action.cmd || !action.node) continue;
          const argv = action.cmd.map((a, i) =>
            i === 2 && byPort.has(a) && /^(replicaof|slaveof)$/i.test(action.cmd?.[0] ?? "")
              ? "6379"
              : a,
          );
          if (/^(replicaof|slaveof)$/i.test(argv[0] ?? "") && argv[1] === "127.0.0.1") {
            argv[1] = byPort.get(action.cmd[2] ?? "") ?? argv[1];
          }
          const reply = await cluster.command(action.node.toLowerCase(), "oracle", argv);
          expect(toOracle(reply), `${step.step}: ${action.cmd.join(" ")}`).toEqual(action.reply);
          // The recording let the replica's periodic ACK arrive before the next command.
          if (step.step.includes("wait for ACK to catch up")) await cluster.settle(5_000_000);
        }
        // The recording settled after each step, except while a node was blocked.
        if (step.settle?.settled !== false && !step.step.includes("DEBUG SLEEP")) {
          await cluster.settle(30_000_000);
        }
        for (const [name, recorded] of Object.entries(step.snapshot ?? {})) {
          const snap = await cluster.snapshot(name.toLowerCase());
          const where = `${step.step} / ${name}`;
          for (const field of REPL_FIELDS) {
            if (!(field in recorded.repl)) continue;
            expect(snap.info.get(field), `${where}: ${field}`).toBe(String(recorded.repl[field]));
          }
          for (const field of [
            "sync_full",
            "sync_partial_ok",
            "sync_partial_err",
            "expired_keys",
          ]) {
            expect(snap.info.get(field), `${where}: ${field}`).toBe(String(recorded.stats[field]));
          }
          const slave0 = recorded.repl.slave0 as { state: string; offset: number } | undefined;
          if (slave0) {
            expect(snap.info.get("slave0"), `${where}: slave0`).toContain(
              `state=${slave0.state},offset=${slave0.offset}`,
            );
          }
          const server = cluster.server(name.toLowerCase());
          expect(server?.keyspace.db(0).size, `${where}: dbsize`).toBe(recorded.dbsize);
          for (const [key, v] of Object.entries(recorded.keys)) {
            const value = server?.keyspace.db(0).dict.get(key);
            const type = value === undefined ? undefined : valueType(value);
            expect(type, `${where}: type of ${key}`).toBe(v.type);
            if (typeof value === "string") expect(value, `${where}: ${key}`).toBe(String(v.value));
          }
        }
      }
    });
  }
});
