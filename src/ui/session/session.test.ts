import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenarioText } from "../../cli/runScenario";
import { InProcessCluster } from "../../sim/inProcessCluster";
import { createPlaygroundStore } from "../store/store";
import type { PlaygroundStore } from "../store/store";
import { Session } from "./session";

const SCENARIOS = join(import.meta.dirname, "../../../scenarios");

/** A page without a browser: the session's tasks in one queue, time moved as the playback would. */
function page(seed = 1): { session: Session; store: PlaygroundStore; idle: () => Promise<void> } {
  const store = createPlaygroundStore();
  let chain: Promise<unknown> = Promise.resolve();
  const session = new Session(store, new InProcessCluster({ seed }), seed, {
    run: (task) => {
      chain = chain.then(task);
    },
    flush: () => undefined,
    discardPending: () => undefined,
    refreshViews: () => Promise.resolve(),
    createCluster: (s) => Promise.resolve(new InProcessCluster({ seed: s })),
    setPaused: () => undefined,
  });
  const idle = async () => {
    for (let before = chain; ; before = chain) {
      await before;
      if (before === chain) return;
    }
  };
  return { session, store, idle };
}

/** Plays the run to its end: slices of `sliceUs` (varied), Next at every step. */
async function playThrough(
  p: ReturnType<typeof page>,
  sliceUs: (i: number) => number,
  maxSlices = 200_000,
): Promise<number> {
  let nexts = 0;
  for (let i = 0; i < maxSlices; i++) {
    await p.idle();
    const status = p.store.getState().script.status;
    if (status === "done" || status === "failed") return nexts;
    if (status === "waiting") {
      p.session.perform({ kind: "next" });
      nexts++;
      continue;
    }
    await p.session.gate.advance(sliceUs(i));
  }
  throw new Error("the run did not end");
}

/** Moves time in slices until the run stands before a step. */
async function playToStep(p: ReturnType<typeof page>): Promise<void> {
  for (let i = 0; i < 100_000; i++) {
    await p.idle();
    if (p.store.getState().script.status !== "running") return;
    await p.session.gate.advance(100_000);
  }
}

function scenario(name: string): string {
  return readFileSync(join(SCENARIOS, `${name}.scenario`), "utf8");
}

