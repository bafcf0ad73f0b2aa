import { describe, expect, it } from "vitest";
import { parseScenario } from "../../scenario/parse";
import { tokenize } from "../../scenario/tokenize";
import { actionScript, commandLine, faultLine, scenarioWord } from "./actionScript";

const setup = {
  seed: 1,
  config: new Map([["repl-diskless-sync-delay", "0"]]),
  nodes: [{ name: "m" }, { name: "r1", replicaOf: "m" }],
};

describe("actionScript", () => {
  it("writes the setup and each action after the exact time that passed", () => {
    const script = actionScript(setup, [
      { t: 1_500_000, line: "m> SET k v" },
      { t: 1_500_000, line: "cut r1 m" },
      { t: 2_750_250, line: "heal r1 m" },
    ]);
    expect(script).toBe(
      [
        "title My session in the Redis Replication Playground",
        "seed 1",
        "config repl-diskless-sync-delay 0",
        "node m",
        "node r1 replicaof m",
        "advance 1.5s",
        "m> SET k v",
        "cut r1 m",
        "advance 1250.25ms",
        "heal r1 m",
        "",
      ].join("\n"),
    );
  });

  it("is a script the scenario parser accepts", () => {
    const script = actionScript(setup, [
      { t: 1000, line: "m> SET k v" },
      { t: 2000, line: "repeat 8 m> SET burst:$i $bytes(1000)" },
      { t: 3000, line: "reset r1 m" },
      { t: 4000, line: "crash r1" },
      { t: 5000, line: "restart r1" },
      { t: 6000, line: "node r2 replicaof m" },
      { t: 7000, line: "link r1 m latency 40ms bandwidth 102400/s" },
    ]);
    const parsed = parseScenario(script);
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
  });
});

describe("faultLine", () => {
  it("spells each fault as its scenario line", () => {
    expect(faultLine({ kind: "cut", a: "r1", b: "m" })).toBe("cut r1 m");
    expect(faultLine({ kind: "cut", a: "r1" })).toBe("cut r1");
    expect(faultLine({ kind: "heal" })).toBe("heal");
    expect(faultLine({ kind: "heal", a: "r1", b: "m" })).toBe("heal r1 m");
    expect(faultLine({ kind: "reset", a: "r1", b: "m" })).toBe("reset r1 m");
    expect(faultLine({ kind: "crash", node: "m" })).toBe("crash m");
    expect(faultLine({ kind: "restart", node: "m" })).toBe("restart m");
    expect(faultLine({ kind: "sleep", node: "m", durationUs: 3_000_000 })).toBe("sleep m 3s");
    expect(
      faultLine({
        kind: "link",
        a: "r1",
        b: "m",
        settings: { latencyUs: 40_000, bandwidthBytesPerSec: 102_400 },
      }),
    ).toBe("link r1 m latency 40ms bandwidth 102400/s");
  });
});

describe("commandLine", () => {
  it("writes plain arguments as they are", () => {
    expect(commandLine("m", ["SET", "k1", "v1"])).toBe("m> SET k1 v1");
  });

  it("quotes what the tokenizer would split or decode, and doubles every $", () => {
    for (const arg of ["a b", 'say "hi"', "it's", "#tag", "\\x00", "\x00\xff", "", "price $5"]) {
      const word = scenarioWord(arg).split("$$").join("$");
      const back = tokenize(word);
      expect(back.ok && back.tokens.map((t) => t.bytes)).toEqual([arg]);
    }
    expect(scenarioWord("$HOME")).toBe("$$HOME");
  });

  it("gives lines the scenario parser accepts", () => {
    const script = actionScript(setup, [
      { t: 0, line: commandLine("m", ["SET", "a b", "$x", "#1"]) },
    ]);
    const parsed = parseScenario(script);
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
  });
});
