import { describe, expect, it } from "vitest";
import { TestNetwork } from "./testing/network";
import { sentinelView } from "./view";
import type { ClusterSpec } from "./testing/cluster";
import {
  SECOND,
  asRecord,
  eventsOfType,
  infoField,
  masterAddr,
  sentinelEvents,
  startCluster,
} from "./testing/cluster";

const SENTINELS = ["s1", "s2", "s3"];

/** Lets the Sentinels find the replicas (first INFO after they attached) and each other. */
function discover(net: TestNetwork): void {
  net.advance(15 * SECOND);
}

/** A cluster that has discovered itself; `lagging` replicas are cut off from m, then m takes writes. */
function crashMaster(spec: ClusterSpec & { lagging?: string }): {
  net: TestNetwork;
  from: number;
  crashedAt: number;
} {
  const net = startCluster(spec);
  discover(net);
  if (spec.lagging) net.cut("m", spec.lagging);
  for (let i = 0; i < 10; i++) net.command("m", ["SET", `key:${i}`, "value"]);
  net.advance(SECOND / 10);
  const from = net.events.length;
  net.crash("m");
  return { net, from, crashedAt: net.now };
}

/** Epochs in which a Sentinel logged +elected-leader, with who. */
function electionsByEpoch(net: TestNetwork, from: number): Map<number, string[]> {
  const epochOf = new Map<string, number>();
  const out = new Map<number, string[]>();
  for (const e of sentinelEvents(net, from)) {
    if (e.type === "+new-epoch") epochOf.set(e.host, Number(e.payload));
    if (e.type === "+elected-leader") {
      const epoch = epochOf.get(e.host) ?? 0;
      out.set(epoch, [...(out.get(epoch) ?? []), e.host]);
    }
  }
  return out;
}

