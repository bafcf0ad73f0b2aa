import { describe, expect, it } from "vitest";
import { runScenarioText } from "../../cli/runScenario";
import { traceLines } from "./traceLines";

describe("trace export", () => {
  it("writes one JSON event per line, which reads back as the run's trace", async () => {
    const outcome = await runScenarioText(
      "node m\nnode r1 replicaof m\nsettle\nm> SET k v\nsettle\n",
      "t.scenario",
    );
    if (outcome.kind !== "ran") throw new Error("the script should run");
    const text = traceLines(outcome.trace);
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.trimEnd().split("\n");
    expect(lines).toHaveLength(outcome.trace.length);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(outcome.trace);
    expect(outcome.trace.some((e) => e.type === "send" && e.bytes.includes("SET"))).toBe(true);
  });
});
