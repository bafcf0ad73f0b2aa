import { describe, expect, it } from "vitest";
import type { ByteString } from "../bytes";
import type { ConnId, ProcessInput, ProcessOutput } from "../io";
import type { Reply } from "../reply";
import { encodeCommand, encodeReply } from "../resp/encode";
import { RequestParser } from "../resp/parser";
import { compareSlavesForPromotion, ctime } from "./failover";
import { Instance } from "./instance";
import { Sentinel } from "./sentinel";
import { SECOND, asRecord, startCluster } from "./testing/cluster";

const EPOCH_MS = 1767225600000;
const OTHER_ID = "0123456789abcdef0123456789abcdef01234567";

function sentinel(options: { downAfterMs?: number; quorum?: number } = {}): Sentinel {
  return new Sentinel({
    name: "s1",
    ip: "10.0.0.11",
    incarnation: 0,
    seed: 42,
    startTime: 0,
    epochMs: EPOCH_MS,
    config: { downAfterMs: options.downAfterMs ?? 5000 },
    monitors: [{ group: "mymaster", masterHost: "10.0.0.1", quorum: options.quorum ?? 2 }],
  });
}

const logs = (out: readonly ProcessOutput[]): string[] =>
  out.flatMap((o) => (o.kind === "event" && o.event.type === "log" ? [o.event.text] : []));

function run(s: Sentinel, ...argv: ByteString[]): Reply {
  const out = s.handle(s.now, { kind: "clientCommand", client: "c", argv });
  const reply = out.find((o) => o.kind === "reply");
  if (reply?.kind !== "reply") throw new Error("no reply");
  return reply.reply;
}

/**
 * Plays the servers a standalone Sentinel connects to: accepts every
 * connection and answers each command (PING with `pong`).
 */
class FakeServers {
  private readonly parsers = new Map<ConnId, RequestParser>();
  readonly commands: string[] = [];
  readonly events: string[] = [];
  private queue: { at: number; input: ProcessInput }[] = [];

  /**
   * @param timer the wake-up the Sentinel asked for last (it repeats a
   *   request only when the time moves)
   */
  constructor(
    readonly s: Sentinel,
    public pong: Reply = { type: "simple", value: "PONG" },
    private timer = 1000,
  ) {}

  /** Runs the Sentinel for `us`, its timer every time it asks, the servers 1 ms away. */
  advance(us: number): void {
    const end = this.s.now + us;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      const at = Math.min(next?.at ?? Infinity, this.timer);
      if (at > end) break;
      let out: ProcessOutput[];
      if (next && next.at <= this.timer) {
        this.queue.shift();
        out = this.s.handle(at, next.input);
      } else {
        out = this.s.handle(at, { kind: "timerFired" });
        this.timer = Infinity;
      }
      for (const o of out) {
        if (o.kind === "timer") this.timer = o.at;
        if (o.kind === "connect") {
          this.parsers.set(o.conn, new RequestParser());
          this.queue.push({ at: at + 2000, input: { kind: "connected", conn: o.conn } });
        }
        if (o.kind === "send") this.answer(at, o.conn, o.bytes);
        if (o.kind === "event" && o.event.type === "log") this.events.push(o.event.text);
      }
    }
    this.s.now = Math.max(this.s.now, end);
  }

  private answer(at: number, conn: ConnId, bytes: ByteString): void {
    const parser = this.parsers.get(conn);
    if (!parser) return;
    parser.feed(bytes);
    for (let cmd = parser.next(); cmd && !("error" in cmd); cmd = parser.next()) {
      const name = (cmd.argv[0] ?? "").toUpperCase();
      this.commands.push(cmd.argv.join(" "));
      const reply: Reply =
        name === "PING"
          ? this.pong
          : name === "INFO"
            ? {
                type: "bulk",
                value:
                  "# Server\r\nrun_id:" +
                  "f".repeat(40) +
                  "\r\n\r\n# Replication\r\nrole:master\r\n",
              }
            : name === "SUBSCRIBE"
              ? {
                  type: "array",
                  value: [
                    { type: "bulk", value: "subscribe" },
                    { type: "bulk", value: cmd.argv[1] ?? "" },
                    { type: "integer", value: 1 },
                  ],
                }
              : { type: "simple", value: "OK" };
      this.queue.push({
        at: at + 1000,
        input: { kind: "bytesReceived", conn, bytes: encodeReply(reply) },
      });
    }
  }
}

