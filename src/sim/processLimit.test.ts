import { describe, expect, it } from "vitest";
import { runScenarioText } from "../cli/runScenario";
import { ClusterError } from "./cluster";
import { MAX_PROCESSES } from "./coordinator";
import { InProcessCluster } from "./inProcessCluster";

describe("the number of processes in a run", () => {
  it(`is at most ${MAX_PROCESSES}: one more is refused with an error naming the limit`, async () => {
    const cluster = new InProcessCluster({ seed: 1 });
    for (let i = 1; i <= MAX_PROCESSES; i++)
      await cluster.startNode({ name: `n${i}`, config: new Map() });
    expect(cluster.nodes()).toHaveLength(MAX_PROCESSES);
    const extra = cluster.startNode({ name: "one-too-many", config: new Map() });
    await expect(extra).rejects.toThrow(ClusterError);
    await expect(extra).rejects.toThrow(
      "cannot start one-too-many: a run holds at most 16 processes (servers, Sentinels and clients)",
    );
    // The run goes on with the processes it has.
    expect(cluster.nodes()).toHaveLength(MAX_PROCESSES);
    expect(await cluster.command("n1", "c", ["PING"])).toEqual({ type: "simple", value: "PONG" });
  });

  it("a script starting one too many fails at that line, naming the limit", async () => {
    const lines = Array.from({ length: MAX_PROCESSES + 1 }, (_, i) => `node n${i + 1}`);
    const outcome = await runScenarioText(lines.join("\n"), "many.scenario");
    if (outcome.kind !== "ran") throw new Error("the script should parse");
    expect(outcome.result).toEqual({
      ok: false,
      line: MAX_PROCESSES + 1,
      message: `line ${MAX_PROCESSES + 1}: cannot start n17: a run holds at most 16 processes (servers, Sentinels and clients)`,
    });
  });
});
