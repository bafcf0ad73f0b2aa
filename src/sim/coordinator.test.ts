import { describe, expect, it } from "vitest";
import { LegacyInProcessCluster } from "./__reference__/legacyInProcessCluster";
import {
  coalesceWrites,
  firstDifference,
  runScript,
  scenarioFiles,
  usesSentinel,
} from "./__scenarios__/runScript";
import { InProcessCluster } from "./inProcessCluster";

// The coordinator and its process hosts replaced one global event queue. These tests hold
// the split runtime to the queue it replaced (kept as a frozen oracle), and show that how
// the hosts are scheduled cannot change a run: the determinism proof without a browser.
// The oracle predates Sentinels, so it is held to the scripts without them; scripts with
// Sentinels are covered by the scheduling tests below and by the worker e2e test.
// The hosts send a burst of stream writes as one segment where the oracle sent one per
// write, so the traces are compared with the writes of one instant taken as one.

const SHUFFLE_SEEDS = [1, 2, 3];

describe("the coordinator with in-thread process hosts", () => {
  for (const file of scenarioFiles().filter((f) => !usesSentinel(f))) {
    it(`runs ${file} exactly as the single global queue did`, async () => {
      const legacy = await runScript(
        file,
        (s) =>
          new LegacyInProcessCluster({ seed: s.seed, epochMs: s.epochMs, version: s.redisVersion }),
      );
      const split = await runScript(
        file,
        (s) => new InProcessCluster({ seed: s.seed, epochMs: s.epochMs, version: s.redisVersion }),
      );
      expect(split.transcript).toEqual(legacy.transcript);
      expect(
        firstDifference(coalesceWrites(legacy.traceLines), coalesceWrites(split.traceLines)),
      ).toBeNull();
    });
  }
});

describe("scheduling", () => {
  for (const file of scenarioFiles()) {
    it(`cannot change ${file}: hosts in random order, messages handed over at random moments`, async () => {
      const make =
        (shuffleSeed?: number) =>
        (s: { seed: number; epochMs: number; redisVersion: "7.0" | "6.2" }) =>
          new InProcessCluster({
            seed: s.seed,
            epochMs: s.epochMs,
            version: s.redisVersion,
            ...(shuffleSeed !== undefined ? { scheduling: { shuffleSeed } } : {}),
          });
      const canonical = await runScript(file, make());
      for (const shuffleSeed of SHUFFLE_SEEDS) {
        const shuffled = await runScript(file, make(shuffleSeed));
        expect(shuffled.transcript).toEqual(canonical.transcript);
        expect(firstDifference(canonical.traceLines, shuffled.traceLines)).toBeNull();
        expect(shuffled.traceHash).toBe(canonical.traceHash);
      }
    }, 60_000); // a Sentinel failover scenario runs four times here
  }
});
