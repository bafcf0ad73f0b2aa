import { describe, expect, it } from "vitest";
import { runScenarioText } from "../cli/runScenario";

describe("the ledger across a master's new replication id", () => {
  it("keeps writes acknowledged before the first replica synced: the dataset carries them on", async () => {
    // Found by the fuzz: r2 crashes before its first sync, so m has no backlog when the
    // client writes; r2's sync then gives m a new replid (and a backlog) over the same data.
    const script = [
      "config repl-diskless-sync-delay 1",
      "node m",
      "node r1 replicaof m",
      "node r2 replicaof m",
      "client app node m",
      "crash r2",
      "app> SET ack:1 w1",
      "restart r2",
      "settle 300s",
      "expect ledger acknowledged = 1",
      "expect ledger lost = 0",
      'expect r2> GET ack:1 => "w1"',
    ].join("\n");
    const outcome = await runScenarioText(script, "lineage.scenario");
    if (outcome.kind !== "ran") throw new Error(outcome.errors.join("\n"));
    expect(outcome.result).toEqual({ ok: true });
  });
});
