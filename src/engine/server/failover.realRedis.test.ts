// FAILOVER side by side with a real redis-server 7.0: the same commands to three
// real processes (m, r1, r2 on 127.0.0.1) and to the engine's m, r1, r2, and the
// same replies and INFO fields back. Skipped when redis-server 7.0 is not
// installed. Node APIs are fine here; the code under test stays pure.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  RedisProcess,
  freePort,
  redisServerPath,
  redisServerVersion,
} from "../../cli/conformance/redisProcess";
import { RespConnection } from "../../cli/conformance/respConnection";
import type { ByteString } from "../bytes";
import { formatReply } from "../resp/redisCli";
import { TestNetwork } from "../sentinel/testing/network";
import { infoFields } from "./info";

const binary = redisServerPath();
const version = redisServerVersion(binary);
const available = version?.startsWith("7.0.") ?? false;
if (!available) console.warn(`[failover.realRedis.test] skipped: redis-server 7.0 not found`);

const SECOND = 1_000_000;
const NAMES = ["m", "r1", "r2"] as const;
type Name = (typeof NAMES)[number];

/** The real side: processes, a connection each, and a second client on m. */
interface Real {
  readonly procs: Record<Name, RedisProcess>;
  readonly conns: Record<Name, RespConnection>;
  readonly writer: RespConnection;
  readonly dir: string;
}

async function startReal(): Promise<Real> {
  const dir = mkdtempSync(join(tmpdir(), "rrp-failover-"));
  const procs = {} as Record<Name, RedisProcess>;
  const conns = {} as Record<Name, RespConnection>;
  for (const name of NAMES) {
    const port = await freePort();
    const sub = join(dir, name);
    mkdirSync(sub);
    procs[name] = await RedisProcess.start({
      binary,
      port,
      dir: sub,
      args: ["--repl-diskless-sync-delay", "0"],
    });
    conns[name] = await RespConnection.connect(port);
  }
  for (const name of ["r1", "r2"] as const) {
    await conns[name].call(["REPLICAOF", "127.0.0.1", String(procs.m.port)]);
  }
  const writer = await RespConnection.connect(procs.m.port);
  return { procs, conns, writer, dir };
}

