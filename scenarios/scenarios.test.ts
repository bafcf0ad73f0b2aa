/**
 * Every built-in scenario runs in-process, every `expect` in it must hold, and
 * its transcript must equal the golden file beside it (`NAME.golden`).
 * After a deliberate change, regenerate with `UPDATE_GOLDEN=1 npx vitest run scenarios`.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenarioText } from "../src/cli/runScenario";

const dir = import.meta.dirname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".scenario"))
  .sort();

describe("built-in scenarios", () => {
  it("exist", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(`${file} passes and matches its golden transcript`, async () => {
      const text = readFileSync(join(dir, file), "utf8");
      const outcome = await runScenarioText(text, file);
      if (outcome.kind === "parseError") throw new Error(outcome.errors.join("\n"));
      const lines = outcome.transcript.map((e) => e.text);
      if (!outcome.result.ok) lines.push(outcome.result.message);
      const transcript = lines.join("\n") + "\n";
      expect(outcome.result.ok ? "ok" : outcome.result.message).toBe("ok");
      const golden = join(dir, file.replace(/\.scenario$/, ".golden"));
      if (process.env.UPDATE_GOLDEN === "1") writeFileSync(golden, transcript);
      if (!existsSync(golden))
        throw new Error(
          `no golden transcript ${golden}: run UPDATE_GOLDEN=1 npx vitest run scenarios`,
        );
      expect(transcript).toBe(readFileSync(golden, "utf8"));
    }, 60_000); // Sentinel scenarios run for minutes of virtual time
  }

  it("the same script and seed give the same transcript and trace", async () => {
    const first = files[0];
    if (!first) return;
    const text = readFileSync(join(dir, first), "utf8");
    const a = await runScenarioText(text, first);
    const b = await runScenarioText(text, first);
    if (a.kind !== "ran" || b.kind !== "ran") throw new Error("did not run");
    expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
    expect(b.transcript).toEqual(a.transcript);
  });
});
