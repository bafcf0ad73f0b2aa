import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expand } from "./expand";
import { parseScenario } from "./parse";
import { tokenize } from "./tokenize";
import { parseEpochMs } from "./units";

const KEYWORDS = [
  "title",
  "seed",
  "epoch",
  "redis",
  "config",
  "node",
  "sentinel",
  "client",
  "network",
  "link",
  "cut",
  "heal",
  "reset",
  "crash",
  "restart",
  "sleep",
  "advance",
  "settle",
  "repeat",
  "info",
  "step",
  "say",
  "let",
  "expect",
  "ledger",
  "keyspace",
  "monitor",
  "replicaof",
  "priority",
  "latency",
  "jitter",
  "bandwidth",
  "reads",
  "wait",
  "replicas",
  "master",
  "=>",
  "=",
  "!=",
  "<=",
  "+",
  "-",
  "m",
  "r1",
  "s1",
  "app",
  "m>",
  "r1>",
  "app>",
  "mymaster",
  "X",
  "$X",
  "$i",
  "$$",
  "$bytes(3)",
  "$bytes(",
  "1",
  "0",
  "2",
  "1ms",
  "1.5s",
  "10mb/s",
  "7.0",
  "6.2",
  "16kb",
  "repl-backlog-size",
  "save",
  '""',
  '"a b"',
  "'c'",
  '"\\x41"',
  '"',
  "'",
  "#",
  "# x",
  "SET",
  "GET",
  "k",
  "v",
  "OK",
  "master_repl_offset",
  "slave0.offset",
  "(absent)",
];

/** Scenario-like text: lines of keywords, names, values and stray quotes. */
const scenarioish = fc
  .array(
    fc.array(fc.oneof(fc.constantFrom(...KEYWORDS), fc.string({ maxLength: 4 })), { maxLength: 8 }),
    { maxLength: 30 },
  )
  .map((lines) => lines.map((words) => words.join(" ")).join("\n"));

/** Any UTF-16 text, lone surrogates included. */
const utf16 = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
});

function checkResult(text: string): void {
  const result = parseScenario(text, "p.scenario");
  const sources = text.replace(/^\uFEFF/, "").split("\n");
  if (result.ok) {
    const numbers = result.script.lines.map((l) => l.line);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    return;
  }
  expect(result.errors.length).toBeGreaterThan(0);
  let previous = 0;
  for (const e of result.errors) {
    expect(e.file).toBe("p.scenario");
    expect(e.line).toBeGreaterThan(previous);
    previous = e.line;
    expect(e.column).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeLessThanOrEqual((sources[e.line - 1] ?? "").length + 1);
    expect(e.message).not.toBe("");
  }
}

describe("parseScenario never throws", () => {
  it("on arbitrary ASCII strings: it returns a script or located errors", () => {
    fc.assert(
      fc.property(fc.string(), (s) => checkResult(s)),
      { numRuns: 500 },
    );
  });

  it("on arbitrary Unicode strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => checkResult(s)),
      { numRuns: 500 },
    );
  });

  it("on arbitrary UTF-16, lone surrogates included", () => {
    fc.assert(
      fc.property(utf16, (s) => checkResult(s)),
      { numRuns: 300 },
    );
  });

  it("on lines built from the language's own words", () => {
    fc.assert(
      fc.property(scenarioish, (s) => checkResult(s)),
      { numRuns: 1000 },
    );
  });

  it("on a valid script with one line replaced by noise", () => {
    const base =
      "node m\nnode r1 replicaof m\nlet X = m master_repl_offset\nm> SET k v\nsettle\nexpect r1 master_repl_offset = $X + 10";
    fc.assert(
      fc.property(fc.nat(5), fc.string(), (i, noise) => {
        const lines = base.split("\n");
        lines[i] = noise;
        checkResult(lines.join("\n"));
      }),
    );
  });
});

describe("tokenize and expand on arbitrary input", () => {
  it("tokenize never throws and yields only bytes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const r = tokenize(s);
        if (r.ok)
          for (const t of r.tokens)
            expect([...t.bytes].every((c) => c.charCodeAt(0) <= 0xff)).toBe(true);
        else expect(r.column).toBeGreaterThanOrEqual(1);
      }),
    );
  });

  it("a word without $ expands to itself", () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes("$")),
        (s) => {
          expect(expand(s, new Map())).toEqual({ ok: true, value: s });
        },
      ),
    );
  });

  it("$$ always expands to one $", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("$$", "a", "b", " ")), (parts) => {
        const word = parts.join("");
        expect(expand(word, new Map())).toEqual({ ok: true, value: word.replaceAll("$$", "$") });
      }),
    );
  });
});

describe("epoch timestamps", () => {
  it("agree with Date.UTC", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(0), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString();
          expect(parseEpochMs(iso)).toEqual({ ok: true, value: d.getTime() });
        },
      ),
    );
  });
});
