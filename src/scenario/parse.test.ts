import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Line, Script } from "./ast";
import { decodeReply, formatError, parseScenario } from "./parse";

/** The example at the end of docs/scenario-format.md, verbatim. */
const EXAMPLE = `title Partial resync after a short disconnect
config repl-diskless-sync-delay 0
node m
node r1 replicaof m
settle

step A replica copies the master
m> SET k1 v1
settle
expect r1 master_repl_offset = 52
expect r1 keyspace = m

step The link breaks while the master keeps writing
reset m r1
cut m r1
m> SET k2 hello
m> INCR counter
heal m r1
settle
say The replica asked for the bytes it missed, and the backlog still had them.
expect m sync_partial_ok = 1
expect r1 keyspace = m
info r1
`;
const DOCS = fileURLToPath(new URL("../../../shared/docs/scenario-format.md", import.meta.url));

const SETUP = [
  "node m",
  "node r1 replicaof m",
  "node r2 replicaof m",
  "sentinel s1 monitor mymaster m 2",
  "client app sentinel mymaster",
  "let OFF = m master_repl_offset",
].join("\n");
const SETUP_LINES = 6;

function parse(text: string): Script {
  const r = parseScenario(text, "t.scenario");
  if (!r.ok) throw new Error(r.errors.map(formatError).join("\n"));
  return r.script;
}

/** The last line of SETUP + `line`, with positions and source left out. */
function one(line: string): unknown {
  const lines = parse(`${SETUP}\n${line}`).lines;
  expect(lines).toHaveLength(SETUP_LINES + 1);
  return strip(lines[SETUP_LINES]);
}

function strip(line: Line | undefined): unknown {
  return JSON.parse(
    JSON.stringify(line, (k: string, v: unknown) =>
      k === "source" || k === "line" || k === "column" || k === "start" || k === "end"
        ? undefined
        : v,
    ),
  );
}

const words = (...w: string[]) => w.map((bytes) => ({ bytes, quoted: false }));