describe("automatic failover with three Sentinels and quorum 2", () => {
  it("the Sentinels discover the replicas through INFO and each other through hello messages", () => {
    const net = startCluster();
    discover(net);
    for (const s of SENTINELS) {
      const master = asRecord(net.command(s, ["SENTINEL", "master", "mymaster"]));
      expect(master).toMatchObject({
        name: "mymaster",
        ip: "10.0.0.1",
        port: "6379",
        flags: "master",
        "num-slaves": "2",
        "num-other-sentinels": "2",
        quorum: "2",
      });
    }
    expect(eventsOfType(net, "+slave").map((e) => `${e.host} ${e.payload}`)).toContain(
      "s1 slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379",
    );
    expect(eventsOfType(net, "+sentinel").filter((e) => e.host === "s1")).toHaveLength(2);
  });

  it("a crashed master is seen SDOWN, then ODOWN, by every Sentinel, and exactly one leader is elected per epoch", () => {
    const { net, from, crashedAt } = crashMaster({});
    net.advance(30 * SECOND);
    const sdown = eventsOfType(net, "+sdown", from).filter((e) => e.payload.startsWith("master"));
    expect(sdown.map((e) => e.host).sort()).toEqual(SENTINELS);
    expect(sdown[0]?.payload).toBe("master mymaster 10.0.0.1 6379");
    // Down-after is 2 s: nobody may call it down sooner.
    for (const e of sdown) expect(e.t - crashedAt).toBeGreaterThan(2 * SECOND);
    const odown = eventsOfType(net, "+odown", from);
    expect(odown.length).toBeGreaterThan(0);
    expect(odown[0]?.payload).toMatch(/^master mymaster 10\.0\.0\.1 6379 #quorum [23]\/2$/);

    const elections = electionsByEpoch(net, from);
    expect(elections.size).toBeGreaterThan(0);
    for (const leaders of elections.values()) expect(leaders).toHaveLength(1);
  });

  it("the leader walks the failover states in order and every Sentinel switches to the promoted replica", () => {
    const { net, from } = crashMaster({});
    net.advance(30 * SECOND);
    const leader = [...electionsByEpoch(net, from).values()][0]?.[0] ?? "";
    const steps = sentinelEvents(net, from)
      .filter((e) => e.host === leader)
      .map((e) => e.type)
      .filter((t) =>
        [
          "+try-failover",
          "+elected-leader",
          "+failover-state-select-slave",
          "+selected-slave",
          "+failover-state-send-slaveof-noone",
          "+failover-state-wait-promotion",
          "+promoted-slave",
          "+failover-state-reconf-slaves",
          "+slave-reconf-sent",
          "+slave-reconf-inprog",
          "+slave-reconf-done",
          "+failover-end",
          "+switch-master",
        ].includes(t),
      );
    expect(steps).toEqual([
      "+try-failover",
      "+elected-leader",
      "+failover-state-select-slave",
      "+selected-slave",
      "+failover-state-send-slaveof-noone",
      "+failover-state-wait-promotion",
      "+promoted-slave",
      "+failover-state-reconf-slaves",
      "+slave-reconf-sent",
      "+slave-reconf-inprog",
      "+slave-reconf-done",
      "+failover-end",
      "+switch-master",
    ]);

    const promoted = eventsOfType(net, "+promoted-slave", from)[0]?.payload ?? "";
    const newIp = /^slave \S+ (\S+) 6379/.exec(promoted)?.[1] ?? "";
    const switches = eventsOfType(net, "+switch-master", from);
    expect(switches.map((e) => e.host).sort()).toEqual(SENTINELS);
    for (const e of switches) expect(e.payload).toBe(`mymaster 10.0.0.1 6379 ${newIp} 6379`);
    // The others learned it from the leader's hello messages.
    expect(eventsOfType(net, "+config-update-from", from)).toHaveLength(2);
    for (const s of SENTINELS) expect(masterAddr(net, s)).toBe(`${newIp}:6379`);

    // The promoted replica is a master; the other one replicates from it.
    const newMaster = newIp === "10.0.0.2" ? "r1" : "r2";
    const other = newMaster === "r1" ? "r2" : "r1";
    expect(infoField(net, newMaster, "role")).toBe("master");
    expect(infoField(net, other, "master_host")).toBe(newIp);
    expect(infoField(net, other, "master_link_status")).toBe("up");
  });

  it("emits each event as a log ProcessEvent whose text is the line Sentinel logs", () => {
    const { net, from } = crashMaster({});
    net.advance(10 * SECOND);
    const sdown = net.events
      .slice(from)
      .find((e) => e.host === "s1" && e.event.type === "log" && e.event.text.startsWith("+sdown"));
    expect(sdown?.event).toEqual({
      type: "log",
      level: "warning",
      text: "+sdown master mymaster 10.0.0.1 6379",
    });
  });

  it("publishes every event on the channel of its name", () => {
    const net = startCluster();
    discover(net);
    net.command("s1", ["SUBSCRIBE", "+switch-master"], "watcher");
    const from = net.replies.length;
    net.crash("m");
    net.advance(30 * SECOND);
    const messages = net.replies.slice(from).filter((r) => r.client === "watcher");
    expect(messages).toHaveLength(1);
    const reply = messages[0]?.reply;
    expect(
      reply?.type === "array" && reply.value?.map((r) => (r.type === "bulk" ? r.value : null)),
    ).toEqual([
      "message",
      "+switch-master",
      `mymaster 10.0.0.1 6379 ${masterAddr(net, "s1").split(":")[0] ?? ""} 6379`,
    ]);
  });

  it("replays byte for byte: the same seed gives the same events", () => {
    const run = (): string => {
      const { net } = crashMaster({ seed: 7 });
      net.advance(30 * SECOND);
      return JSON.stringify(net.events);
    };
    expect(run()).toBe(run());
  });
});

describe("replica selection", () => {
  it.each([
    ["r1", "10.0.0.3"],
    ["r2", "10.0.0.2"],
  ])(
    "with %s lagging behind, the replica with the higher offset (%s) is promoted",
    (lagging, expected) => {
      const { net, from } = crashMaster({ lagging });
      net.advance(30 * SECOND);
      const selected = eventsOfType(net, "+selected-slave", from);
      expect(selected).toHaveLength(1);
      expect(selected[0]?.payload).toBe(
        `slave ${expected}:6379 ${expected} 6379 @ mymaster 10.0.0.1 6379`,
      );
      expect(masterAddr(net, "s1")).toBe(`${expected}:6379`);
    },
  );

  it("a lower replica-priority wins over a higher offset", () => {
    const { net, from } = crashMaster({ replicas: [{ priority: 10 }, {}], lagging: "r1" });
    net.advance(30 * SECOND);
    expect(eventsOfType(net, "+selected-slave", from)[0]?.payload).toMatch(
      /^slave 10\.0\.0\.2:6379 /,
    );
    for (const s of SENTINELS) expect(masterAddr(net, s)).toBe("10.0.0.2:6379");
  });

  it("a replica with priority 0 is never chosen, even with the higher offset", () => {
    const { net, from } = crashMaster({ replicas: [{ priority: 0 }, {}], lagging: "r2" });
    net.advance(30 * SECOND);
    const selected = eventsOfType(net, "+selected-slave", from);
    expect(selected.map((e) => e.payload)).toEqual([
      "slave 10.0.0.3:6379 10.0.0.3 6379 @ mymaster 10.0.0.1 6379",
    ]);
    // The priority-0 replica is reconfigured like any other.
    expect(infoField(net, "r1", "master_host")).toBe("10.0.0.3");
  });

  it("with only priority-0 replicas the failover aborts with -failover-abort-no-good-slave", () => {
    const { net, from } = crashMaster({ replicas: [{ priority: 0 }] });
    net.advance(30 * SECOND);
    expect(eventsOfType(net, "-failover-abort-no-good-slave", from).length).toBeGreaterThan(0);
    expect(eventsOfType(net, "+selected-slave", from)).toHaveLength(0);
    for (const s of SENTINELS) expect(masterAddr(net, s)).toBe("10.0.0.1:6379");
  });
});

describe("agreement", () => {
  it("without the quorum there is no ODOWN and no failover", () => {
    const net = startCluster({ quorum: 3 });
    discover(net);
    net.crash("s3");
    const from = net.events.length;
    net.crash("m");
    net.advance(40 * SECOND);
    const sdown = eventsOfType(net, "+sdown", from).filter((e) => e.payload.startsWith("master"));
    expect(sdown.map((e) => e.host).sort()).toEqual(["s1", "s2"]);
    expect(eventsOfType(net, "+odown", from)).toHaveLength(0);
    expect(eventsOfType(net, "+try-failover", from)).toHaveLength(0);
    expect(masterAddr(net, "s1")).toBe("10.0.0.1:6379");
    expect(asRecord(net.command("s1", ["SENTINEL", "master", "mymaster"])).flags).toBe(
      "s_down,master,disconnected",
    );
  });

  it("ODOWN without a majority of the Sentinels ends in -failover-abort-not-elected", () => {
    const net = startCluster({ quorum: 1 });
    discover(net);
    net.crash("s2");
    net.crash("s3");
    const from = net.events.length;
    net.crash("m");
    net.advance(36 * SECOND);
    expect(eventsOfType(net, "+odown", from)[0]?.payload).toBe(
      "master mymaster 10.0.0.1 6379 #quorum 1/1",
    );
    // Each attempt gives up after the election timeout (min(10 s, failover-timeout)), and the
    // next may start only 2 × failover-timeout after the last.
    const tries = eventsOfType(net, "+try-failover", from);
    const aborts = eventsOfType(net, "-failover-abort-not-elected", from);
    expect(tries).toHaveLength(2);
    expect(aborts).toHaveLength(2);
    const [first, second] = tries.map((e) => e.t);
    expect((aborts[0]?.t ?? 0) - (first ?? 0)).toBeGreaterThan(10 * SECOND);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(20 * SECOND);
    expect(
      net
        .logs("s1")
        .some((l) =>
          l.startsWith("Next failover delay: I will not start a failover before Thu Jan  1 00:00:"),
        ),
    ).toBe(true);
    expect(eventsOfType(net, "+elected-leader", from)).toHaveLength(0);
    expect(masterAddr(net, "s1")).toBe("10.0.0.1:6379");
    expect(net.command("s1", ["SENTINEL", "ckquorum", "mymaster"])).toEqual({
      type: "error",
      value:
        "NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the majority and authorize a failover",
    });
  });
});

describe("after the failover", () => {
  it("the old master, when it returns as a master, is converted into a replica of the new one", () => {
    const { net } = crashMaster({});
    net.advance(30 * SECOND);
    const newAddr = masterAddr(net, "s1");
    const from = net.events.length;
    const restartedAt = net.now;
    net.restart("m");
    net.advance(30 * SECOND);
    const converted = eventsOfType(net, "+convert-to-slave", from);
    expect(converted).toHaveLength(1);
    expect(converted[0]?.payload).toBe(
      `slave 10.0.0.1:6379 10.0.0.1 6379 @ mymaster ${newAddr.replace(":", " ")}`,
    );
    // Not before 4 publish periods (8 s) of it reporting role:master.
    expect((converted[0]?.t ?? 0) - restartedAt).toBeGreaterThan(8 * SECOND);
    expect(infoField(net, "m", "role")).toBe("slave");
    expect(infoField(net, "m", "master_host")).toBe(newAddr.split(":")[0]);
    expect(infoField(net, "m", "master_link_status")).toBe("up");
  });

  it("reconfigures at most parallel-syncs replicas at a time", () => {
    const { net, from } = crashMaster({ replicas: [{ priority: 1 }, {}, {}] });
    net.advance(30 * SECOND);
    const leader = eventsOfType(net, "+elected-leader", from)[0]?.host;
    const reconf = sentinelEvents(net, from).filter(
      (e) => e.host === leader && /^\+slave-reconf-(sent|done)$/.test(e.type),
    );
    expect(reconf.map((e) => `${e.type} ${e.payload.split(" ")[1] ?? ""}`)).toEqual([
      "+slave-reconf-sent 10.0.0.3:6379",
      "+slave-reconf-done 10.0.0.3:6379",
      "+slave-reconf-sent 10.0.0.4:6379",
      "+slave-reconf-done 10.0.0.4:6379",
    ]);
    expect(infoField(net, "r3", "master_host")).toBe("10.0.0.2");
  });

  it("SENTINEL FAILOVER promotes a replica without any agreement while the master is up", () => {
    const net = startCluster();
    discover(net);
    const from = net.events.length;
    expect(net.command("s2", ["SENTINEL", "failover", "mymaster"])).toEqual({
      type: "simple",
      value: "OK",
    });
    net.advance(40 * SECOND);
    expect(eventsOfType(net, "+elected-leader", from).map((e) => e.host)).toEqual(["s2"]);
    const newAddr = masterAddr(net, "s2");
    expect(newAddr).not.toBe("10.0.0.1:6379");
    for (const s of SENTINELS) expect(masterAddr(net, s)).toBe(newAddr);
    // The old master was reconfigured with the other replica.
    expect(infoField(net, "m", "master_host")).toBe(newAddr.split(":")[0]);
  });
});

describe("two groups watched by the same Sentinels", () => {
  it("share one link per Sentinel between the groups", () => {
    const net = new TestNetwork();
    net.addServer("a", "10.0.0.1");
    net.addServer("b", "10.0.0.2");
    const monitors = [
      { group: "alpha", masterHost: "10.0.0.1", quorum: 2 },
      { group: "beta", masterHost: "10.0.0.2", quorum: 2 },
    ];
    for (const [i, n] of SENTINELS.entries()) {
      net.addSentinel(n, `10.0.0.${11 + i}`, { monitors, config: { downAfterMs: 2000 } });
    }
    net.advance(10 * SECOND);
    for (const group of ["alpha", "beta"]) {
      const peers = net.command("s1", ["SENTINEL", "sentinels", group]);
      const records = peers.type === "array" ? (peers.value ?? []).map(asRecord) : [];
      expect(records.map((r) => r["link-refcount"])).toEqual(["2", "2"]);
    }
    const view = sentinelView(net.sentinel("s1"));
    expect(view.masters.map((m) => [m.group, m.sentinels.length])).toEqual([
      ["alpha", 2],
      ["beta", 2],
    ]);
    // Only beta's master fails; alpha is untouched.
    const from = net.events.length;
    net.crash("b");
    net.advance(10 * SECOND);
    expect(
      eventsOfType(net, "+odown", from).every((e) => e.payload.startsWith("master beta ")),
    ).toBe(true);
    expect(eventsOfType(net, "+odown", from).length).toBeGreaterThan(0);
  });
});

describe("the view", () => {
  it("shows the failover from the leader's point of view as plain data", () => {
    const { net, from } = crashMaster({});
    net.advance(30 * SECOND);
    const leader = eventsOfType(net, "+elected-leader", from)[0]?.host ?? "";
    const view = sentinelView(net.sentinel(leader));
    const master = view.masters[0];
    expect(view.currentEpoch).toBe(1);
    expect(master?.configEpoch).toBe(1);
    expect(master?.failoverState).toBe("none");
    expect(`${master?.currentIp ?? ""}:${master?.currentPort ?? 0}`).toBe(masterAddr(net, leader));
    expect(master?.replicas.map((r) => r.ip).sort()).toContain("10.0.0.1");
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });
});