describe("a Sentinel process", () => {
  it("logs its id and +monitor, then opens a command and a Pub/Sub connection to the master", () => {
    const s = sentinel();
    expect(s.myId).toMatch(/^[0-9a-f]{40}$/);
    expect(s.runId).toMatch(/^[0-9a-f]{40}$/);
    expect(s.myId).not.toBe(s.runId);
    const out = s.handle(1000, { kind: "timerFired" });
    expect(logs(out).slice(0, 2)).toEqual([
      `Sentinel ID is ${s.myId}`,
      "+monitor master mymaster 10.0.0.1 6379 quorum 2",
    ]);
    const connects = out.filter((o) => o.kind === "connect");
    expect(connects).toMatchObject([
      { kind: "connect", host: "10.0.0.1", port: 6379 },
      { kind: "connect", host: "10.0.0.1", port: 6379 },
    ]);
    // Nothing is written before the connections are up; then the queued commands go at once.
    expect(out.some((o) => o.kind === "send")).toBe(false);
    const [cc, pc] = connects.map((o) => (o.kind === "connect" ? o.conn : ""));
    const sent = (conn: string): ByteString =>
      s
        .handle(2000, { kind: "connected", conn })
        .flatMap((o) => (o.kind === "send" ? [o.bytes] : []))
        .join("");
    const name = `sentinel-${s.myId.slice(0, 8)}`;
    expect(sent(cc ?? "")).toBe(
      encodeCommand(["CLIENT", "SETNAME", `${name}-cmd`]) +
        encodeCommand(["PING"]) +
        encodeCommand(["INFO"]),
    );
    expect(sent(pc ?? "")).toBe(
      encodeCommand(["CLIENT", "SETNAME", `${name}-pubsub`]) +
        encodeCommand(["SUBSCRIBE", "__sentinel__:hello"]),
    );
  });

  it("runs its timer 10 to 19 times a second, as the randomised hz of sentinelTimer", () => {
    const s = sentinel();
    const gaps = new Set<number>();
    let at = 1000;
    for (let i = 0; i < 200; i++) {
      const timer = s.handle(at, { kind: "timerFired" }).find((o) => o.kind === "timer");
      if (timer?.kind !== "timer") throw new Error("no timer");
      gaps.add(timer.at - at);
      at = timer.at;
    }
    for (const gap of gaps)
      expect([...Array(10).keys()].map((k) => Math.floor(1000 / (10 + k)) * 1000)).toContain(gap);
    expect(gaps.size).toBeGreaterThan(3);
  });

  it.each([
    ["+PONG", { type: "simple", value: "PONG" }, false],
    ["-LOADING", { type: "error", value: "LOADING Redis is loading the dataset in memory" }, false],
    ["-MASTERDOWN", { type: "error", value: "MASTERDOWN Link with MASTER is down" }, false],
    ["-ERR", { type: "error", value: "ERR unknown command 'PING'" }, true],
    ["-BUSY", { type: "error", value: "BUSY Redis is busy running a script" }, true],
  ] as const)("a master answering PING with %s %s SDOWN", (_label, pong, down) => {
    const s = sentinel({ downAfterMs: 3000 });
    const servers = new FakeServers(s, pong);
    servers.advance(10 * SECOND);
    expect(servers.events.includes("+sdown master mymaster 10.0.0.1 6379")).toBe(down);
    if (_label === "-BUSY")
      expect(servers.commands.filter((c) => c === "SCRIPT KILL")).toHaveLength(1);
  });

  it("goes SDOWN only after down-after without an answer, and back with -sdown", () => {
    const s = sentinel({ downAfterMs: 3000 });
    const servers = new FakeServers(s, { type: "error", value: "ERR nope" });
    servers.advance(3 * SECOND);
    expect(servers.events).not.toContain("+sdown master mymaster 10.0.0.1 6379");
    servers.advance(2 * SECOND);
    expect(servers.events).toContain("+sdown master mymaster 10.0.0.1 6379");
    servers.pong = { type: "simple", value: "PONG" };
    servers.advance(2 * SECOND);
    expect(servers.events).toContain("-sdown master mymaster 10.0.0.1 6379");
  });
});