describe("every line kind parses", () => {
  it("title, seed, epoch and redis are hoisted into the script", () => {
    const s = parse(
      "title  Failover, then loss  \nseed 42\nepoch 2025-06-01T12:00:00Z\nredis 6.2\n",
    );
    expect(s.title).toBe("Failover, then loss");
    expect(s.seed).toBe(42);
    expect(s.epochMs).toBe(Date.UTC(2025, 5, 1, 12));
    expect(s.redisVersion).toBe("6.2");
    expect(s.lines.map((l) => l.kind)).toEqual(["title", "seed", "epoch", "redis"]);
  });

  it("a script without them gets the defaults", () => {
    const s = parse("node m\n");
    expect(s).toMatchObject({ seed: 1, epochMs: 1767225600000, redisVersion: "7.0" });
    expect("title" in s).toBe(false);
  });

  it("epoch accepts milliseconds", () => {
    expect(parse("epoch 1000").epochMs).toBe(1000);
  });

  it("config resolves aliases and canonicalises values", () => {
    expect(one("config repl-backlog-size 16kb")).toEqual({
      kind: "config",
      name: "repl-backlog-size",
      value: "16384",
    });
    expect(one("config slave-priority 10")).toEqual({
      kind: "config",
      name: "replica-priority",
      value: "10",
    });
    expect(one("config repl-diskless-sync NO")).toEqual({
      kind: "config",
      name: "repl-diskless-sync",
      value: "no",
    });
  });

  it("config takes several words for a string parameter, and an empty one", () => {
    expect(one("config save 900 1 300 10")).toEqual({
      kind: "config",
      name: "save",
      value: "900 1 300 10",
    });
    expect(one('config save ""')).toEqual({ kind: "config", name: "save", value: "" });
  });

  it("config takes a duration or milliseconds for Sentinel timeouts", () => {
    expect(one("config sentinel-down-after 5s")).toEqual({
      kind: "config",
      name: "sentinel-down-after",
      value: "5000",
    });
    expect(one("config sentinel-failover-timeout 60000")).toMatchObject({ value: "60000" });
    expect(one("config sentinel-parallel-syncs 1")).toMatchObject({ value: "1" });
  });

  it("node, with its options in any order", () => {
    expect(one("node r3")).toEqual({ kind: "node", name: "r3" });
    expect(one("node r3 replicaof r1 priority 0")).toEqual({
      kind: "node",
      name: "r3",
      replicaOf: "r1",
      priority: 0,
    });
    expect(one("node r3 priority 50 replicaof m")).toEqual({
      kind: "node",
      name: "r3",
      replicaOf: "m",
      priority: 50,
    });
  });

  it("sentinel", () => {
    expect(one("sentinel s2 monitor mymaster m 2")).toEqual({
      kind: "sentinel",
      name: "s2",
      group: "mymaster",
      master: "m",
      quorum: 2,
    });
  });

  it("client through Sentinel, with reads and wait", () => {
    expect(one("client app2 sentinel mymaster")).toEqual({
      kind: "client",
      name: "app2",
      via: { kind: "sentinel", group: "mymaster", reads: "master" },
    });
    expect(one("client app2 sentinel mymaster wait 1 500 reads replicas")).toEqual({
      kind: "client",
      name: "app2",
      via: {
        kind: "sentinel",
        group: "mymaster",
        reads: "replicas",
        wait: { numReplicas: 1, timeoutMs: 500 },
      },
    });
  });

  it("client fixed to a node", () => {
    expect(one("client c1 node r1")).toEqual({
      kind: "client",
      name: "c1",
      via: { kind: "node", node: "r1" },
    });
  });

  it("network and link", () => {
    expect(one("network latency 2ms")).toEqual({ kind: "network", path: { latencyUs: 2000 } });
    expect(one("network latency 1ms jitter 500us bandwidth 10mb/s")).toEqual({
      kind: "network",
      path: { latencyUs: 1000, jitterUs: 500, bandwidthBytesPerSec: 10485760 },
    });
    expect(one("link m r1 bandwidth 1mb/s latency 50ms")).toEqual({
      kind: "link",
      a: "m",
      b: "r1",
      path: { latencyUs: 50000, bandwidthBytesPerSec: 1048576 },
    });
  });

  it("cut, heal and reset in each form", () => {
    expect(one("cut m r1")).toEqual({ kind: "cut", scope: { kind: "pair", a: "m", b: "r1" } });
    expect(one("cut s1")).toEqual({ kind: "cut", scope: { kind: "process", name: "s1" } });
    expect(one("heal m r1")).toEqual({ kind: "heal", scope: { kind: "pair", a: "m", b: "r1" } });
    expect(one("heal m")).toEqual({ kind: "heal", scope: { kind: "process", name: "m" } });
    expect(one("heal")).toEqual({ kind: "heal", scope: { kind: "all" } });
    expect(one("reset m r1")).toEqual({ kind: "reset", a: "m", b: "r1" });
  });

  it("crash, restart and sleep", () => {
    expect(one("crash m")).toEqual({ kind: "crash", name: "m" });
    expect(one("restart s1")).toEqual({ kind: "restart", name: "s1" });
    expect(one("sleep r1 1.5s")).toEqual({ kind: "sleep", name: "r1", durationUs: 1_500_000 });
  });

  it("advance and settle, with settle's default limit", () => {
    expect(one("advance 250ms")).toEqual({ kind: "advance", durationUs: 250_000 });
    expect(one("settle")).toEqual({ kind: "settle", timeoutUs: 60_000_000 });
    expect(one("settle 5s")).toEqual({ kind: "settle", timeoutUs: 5_000_000 });
  });

  it("repeat, whose body is a line of its own", () => {
    expect(one("repeat 10 m> SET key:$i $bytes(1000)")).toEqual({
      kind: "repeat",
      count: 10,
      body: {
        kind: "command",
        name: "m",
        text: "SET key:$i $bytes(1000)",
        words: words("SET", "key:$i", "$bytes(1000)"),
      },
    });
    expect(one("repeat 3 advance 1s")).toEqual({
      kind: "repeat",
      count: 3,
      body: { kind: "advance", durationUs: 1_000_000 },
    });
  });

  it("repeat's body keeps its own column", () => {
    const line = parse(`${SETUP}\nrepeat 2  m> GET k`).lines[SETUP_LINES];
    expect(line).toMatchObject({
      column: 1,
      body: { column: 11, words: [{ column: 14 }, { column: 18 }] },
    });
  });

  it("a command to a node, a Sentinel or a client keeps its raw text", () => {
    expect(one(`m> SET "my key" 'v 1'   # why`)).toEqual({
      kind: "command",
      name: "m",
      text: `SET "my key" 'v 1'`,
      words: [
        { bytes: "SET", quoted: false },
        { bytes: "my key", quoted: true },
        { bytes: "v 1", quoted: true },
      ],
    });
    expect(one("s1> SENTINEL get-master-addr-by-name mymaster")).toMatchObject({
      kind: "command",
      name: "s1",
    });
    expect(one("app> GET k")).toMatchObject({ kind: "command", name: "app" });
    expect(one(`  r1>\tGET "\\xff"`)).toMatchObject({
      name: "r1",
      words: [{ bytes: "GET" }, { bytes: "\xff" }],
    });
  });

  it("info, with replication as the default section", () => {
    expect(one("info r1")).toEqual({ kind: "info", name: "r1", section: "replication" });
    expect(one("info s1 sentinel")).toEqual({ kind: "info", name: "s1", section: "sentinel" });
  });

  it("step and say keep the rest of the line as written", () => {
    expect(one(`step  The "replica" catches up  `)).toEqual({
      kind: "step",
      text: `The "replica" catches up`,
    });
    expect(one("say The replica's offset is $OFF # a comment")).toEqual({
      kind: "say",
      text: "The replica's offset is $OFF # a comment",
    });
    expect(one(`say "Offsets" match # a comment`)).toEqual({
      kind: "say",
      text: `"Offsets" match`,
    });
  });

  it("let", () => {
    expect(one("let RID = r1 master_replid")).toEqual({
      kind: "let",
      variable: "RID",
      name: "r1",
      field: "master_replid",
    });
  });

  it("expect on an INFO field, with a plain value, a variable or an offset from one", () => {
    expect(one("expect r1 master_link_status = up")).toEqual({
      kind: "expectField",
      name: "r1",
      field: "master_link_status",
      op: "=",
      value: { kind: "word", word: "up" },
    });
    expect(one("expect m slave0.offset >= $OFF")).toMatchObject({
      op: ">=",
      value: { kind: "word", word: "$OFF" },
    });
    expect(one("expect m master_repl_offset = $OFF + 52")).toMatchObject({
      value: { kind: "offset", variable: "OFF", delta: 52 },
    });
    expect(one("expect m master_repl_offset != $OFF - 3")).toMatchObject({
      op: "!=",
      value: { kind: "offset", variable: "OFF", delta: -3 },
    });
    expect(one("expect s1 master0.address = 10.0.0.1:6379")).toMatchObject({
      field: "master0.address",
    });
    expect(one("expect r2 foo = (absent)")).toMatchObject({
      value: { kind: "word", word: "(absent)" },
    });
    expect(one(`expect r2 foo = ""`)).toMatchObject({ value: { kind: "word", word: "" } });
    for (const op of ["=", "!=", "<", "<=", ">", ">="]) {
      expect(one(`expect m connected_slaves ${op} 2`)).toMatchObject({ op });
    }
  });

  it("expect on a command's reply", () => {
    expect(one(`expect m> SET k "a => b" => OK`)).toEqual({
      kind: "expectCommand",
      name: "m",
      text: `SET k "a => b"`,
      words: [
        { bytes: "SET", quoted: false },
        { bytes: "k", quoted: false },
        { bytes: "a => b", quoted: true },
      ],
      reply: "OK",
    });
    expect(one("expect app> EXEC => 1) OK\\n2) (integer) 2")).toMatchObject({
      reply: "1) OK\n2) (integer) 2",
    });
    expect(one(`expect m> GET k => "a\\nb"`)).toMatchObject({ reply: `"a\\nb"` });
    expect(
      one("expect r1> SET k v => (error) READONLY You can't write against a read only replica."),
    ).toMatchObject({
      reply: "(error) READONLY You can't write against a read only replica.",
    });
  });

  it("expect on keyspaces and on the ledger", () => {
    expect(one("expect r1 keyspace = m")).toEqual({ kind: "expectKeyspace", a: "r1", b: "m" });
    expect(one("expect ledger lost = 0")).toEqual({
      kind: "expectLedger",
      field: "lost",
      op: "=",
      value: 0,
    });
    expect(one("expect ledger acknowledged >= 10")).toMatchObject({
      field: "acknowledged",
      op: ">=",
      value: 10,
    });
    expect(one("expect ledger stale-reads < 1")).toMatchObject({ field: "stale-reads" });
  });
});