describe("the page's script session", () => {
  for (const name of [
    "first-full-sync",
    "partial-resync",
    "slow-link-full-sync",
    "sentinel-failover",
  ]) {
    it(`plays ${name} in the page to the same trace as the runner, however time is sliced`, async () => {
      const text = scenario(name);
      const runner = await runScenarioText(text, name);
      if (runner.kind !== "ran") throw new Error("did not run");
      const p = page();
      expect(p.session.load(text, name)).toBe(true);
      const steps = await playThrough(p, (i) => [1, 250, 7_000, 1_000_000][i % 4] ?? 1);
      expect(p.store.getState().script.status).toBe("done");
      expect(steps).toBe(runner.transcript.filter((e) => e.kind === "step").length);
      expect(JSON.stringify(p.session.gate.trace())).toBe(JSON.stringify(runner.trace));
    }, 30_000);
  }

  it("runs application clients and checks the ledger as the runner does", async () => {
    const text =
      "node m\nnode r1 replicaof m\nsettle\nclient app node m\napp> SET k v\nsettle\nexpect ledger acknowledged = 1\n";
    const runner = await runScenarioText(text, "ledger");
    if (runner.kind !== "ran") throw new Error("did not run");
    expect(runner.result.ok).toBe(true);
    const p = page();
    p.session.load(text, null);
    await playThrough(p, () => 3_000);
    expect(p.store.getState().script.failure).toBe(null);
    expect(JSON.stringify(p.session.gate.trace())).toBe(JSON.stringify(runner.trace));
  });

  it("says where a failing script stopped, in the guided view and in the log", async () => {
    const p = page();
    p.session.load("node m\nstep Check the role\nexpect m role = slave\n", null);
    await playThrough(p, () => 1_000);
    const { script, log } = p.store.getState();
    expect(script.status).toBe("failed");
    expect(script.failure).toEqual({
      line: 3,
      message: "line 3: expected m role = slave, got master",
    });
    expect(log.map((e) => e.text)).toContain("Step: Check the role");
    expect(log[log.length - 1]?.text).toBe(
      "The script stopped: line 3: expected m role = slave, got master",
    );
  });

  it("stands before each step until Next, with the time standing still", async () => {
    const p = page();
    p.session.load(scenario("partial-resync"), "partial-resync");
    await playToStep(p);
    expect(p.store.getState().script.status).toBe("waiting");
    const at = p.session.gate.now();
    await p.session.gate.advance(5_000_000);
    expect(p.session.gate.now()).toBe(at);
    p.session.perform({ kind: "next" });
    await p.idle();
    expect(p.store.getState().script.currentStep).toBe(0);
  });

  it("reports parse errors with their line and column and keeps the run", async () => {
    const p = page();
    p.session.load("node m\nnode r1 replicaof m\n", null);
    await p.idle();
    expect(p.session.load("node m\nnode r1 replicaof\nfrobnicate\n", null)).toBe(false);
    const errors = p.store.getState().scriptErrors;
    expect(errors[0]).toMatchObject({ line: 2 });
    expect(errors.some((e) => e.line === 3 && e.column === 1)).toBe(true);
    expect(p.store.getState().script.text).toBe("node m\nnode r1 replicaof m\n");
  });

  it("seeks back to an earlier moment and shows the cluster as it was then", async () => {
    const p = page();
    p.session.load(scenario("first-full-sync"), "first-full-sync");
    await playThrough(p, () => 100_000);
    const trace = p.session.gate.trace();
    const end = p.session.gate.now();
    const middle = trace[Math.floor(trace.length / 2)]?.t ?? 0;
    p.session.seek(middle);
    await p.idle();
    expect(p.session.gate.now()).toBe(middle);
    const rebuilt = p.session.gate.trace();
    expect(JSON.stringify(rebuilt)).toBe(JSON.stringify(trace.filter((e) => e.t <= middle)));
    expect(p.store.getState().timeline).toEqual({ endUs: end, positionUs: middle });
  });

  it("shows the paths' settings a script's network and link lines set, and keeps them over a seek", async () => {
    const p = page();
    p.session.load(
      [
        "network latency 5ms",
        "node m",
        "node r1 replicaof m",
        "node r2 replicaof m",
        "link m r1 latency 20ms jitter 2ms bandwidth 10kb/s",
        "settle",
        "m> SET k v",
        "settle",
        "",
      ].join("\n"),
      null,
    );
    await playThrough(p, () => 50_000);
    const expected = {
      network: { latencyUs: 5000, jitterUs: 0, bandwidthBytesPerSec: 0 },
      links: { "m|r1": { latencyUs: 20_000, jitterUs: 2000, bandwidthBytesPerSec: 10_240 } },
    };
    expect(p.store.getState()).toMatchObject(expected);
    const inner = p.session.gate.inner as InProcessCluster;
    expect(inner.network.path("m", "r1")).toEqual(expected.links["m|r1"]);
    expect(inner.network.path("m", "r2")).toEqual(expected.network);

    p.session.seek(Math.floor(p.session.gate.now() / 2));
    await p.idle();
    expect(p.store.getState()).toMatchObject(expected);
  });

  it("keeps a script's advance lines at the playback's pace: one slice passes as many as it covers", async () => {
    const p = page();
    const lines = ["node m"];
    for (let i = 0; i < 100; i++) lines.push(`m> SET k${i} v`, "advance 1ms");
    p.session.load(`${lines.join("\n")}\n`, null);
    await p.idle();
    const keys = async () =>
      Number((await p.session.gate.snapshot("m")).info.get("db0")?.match(/^keys=(\d+)/)?.[1] ?? 0);
    const t0 = p.session.gate.now();
    const before = await keys();
    await p.session.gate.advance(40_000);
    await p.idle();
    expect(p.session.gate.now() - t0).toBe(40_000);
    // A SET at each millisecond the slice covered (the one due at its end included).
    expect((await keys()) - before).toBeGreaterThanOrEqual(40);
    expect((await keys()) - before).toBeLessThanOrEqual(41);
  });

  it("replays the reader's actions at their moments, and a fork keeps the original run", async () => {
    const p = page();
    p.session.load("node m\nnode r1 replicaof m\nsettle\n", null);
    await playThrough(p, () => 50_000);
    await p.session.gate.advance(1_000_000);
    const argv = ["SET", "k", "original"];
    p.session.perform({ kind: "command", node: "m", text: argv.join(" "), argv });
    await p.idle();
    await p.session.gate.advance(2_000_000);
    await p.idle();
    const original = JSON.stringify(p.session.gate.trace());
    const end = p.session.gate.now();
    const actionAt = p.store.getState().actions[0]?.t ?? 0;
    expect(p.store.getState().actions.map((a) => a.line)).toEqual(["m> SET k original"]);

    // Back to before the SET, then forward again: the SET is replayed, the run is the same.
    p.session.seek(actionAt - 1);
    await p.idle();
    expect(p.store.getState().actions).toEqual([]);
    while (p.session.gate.now() < end)
      await p.session.gate.advance(Math.min(250_000, end - p.session.gate.now()));
    await p.idle();
    expect(JSON.stringify(p.session.gate.trace())).toBe(original);

    // Back again, and a different write: a fork.
    p.session.seek(actionAt - 1);
    await p.idle();
    const other = ["SET", "k", "forked"];
    p.session.perform({ kind: "command", node: "m", text: other.join(" "), argv: other });
    await p.idle();
    const runs = p.store.getState().runs;
    expect(runs.length).toBe(2);
    expect(p.store.getState().currentRun).toBe(runs[1]?.id);
    expect(p.store.getState().actions.map((a) => a.line)).toEqual(["m> SET k forked"]);

    // The original is still there to return to.
    p.session.selectRun(runs[0]?.id ?? -1);
    await p.idle();
    expect(p.session.gate.now()).toBe(end);
    expect(JSON.stringify(p.session.gate.trace())).toBe(original);
  });

  it("goes back to the previous step by replaying to it", async () => {
    const p = page();
    p.session.load(scenario("partial-resync"), "partial-resync");
    await playToStep(p);
    p.session.perform({ kind: "next" });
    await playToStep(p);
    p.session.perform({ kind: "next" });
    await p.idle();
    expect(p.store.getState().script.currentStep).toBe(1);
    p.session.previousStep();
    await p.idle();
    // Standing before step 2 again, with step 1's narration.
    expect(p.store.getState().script.status).toBe("waiting");
    expect(p.store.getState().script.currentStep).toBe(0);
    // And on to the end, the same run as the runner's.
    await playThrough(p, () => 100_000);
    expect(p.store.getState().script.status).toBe("done");
    const runner = await runScenarioText(scenario("partial-resync"), "partial-resync");
    if (runner.kind !== "ran") throw new Error("did not run");
    expect(JSON.stringify(p.session.gate.trace())).toBe(JSON.stringify(runner.trace));
  });
});
