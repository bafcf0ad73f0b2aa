import { describe, expect, it } from "vitest";
import { generateScenario } from "./generate";
import { runWithInvariants } from "./runFuzz";

describe("randomised fault runs", () => {
  it("generate the same script from the same seed", () => {
    expect(generateScenario({ seed: 7, steps: 40 })).toBe(generateScenario({ seed: 7, steps: 40 }));
  });

  it("hold every invariant and converge for 150 seeds", async () => {
    for (let seed = 1; seed <= 150; seed++) {
      const result = await runWithInvariants(generateScenario({ seed, steps: 60 }));
      expect(result, `seed ${seed}`).toEqual({ ok: true });
    }
  }, 120_000);

  it("catch an acknowledged write that vanished without the ledger reporting it lost", async () => {
    // FLUSHALL deletes it on purpose; the ledger follows replication histories, not
    // deletions, so it still holds the write: the end-of-run check must notice.
    const script = [
      "config repl-diskless-sync-delay 0",
      "node m",
      "node r1 replicaof m",
      "settle",
      "client app node m",
      "app> SET ack:1 w1",
      "m> FLUSHALL",
      "settle",
    ].join("\n");
    const result = await runWithInvariants(script);
    expect(result).toEqual({
      ok: false,
      line: 8,
      message:
        "line 8: the write SET ack:1 acknowledged by m is on no running server, and the ledger does not report it lost",
    });
  });

  it("catch a replica that diverges from its master", async () => {
    // A writable replica diverges on purpose: the settled check must notice.
    const script = [
      "config repl-diskless-sync-delay 0",
      "node m",
      "node r1 replicaof m",
      "settle",
      "r1> CONFIG SET replica-read-only no",
      "r1> SET local 1",
      "settle",
    ].join("\n");
    const result = await runWithInvariants(script);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain("dataset differs");
  });
});