describe("the script as a whole", () => {
  it.skipIf(!existsSync(DOCS))("our copy of the example is the one in scenario-format.md", () => {
    const doc = readFileSync(DOCS, "utf8");
    expect(/## Example\s*```\n([\s\S]*?)```/.exec(doc)?.[1]).toBe(EXAMPLE);
  });

  it("parses the example at the end of scenario-format.md", () => {
    const s = parse(EXAMPLE);
    expect(s.title).toBe("Partial resync after a short disconnect");
    expect(s.lines.map((l) => l.kind)).toEqual([
      "title",
      "config",
      "node",
      "node",
      "settle",
      "step",
      "command",
      "settle",
      "expectField",
      "expectKeyspace",
      "step",
      "reset",
      "cut",
      "command",
      "command",
      "heal",
      "settle",
      "say",
      "expectField",
      "expectKeyspace",
      "info",
    ]);
    expect(s.lines.map((l) => l.line)).toEqual([
      1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
    ]);
  });

  it("skips blank lines and comments and keeps each line's source", () => {
    const s = parse("\n  # setup\nnode m   # the master\n\r\n\tm> PING\r\n");
    expect(s.lines.map((l) => [l.kind, l.line, l.column, l.source])).toEqual([
      ["node", 3, 1, "node m   # the master"],
      ["command", 5, 2, "\tm> PING"],
    ]);
  });

  it("ignores a UTF-8 byte order mark", () => {
    expect(parse("\uFEFFnode m").lines).toHaveLength(1);
  });

  it("lets setup lines come at any time and in order", () => {
    const s = parse(
      "node m\nm> SET a 1\nconfig repl-backlog-size 1mb\nnode r1 replicaof m\nsettle",
    );
    expect(s.lines.map((l) => l.kind)).toEqual(["node", "command", "config", "node", "settle"]);
  });

  it("accepts $i inside repeat and variables set earlier, even inside repeat", () => {
    const s = parse(
      'node m\nrepeat 3 let X = m master_repl_offset\nrepeat 2 expect m> GET k:$i => "$X$$"',
    );
    expect(s.lines[2]).toMatchObject({ body: { reply: `"$X$$"` } });
  });
});

describe("names and repeat", () => {
  it("accepts names of 1 to 32 characters", () => {
    const longest = "a" + "b-9".repeat(10) + "z";
    expect(longest).toHaveLength(32);
    expect(parse(`node x\nnode ${longest}`).lines).toHaveLength(2);
    const r = parseScenario(`node ${longest}y`);
    expect(!r.ok && r.errors[0]?.message).toMatch(/^invalid name/);
  });

  it("lets a repeated expect compare with $i + N", () => {
    const s = parse("node m\nrepeat 3 expect m connected_slaves < $i + 1");
    expect(s.lines[1]).toMatchObject({
      body: { kind: "expectField", value: { kind: "offset", variable: "i", delta: 1 } },
    });
  });

  it("repeats faults, time, narration and checks", () => {
    const body = [
      "heal",
      "cut m",
      "crash m",
      "restart m",
      "sleep m 1ms",
      "settle 1s",
      "say $i",
      "info m",
    ];
    const s = parse(["node m", ...body.map((b) => `repeat 2 ${b}`)].join("\n"));
    expect(s.lines.slice(1).map((l) => l.kind === "repeat" && l.body.kind)).toEqual([
      "heal",
      "cut",
      "crash",
      "restart",
      "sleep",
      "settle",
      "say",
      "info",
    ]);
  });
});

describe("decodeReply", () => {
  it("turns \\n into a line break outside double quotes only", () => {
    expect(decodeReply('1) OK\\n2) "a\\nb"\\n3) "q\\"\\n"')).toBe(
      '1) OK\n2) "a\\nb"\n3) "q\\"\\n"',
    );
    expect(decodeReply("C:\\\\n")).toBe("C:\\\n");
  });
});