describe("SENTINEL commands", () => {
  it("is-master-down-by-addr votes for the first Sentinel that asks in an epoch, and only once", () => {
    const s = sentinel();
    s.handle(1000, { kind: "timerFired" });
    const ask = (epoch: string, runId: string): Reply =>
      run(s, "SENTINEL", "is-master-down-by-addr", "10.0.0.1", "6379", epoch, runId);
    const answer = (down: number, leader: string, epoch: number): Reply => ({
      type: "array",
      value: [
        { type: "integer", value: down },
        { type: "bulk", value: leader },
        { type: "integer", value: epoch },
      ],
    });
    expect(ask("0", "*")).toEqual(answer(0, "*", 0));
    const out = s.handle(s.now, {
      kind: "clientCommand",
      client: "c",
      argv: ["SENTINEL", "is-master-down-by-addr", "10.0.0.1", "6379", "5", OTHER_ID],
    });
    expect(logs(out)).toEqual(["+new-epoch 5", `+vote-for-leader ${OTHER_ID} 5`]);
    expect(ask("5", "b".repeat(40))).toEqual(answer(0, OTHER_ID, 5));
    expect(ask("6", "b".repeat(40))).toEqual(answer(0, "b".repeat(40), 6));
    // Another address is not a master this Sentinel knows: no vote.
    expect(run(s, "SENTINEL", "is-master-down-by-addr", "10.0.0.9", "6379", "9", OTHER_ID)).toEqual(
      answer(0, "*", 0),
    );
  });

  it("answers get-master-addr-by-name, master, myid and the errors as Redis words them", () => {
    const s = sentinel();
    expect(run(s, "SENTINEL", "get-master-addr-by-name", "mymaster")).toEqual({
      type: "array",
      value: [
        { type: "bulk", value: "10.0.0.1" },
        { type: "bulk", value: "6379" },
      ],
    });
    expect(run(s, "SENTINEL", "get-master-addr-by-name", "other")).toEqual({
      type: "array",
      value: null,
    });
    expect(run(s, "SENTINEL", "myid")).toEqual({ type: "bulk", value: s.myId });
    expect(run(s, "SENTINEL", "master", "other")).toEqual({
      type: "error",
      value: "ERR No such master with that name",
    });
    expect(run(s, "SENTINEL", "masters", "x")).toEqual({
      type: "error",
      value: "ERR wrong number of arguments for 'sentinel|masters' command",
    });
    expect(run(s, "SENTINEL", "nope")).toEqual({
      type: "error",
      value: "ERR unknown subcommand 'nope'. Try SENTINEL HELP.",
    });
    expect(run(s, "GET", "k")).toEqual({
      type: "error",
      value: "ERR unknown command 'GET', with args beginning with: 'k' ",
    });
    expect(run(s, "PUBLISH", "other", "x")).toEqual({
      type: "error",
      value: "ERR Only HELLO messages are accepted by Sentinel instances.",
    });
    expect(run(s, "ROLE")).toEqual({
      type: "array",
      value: [
        { type: "bulk", value: "sentinel" },
        { type: "array", value: [{ type: "bulk", value: "mymaster" }] },
      ],
    });
    const master = asRecord(run(s, "SENTINEL", "master", "mymaster"));
    expect(Object.keys(master)).toEqual([
      "name",
      "ip",
      "port",
      "runid",
      "flags",
      "link-pending-commands",
      "link-refcount",
      "last-ping-sent",
      "last-ok-ping-reply",
      "last-ping-reply",
      "down-after-milliseconds",
      "info-refresh",
      "role-reported",
      "role-reported-time",
      "config-epoch",
      "num-slaves",
      "num-other-sentinels",
      "quorum",
      "failover-timeout",
      "parallel-syncs",
    ]);
    expect(master.flags).toBe("master,disconnected");
    expect(run(s, "SENTINEL", "ckquorum", "mymaster")).toEqual({
      type: "error",
      value:
        "NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master",
    });
  });

  it("learns a Sentinel from a hello PUBLISHed to it, and switches master on a newer config epoch", () => {
    const s = sentinel();
    s.handle(1000, { kind: "timerFired" });
    const hello = (text: string): ProcessOutput[] =>
      s.handle(s.now, {
        kind: "clientCommand",
        client: "c",
        argv: ["PUBLISH", "__sentinel__:hello", text],
      });
    let out = hello(`10.0.0.12,26379,${OTHER_ID},3,mymaster,10.0.0.1,6379,0`);
    expect(out).toContainEqual({
      kind: "reply",
      client: "c",
      reply: { type: "integer", value: 1 },
    });
    expect(logs(out)).toEqual([
      `+sentinel sentinel ${OTHER_ID} 10.0.0.12 26379 @ mymaster 10.0.0.1 6379`,
      "+new-epoch 3",
    ]);
    expect(s.currentEpoch).toBe(3);
    out = hello(`10.0.0.12,26379,${OTHER_ID},3,mymaster,10.0.0.3,6379,3`);
    expect(logs(out)).toEqual([
      `+config-update-from sentinel ${OTHER_ID} 10.0.0.12 26379 @ mymaster 10.0.0.1 6379`,
      "+switch-master mymaster 10.0.0.1 6379 10.0.0.3 6379",
      "+slave slave 10.0.0.1:6379 10.0.0.1 6379 @ mymaster 10.0.0.3 6379",
    ]);
    expect(run(s, "SENTINEL", "get-master-addr-by-name", "mymaster")).toEqual({
      type: "array",
      value: [
        { type: "bulk", value: "10.0.0.3" },
        { type: "bulk", value: "6379" },
      ],
    });
    // Same epoch again: nothing changes.
    expect(logs(hello(`10.0.0.12,26379,${OTHER_ID},3,mymaster,10.0.0.1,6379,3`))).toEqual([]);
  });

  it("INFO has the Sentinel sections and a line per master", () => {
    const s = sentinel();
    const info = run(s, "INFO");
    const text = info.type === "bulk" ? (info.value ?? "") : "";
    expect(text.split("\r\n").filter((l) => l.startsWith("#"))).toEqual([
      "# Server",
      "# Clients",
      "# CPU",
      "# Stats",
      "# Sentinel",
    ]);
    expect(text).toContain("redis_mode:sentinel\r\n");
    expect(text).toContain("tcp_port:26379\r\n");
    expect(text).toContain(
      "master0:name=mymaster,status=ok,address=10.0.0.1:6379,slaves=0,sentinels=1\r\n",
    );
  });
});

