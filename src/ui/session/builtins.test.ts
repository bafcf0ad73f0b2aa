import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../scenario/parse";
import { BUILTINS, builtin, builtinFrom } from "./builtins";

describe("the built-in scenarios in the page", () => {
  it("bundles every scenario of scenarios/, each parsing, titled and narrated step by step", () => {
    const files = readdirSync(join(import.meta.dirname, "../../../scenarios"))
      .filter((f) => f.endsWith(".scenario"))
      .map((f) => f.replace(/\.scenario$/, ""))
      .sort();
    expect(BUILTINS.map((b) => b.name).sort()).toEqual(files);
    for (const b of BUILTINS) {
      const parsed = parseScenario(b.text, b.name);
      expect(parsed.ok, b.name).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.script.title, b.name).toBe(b.title);
      expect(
        parsed.script.lines.some((l) => l.kind === "step"),
        b.name,
      ).toBe(true);
    }
  });

  it("puts the lessons first, in the order a reader takes them", () => {
    expect(BUILTINS.slice(0, 3).map((b) => b.name)).toEqual([
      "first-full-sync",
      "offset-counts",
      "partial-resync",
    ]);
  });

  it("finds the scenario the address names, and says when there is none of that name", () => {
    expect(builtinFrom("?scenario=chain")).toEqual({ kind: "found", scenario: builtin("chain") });
    expect(builtinFrom("?scenario=nope")).toEqual({ kind: "unknown", name: "nope" });
    expect(builtinFrom("?seed=3")).toEqual({ kind: "none" });
  });
});
