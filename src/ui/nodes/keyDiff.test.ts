import { describe, expect, it } from "vitest";
import type { KeyView } from "../../engine/server/view";
import { keyDiff } from "./keyDiff";

const key = (name: string, preview: string, expiresAtMs: number | null = null): KeyView => ({
  db: 0,
  key: name,
  type: "string",
  preview,
  expiresAtMs,
});

describe("keyDiff", () => {
  it("marks every key of a master as having nothing to compare with", () => {
    expect(keyDiff([key("a", '"1"')], null).map((r) => r.status)).toEqual(["master"]);
  });

  it("finds same, differing, extra and missing keys, sorted by name", () => {
    const rows = keyDiff(
      [key("a", '"1"'), key("b", '"2"'), key("z", '"9"')],
      [key("a", '"1"'), key("b", '"3"'), key("c", '"4"')],
    );
    expect(rows.map((r) => [r.key.key, r.status])).toEqual([
      ["a", "same"],
      ["b", "differs"],
      ["c", "missing"],
      ["z", "extra"],
    ]);
  });

  it("flags a TTL that only one side has, but not a small skew", () => {
    expect(keyDiff([key("a", '"1"', 5000)], [key("a", '"1"')])[0]?.status).toBe("differs");
    expect(keyDiff([key("a", '"1"', 5000)], [key("a", '"1"', 5500)])[0]?.status).toBe("same");
  });
});
