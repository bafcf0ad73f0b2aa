/**
 * Randomised fault runs: `npm run fuzz -- [--runs N] [--seed S] [--steps K]`.
 * Each run is a random scenario checked against the invariants after every
 * line; a failure prints a shrunk script that reproduces it with `npm run sim`.
 */
import { writeFileSync } from "node:fs";
import { generateScenario } from "./fuzz/generate";
import { runWithInvariants, shrink } from "./fuzz/runFuzz";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v)) {
    process.stderr.write(`${name} needs a non-negative integer\n`);
    process.exit(2);
  }
  return Number(v);
}

async function main(): Promise<number> {
  const runs = arg("--runs", 50);
  const first = arg("--seed", 1);
  const steps = arg("--steps", 60);
  const started = performance.now();
  for (let k = 0; k < runs; k++) {
    const seed = first + k;
    const text = generateScenario({ seed, steps });
    const result = await runWithInvariants(text);
    if (!result.ok) {
      process.stdout.write(`seed ${seed}: ${result.message}\nshrinking…\n`);
      const small = await shrink(text, result.message);
      const file = `fuzz-failure-${seed}.scenario`;
      writeFileSync(file, small);
      process.stdout.write(
        `${small}\nwritten to ${file}; reproduce with: npm run --silent sim -- ${file}\n`,
      );
      return 1;
    }
  }
  const secs = (performance.now() - started) / 1000;
  process.stdout.write(
    `fuzz: ${runs} runs (seeds ${first}..${first + runs - 1}, ${steps} steps each) passed in ${secs.toFixed(1)}s\n`,
  );
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(
      `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exitCode = 3;
  },
);
