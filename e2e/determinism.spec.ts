import { expect, test as base } from "@playwright/test";
import type { Page } from "@playwright/test";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { summarizeRun } from "../src/host/runSummary";
import type {} from "../src/host/harness"; // declares window.__playground
import type { RunSummary } from "../src/host/runSummary";
import { runScenarioText } from "../src/cli/runScenario";

// Issue 5: the same script and seed give the same run on Web Workers (one per process,
// talking over MessageChannels) as in one process: every transcript line with its virtual
// time, and the whole trace, byte for byte (compared by hash). A machine busy with other
// work changes only how long that takes.

const SEED = 20260101;
const DIRS = ["scenarios", "src/sim/__scenarios__"];
const FILES = DIRS.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".scenario"))
    .sort()
    .map((f) => join(dir, f)),
);

/** The page with `?harness=1`: runs scripts on a WorkerCluster. */
class Harness {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto("./?harness=1");
    await this.page.waitForFunction(() => window.__playground !== undefined);
  }

  run(text: string, seed: number): Promise<RunSummary & { wallMs: number; windows: number }> {
    return this.page.evaluate(([t, s]) => window.__playground!.runScenario(t, s), [
      text,
      seed,
    ] as const);
  }

  startLoad(workers: number): Promise<void> {
    return this.page.evaluate((n) => window.__playground!.startLoad(n), workers);
  }

  stopLoad(): Promise<void> {
    return this.page.evaluate(() => window.__playground!.stopLoad());
  }
}

const test = base.extend<{ harness: Harness }>({
  harness: async ({ page }, use) => {
    const harness = new Harness(page);
    await harness.open();
    await use(harness);
  },
});

async function inProcess(text: string, file: string, seed: number): Promise<RunSummary> {
  const outcome = await runScenarioText(text, file, { seed });
  if (outcome.kind === "parseError") throw new Error(outcome.errors.join("\n"));
  return summarizeRun(outcome.transcript, outcome.result, outcome.trace);
}

test.describe.configure({ timeout: 180_000 });

for (const file of FILES) {
  test(`${file} runs the same on workers as in one process`, async ({ harness }) => {
    const text = readFileSync(file, "utf8");
    const expected = await inProcess(text, file, SEED);
    const actual = await harness.run(text, SEED);
    test.info().annotations.push({
      type: "workers",
      description: `${actual.windows} windows in ${Math.round(actual.wallMs)} ms`,
    });
    expect(actual.transcript).toEqual(expected.transcript);
    expect(actual.traceHash).toBe(expected.traceHash);
  });
}

test("a busy machine changes how long a run takes, not what happens in it", async ({ harness }) => {
  const file = "src/sim/__scenarios__/in-flight-faults.scenario";
  const text = readFileSync(file, "utf8");
  const expected = await inProcess(text, file, SEED);
  const idle = await harness.run(text, SEED);
  await harness.startLoad(4);
  try {
    const loaded = await harness.run(text, SEED);
    test.info().annotations.push({
      type: "load",
      description: `idle ${Math.round(idle.wallMs)} ms, loaded ${Math.round(loaded.wallMs)} ms`,
    });
    expect(loaded.traceHash).toBe(idle.traceHash);
    expect(loaded.transcript).toEqual(idle.transcript);
  } finally {
    await harness.stopLoad();
  }
  expect(idle.traceHash).toBe(expected.traceHash);
});
