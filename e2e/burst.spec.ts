import { expect, test } from "@playwright/test";
import type {} from "../src/host/harness"; // declares window.__playground
import { runBurst } from "../src/host/burst";
import { InProcessCluster } from "../src/sim/inProcessCluster";

// A burst of writes makes steps carry thousands of client commands and trace records,
// which the worker protocol packs as JSON text (src/host/protocol.ts): the run must still
// be the in-process run, byte for byte, with and without payload bytes in the trace.

const WRITES = 5000;
const SEED = 9;

for (const traceBytes of [false, true]) {
  test(`a burst of ${WRITES} writes runs the same on workers as in one process (traceBytes ${traceBytes})`, async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const expected = await runBurst(new InProcessCluster({ seed: SEED, traceBytes }), WRITES);
    await page.goto("./?harness=1");
    await page.waitForFunction(() => window.__playground !== undefined);
    const actual = await page.evaluate(([w, s, b]) => window.__playground!.runBurst(w, s, b), [
      WRITES,
      SEED,
      traceBytes,
    ] as const);
    expect(actual.events).toBe(expected.events);
    expect(actual.steps).toBe(expected.steps);
    expect(actual.traceHash).toBe(expected.traceHash);
  });
}