describe("addresses", () => {
  it("names the master by host name only through a resolver, and reports its IP", () => {
    const base = {
      name: "s1",
      ip: "10.0.0.11",
      incarnation: 0,
      seed: 1,
      startTime: 0,
      epochMs: EPOCH_MS,
      monitors: [{ group: "mymaster", masterHost: "m", quorum: 1 }],
    };
    expect(() => new Sentinel(base)).toThrow("Can't resolve instance hostname 'm'.");
    const s = new Sentinel({ ...base, resolveHost: (h) => (h === "m" ? "10.0.0.1" : undefined) });
    expect(run(s, "SENTINEL", "get-master-addr-by-name", "mymaster")).toEqual({
      type: "array",
      value: [
        { type: "bulk", value: "10.0.0.1" },
        { type: "bulk", value: "6379" },
      ],
    });
  });
});

describe("hello messages", () => {
  it("carry ip,port,runid,current_epoch,master_name,master_ip,master_port,master_config_epoch", () => {
    const net = startCluster({ sentinels: 1 });
    net.command("m", ["SUBSCRIBE", "__sentinel__:hello"], "spy");
    net.advance(5 * SECOND);
    const hellos = net.replies
      .filter((r) => r.client === "spy" && r.reply.type === "array")
      .flatMap((r) =>
        r.reply.type === "array" &&
        r.reply.value?.[0]?.type === "bulk" &&
        r.reply.value[0].value === "message"
          ? [r.reply.value[2]]
          : [],
      );
    expect(hellos.length).toBeGreaterThan(0);
    expect(hellos[0]).toEqual({
      type: "bulk",
      value: `10.0.0.11,26379,${net.sentinel("s1").myId},0,mymaster,10.0.0.1,6379,0`,
    });
  });
});

describe("replica ordering (compareSlavesForPromotion)", () => {
  const replica = (
    name: string,
    priority: number,
    offset: number,
    runId: string | null,
  ): Instance => {
    const master = new Instance(
      "master",
      "mymaster",
      { hostname: "m", ip: "10.0.0.1", port: 6379 },
      2,
      null,
      0,
    );
    const r = new Instance("slave", name, { hostname: name, ip: name, port: 6379 }, 2, master, 0);
    r.slavePriority = priority;
    r.slaveReplOffset = offset;
    r.runId = runId;
    return r;
  };

  it("sorts by lower priority, then higher offset, then smaller run id ignoring case, missing run id last", () => {
    const list = [
      replica("a", 100, 500, "bbbb"),
      replica("b", 100, 900, "ffff"),
      replica("c", 50, 10, "zzzz"),
      replica("d", 100, 500, null),
      replica("e", 100, 500, "AAAA"),
    ];
    expect(list.sort(compareSlavesForPromotion).map((r) => r.name)).toEqual([
      "c",
      "b",
      "e",
      "a",
      "d",
    ]);
  });
});

describe("ctime", () => {
  it("prints a Unix time as ctime_r does in UTC", () => {
    expect(ctime(EPOCH_MS / 1000)).toBe("Thu Jan  1 00:00:00 2026");
    expect(ctime(951782400 + 3661)).toBe("Tue Feb 29 01:01:01 2000");
  });
});

describe("TILT", () => {
  it("a timer that runs more than 2 s late puts the Sentinel in TILT for 30 s", () => {
    const s = sentinel();
    s.handle(1000, { kind: "timerFired" });
    const out = s.handle(4 * SECOND, { kind: "timerFired" });
    expect(logs(out)).toContain("+tilt #tilt mode entered");
    expect(s.tilt).toBe(true);
    const info = run(s, "INFO", "sentinel");
    expect(info.type === "bulk" ? info.value : "").toContain("sentinel_tilt:1\r\n");
    // It keeps collecting but does not act until 30 s have passed.
    const wake = out.find((o) => o.kind === "timer");
    const servers = new FakeServers(s, undefined, wake?.kind === "timer" ? wake.at : 0);
    servers.advance(29 * SECOND);
    expect(servers.events).not.toContain("-tilt #tilt mode exited");
    servers.advance(2 * SECOND);
    expect(servers.events).toContain("-tilt #tilt mode exited");
  });
});
