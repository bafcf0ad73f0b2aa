import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runScenarioText } from "../cli/runScenario";
import { MAX_BYTES_EXPANSION } from "./expand";
import { MAX_SCRIPT_CHARS, parseScenario } from "./parse";

/*
 * Hostile scripts: a script is text from anywhere (a file, a share link, a host
 * page's message). Any text gives a script or located errors (parse.property.test.ts);
 * here, scripts that do parse are run, and limits keep them from exhausting memory.
 */

describe("a script over the length limit", () => {
  it("is refused with one error, located where the limit is crossed, naming the limit", () => {
    const line = "say " + "x".repeat(95) + "\n"; // 100 characters
    const text = line.repeat(MAX_SCRIPT_CHARS / 100) + "say one too many";
    const result = parseScenario(text, "long.scenario");
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          file: "long.scenario",
          line: MAX_SCRIPT_CHARS / 100 + 1,
          column: 1,
          message: `the script is too long: ${text.length} characters, at most 1000000`,
        },
      ],
    });
  });

  it("is accepted at exactly the limit", () => {
    const line = "# " + "x".repeat(97) + "\n";
    const text = line.repeat(MAX_SCRIPT_CHARS / 100);
    expect(text.length).toBe(MAX_SCRIPT_CHARS);
    expect(parseScenario(text).ok).toBe(true);
  });
});

describe("a word that expands past 64 MB", () => {
  it("fails its line with a message naming the limit, before building the string", async () => {
    const text = ["node m", `m> SET k $bytes(${MAX_BYTES_EXPANSION})x`].join("\n");
    const outcome = await runScenarioText(text, "big.scenario");
    if (outcome.kind !== "ran") throw new Error("the script should parse");
    expect(outcome.result).toEqual({
      ok: false,
      line: 2,
      message:
        "line 2: the word expands to more than 67108864 bytes, the most one argument may hold",
    });
  });

  it("counts every expansion in the word together", async () => {
    const text = ["node m", "m> SET k $bytes(40000000)$bytes(40000000)"].join("\n");
    const outcome = await runScenarioText(text, "twice.scenario");
    if (outcome.kind !== "ran") throw new Error("the script should parse");
    expect(outcome.result).toMatchObject({ ok: false, line: 2 });
  });
});

/** Values a curious student or a crafted link might put in a script. */
const HOSTILE_WORDS = [
  '"<script>alert(1)</script>"',
  "'<img src=x onerror=alert(1)>'",
  "javascript:alert(1)",
  '"\\x00\\xff\\r\\n"',
  '""',
  "$bytes(1000)",
  "$bytes(0)",
  "$X",
  "$$",
  "k",
  "v",
  "é€😀",
];

const word = fc.constantFrom(...HOSTILE_WORDS);
const node = fc.constantFrom("m", "r1", "r2");
const pair = fc.constantFrom(["m", "r1"], ["m", "r2"], ["r1", "r2"], ["r2", "m"]);

/** A line of the language, valid in shape, with hostile words where values go. */
const line: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(node, word, word).map(([n, k, v]) => `${n}> SET ${k} ${v}`),
  fc.tuple(node, word).map(([n, k]) => `${n}> GET ${k}`),
  fc.tuple(node, word, word).map(([n, k, v]) => `${n}> RPUSH ${k} ${v} ${v}`),
  fc.tuple(node, word).map(([n, c]) => `${n}> ${c} ${c}`),
  fc.tuple(node, word).map(([n, k]) => `expect ${n}> GET ${k} => "v"`),
  fc.tuple(fc.nat(3), node, word).map(([c, n, k]) => `repeat ${c + 1} ${n}> INCR ${k}:$i`),
  word.map((w) => `say ${w}`),
  word.map((w) => `step ${w}`),
  pair.map(([a, b]) => `cut ${a} ${b}`),
  pair.map(([a, b]) => `heal ${a} ${b}`),
  pair.map(([a, b]) => `reset ${a} ${b}`),
  node.map((n) => `crash ${n}`),
  node.map((n) => `restart ${n}`),
  node.map((n) => `sleep ${n} 200ms`),
  node.map((n) => `info ${n} replication`),
  node.map((n) => `${n}> REPLICAOF NO ONE`),
  pair.map(([a, b]) => `${a}> REPLICAOF ${b} 6379`),
  node.map((n) => `${n}> CONFIG SET repl-backlog-size 16kb`),
  fc.constantFrom("advance 50ms", "advance 2s", "settle", "settle 5s"),
  node.map((n) => `let X = ${n} master_repl_offset`),
);

const script = fc
  .array(line, { maxLength: 14 })
  .map((lines) =>
    [
      "title '<b>hostile</b>'",
      "node m",
      "node r1 replicaof m",
      "node r2 replicaof m",
      "let X = m master_repl_offset",
      ...lines,
    ].join("\n"),
  );

describe("a hostile script that parses", () => {
  it("runs to the end or stops at a line with a message, never throwing", async () => {
    await fc.assert(
      fc.asyncProperty(script, async (text) => {
        const outcome = await runScenarioText(text, "hostile.scenario");
        if (outcome.kind === "parseError") {
          expect(outcome.errors[0]).toMatch(/^hostile\.scenario:\d+:\d+: /);
          return;
        }
        const { result } = outcome;
        if (!result.ok) {
          expect(result.line).toBeGreaterThanOrEqual(1);
          expect(result.line).toBeLessThanOrEqual(text.split("\n").length);
          expect(result.message).toMatch(new RegExp(`^line ${result.line}: .`));
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