async function realFields(real: Real, name: Name): Promise<Map<string, string>> {
  const reply = await real.conns[name].call(["INFO", "everything"]);
  const fields = new Map<string, string>();
  if (reply.type !== "bulk" || reply.value === null) return fields;
  for (const line of reply.value.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0 && !line.startsWith("#")) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** Polls until `done` holds (real time), or fails after `ms`. */
async function until(done: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("condition not reached in time");
}

/** Both replicas online at the master's offset, on the real side. */
async function realSynced(real: Real): Promise<void> {
  await until(async () => {
    const f = await realFields(real, "m");
    const off = f.get("master_repl_offset");
    return (
      f.get("connected_slaves") === "2" &&
      [0, 1].every((i) => f.get(`slave${i}`)?.includes(`state=online,offset=${off},`) ?? false)
    );
  });
}

function startSim(): TestNetwork {
  const net = new TestNetwork(1000, 11);
  const config = { "repl-diskless-sync-delay": "0" };
  net.addServer("m", "10.0.0.1", { config });
  net.addServer("r1", "10.0.0.2", { replicaOf: "m", config });
  net.addServer("r2", "10.0.0.3", { replicaOf: "m", config });
  net.advance(3 * SECOND);
  return net;
}

const simSay = (net: TestNetwork, name: Name, argv: readonly ByteString[]) =>
  formatReply(net.command(name, argv));
const realSay = async (real: Real, name: Name, argv: readonly ByteString[]) =>
  formatReply(await real.conns[name].call(argv));

describe.skipIf(!available)("FAILOVER against redis-server 7.0", () => {
  let real: Real;
  let net: TestNetwork;

  beforeAll(async () => {
    real = await startReal();
    await realSynced(real);
    net = startSim();
  }, 30_000);

  afterAll(async () => {
    if (!available) return;
    for (const name of NAMES) {
      real.conns[name].close();
      process.kill(real.procs[name].pid ?? 0, "SIGCONT");
      await real.procs[name].kill();
    }
    real.writer.close();
    rmSync(real.dir, { recursive: true, force: true });
  });

  it("gives the same reply to every malformed or refused FAILOVER", async () => {
    // A target names a replica: 10.0.0.2:6379 in the engine, 127.0.0.1:<port> for real.
    const r1Real = ["127.0.0.1", String(real.procs.r1.port)];
    const cases: [Name, ByteString[], ByteString[]][] = [
      ["m", ["FAILOVER", "TIMEOUT", "0"], []],
      ["m", ["FAILOVER", "TIMEOUT", "-5"], []],
      ["m", ["FAILOVER", "TIMEOUT", "abc"], []],
      ["m", ["FAILOVER", "FORCE"], []],
      ["m", ["FAILOVER", "FORCE", "TIMEOUT", "100"], []],
      ["m", ["FAILOVER", "foo"], []],
      ["m", ["FAILOVER", "ABORT"], []],
      ["m", ["FAILOVER", "ABORT", "x"], []],
      ["m", ["FAILOVER", "TIMEOUT", "10", "TIMEOUT", "5"], []],
      ["m", ["FAILOVER", "TO", "10.0.0.2"], ["FAILOVER", "TO", "127.0.0.1"]],
      ["m", ["FAILOVER", "TO", "10.0.0.2", "abc"], ["FAILOVER", "TO", "127.0.0.1", "abc"]],
      ["m", ["FAILOVER", "TO", "10.0.0.9", "6379"], ["FAILOVER", "TO", "127.0.0.1", "1"]],
      [
        "m",
        ["FAILOVER", "FORCE", "TO", "10.0.0.2", "6379"],
        ["FAILOVER", "FORCE", "TO", ...r1Real],
      ],
      ["r1", ["FAILOVER"], []],
      ["r1", ["FAILOVER", "ABORT"], []],
    ];
    for (const [node, sim, realArgv] of cases) {
      const expected = await realSay(real, node, realArgv.length > 0 ? realArgv : sim);
      expect(`${node}> ${sim.join(" ")} => ${simSay(net, node, sim)}`).toBe(
        `${node}> ${sim.join(" ")} => ${expected}`,
      );
    }
  });

  it("pauses writes the same way while it waits, and lets them through on ABORT", async () => {
    for (const r of ["r1", "r2"] as const) process.kill(real.procs[r].pid ?? 0, "SIGSTOP");
    net.cut("m", "r1");
    net.cut("m", "r2");
    try {
      expect(simSay(net, "m", ["SET", "b", "2"])).toBe(await realSay(real, "m", ["SET", "b", "2"]));
      // A key whose time comes during the pause: read as missing, but neither
      // side deletes it while the dataset is held still.
      const volatile = ["SET", "k", "v", "PX", "100"];
      expect(simSay(net, "m", volatile)).toBe(await realSay(real, "m", volatile));
      const start = ["FAILOVER", "TIMEOUT", "60000"];
      expect(simSay(net, "m", start)).toBe(await realSay(real, "m", start));
      // A second client's write waits in the pause.
      const held = real.writer.call(["SET", "c", "3"]);
      const simHeld = net.server("m").handle(net.now, {
        kind: "clientCommand",
        client: "writer",
        argv: ["SET", "c", "3"],
      });
      expect(simHeld.some((o) => o.kind === "reply")).toBe(false);
      await new Promise((r) => setTimeout(r, 200));
      net.advance(SECOND / 5);
      const fields = [
        "master_failover_state",
        "blocked_clients",
        "clients_in_timeout_table",
        "expired_keys",
      ];
      const realInfo = await realFields(real, "m");
      const simInfo = infoFields(net.server("m"));
      for (const f of fields) expect(`${f}:${simInfo.get(f)}`).toBe(`${f}:${realInfo.get(f)}`);
      const reads = [["GET", "b"], ["GET", "k"], ["DBSIZE"], ["REPLICAOF", "127.0.0.1", "1"]];
      for (const argv of [...reads, ["FAILOVER"]]) {
        expect(simSay(net, "m", argv)).toBe(await realSay(real, "m", argv));
      }
      expect(simSay(net, "m", ["FAILOVER", "ABORT"])).toBe(
        await realSay(real, "m", ["FAILOVER", "ABORT"]),
      );
      expect(formatReply(await held)).toBe("OK");
      const simReply = net.replies.find((r) => r.host === "m" && r.client === "writer");
      expect(simReply && formatReply(simReply.reply)).toBe("OK");
      const after = ["master_failover_state", "blocked_clients", "role"];
      const realAfter = await realFields(real, "m");
      const simAfter = infoFields(net.server("m"));
      for (const f of after) expect(`${f}:${simAfter.get(f)}`).toBe(`${f}:${realAfter.get(f)}`);
    } finally {
      for (const r of ["r1", "r2"] as const) process.kill(real.procs[r].pid ?? 0, "SIGCONT");
      net.heal("m", "r1");
      net.heal("m", "r2");
    }
  });

  it("hands over to a synced target the same way: roles, replids and a partial resync", async () => {
    await realSynced(real);
    net.advance(2 * SECOND);
    const realBefore = await realFields(real, "m");
    const simBefore = infoFields(net.server("m"));
    const realTarget = ["FAILOVER", "TO", "127.0.0.1", String(real.procs.r2.port)];
    expect(simSay(net, "m", ["FAILOVER", "TO", "10.0.0.3", "6379"])).toBe(
      await realSay(real, "m", realTarget),
    );
    await until(async () => (await realFields(real, "m")).get("master_link_status") === "up");
    net.advance(SECOND / 2);
    const sides = [
      { m: await realFields(real, "m"), r2: await realFields(real, "r2"), before: realBefore },
      { m: infoFields(net.server("m")), r2: infoFields(net.server("r2")), before: simBefore },
    ];
    const facts = sides.map(({ m, r2, before }) => ({
      mRole: m.get("role"),
      mState: m.get("master_failover_state"),
      r2Role: r2.get("role"),
      r2KeepsOldHistory: r2.get("master_replid2") === before.get("master_replid"),
      sameIds: m.get("master_replid") === r2.get("master_replid"),
      secondOffsetIsOffsetPlusOne:
        Number(r2.get("second_repl_offset")) === Number(before.get("master_repl_offset")) + 1,
      r2PartialOk: r2.get("sync_partial_ok"),
      r2Full: r2.get("sync_full"),
    }));
    expect(facts[1]).toEqual(facts[0]);
    expect(facts[0]).toMatchObject({ mRole: "slave", r2Role: "master", r2PartialOk: "1" });
  });
});
