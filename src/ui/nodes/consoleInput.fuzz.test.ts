import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_CONSOLE_LINE_CHARS, readConsoleLine } from "./consoleInput";

describe("a console line", () => {
  it("is split into arguments as redis-cli splits them, raw bytes and UTF-8 included", () => {
    expect(readConsoleLine('SET "a b" "\\xff\\x00é" é')).toEqual({
      kind: "command",
      argv: ["SET", "a b", "\xff\x00\xc3\xa9", "\xc3\xa9"],
    });
  });

  it("with unbalanced quotes gets redis-cli's Invalid argument(s)", () => {
    for (const line of ['SET "k v', "SET 'k v", 'SET "k"v', "GET k'"]) {
      expect(readConsoleLine(line)).toEqual({
        kind: "error",
        echo: line,
        message: "Invalid argument(s)",
      });
    }
  });

  it("naming an unknown command is sent, for the node to answer as Redis does", () => {
    expect(readConsoleLine("FOO bar")).toEqual({ kind: "command", argv: ["FOO", "bar"] });
  });

  it("that is blank does nothing, and clear clears", () => {
    expect(readConsoleLine("  \t ")).toEqual({ kind: "empty" });
    expect(readConsoleLine(" CLEAR ")).toEqual({ kind: "clear" });
  });

  it("longer than the limit is refused with a message naming the limit, echoed shortened", () => {
    const line = `SET k ${"v".repeat(MAX_CONSOLE_LINE_CHARS)}`;
    const input = readConsoleLine(line);
    expect(input.kind).toBe("error");
    if (input.kind !== "error") return;
    expect(input.message).toBe(
      "Line too long: the console takes at most 65536 characters. For a large value use a script's $bytes(N) or DEBUG POPULATE.",
    );
    expect(input.echo.length).toBeLessThan(200);
    expect(input.echo).toContain(`(${line.length} characters)`);
  });

  it("at exactly the limit is still sent", () => {
    const line = `SET k ${"v".repeat(MAX_CONSOLE_LINE_CHARS - 6)}`;
    expect(line.length).toBe(MAX_CONSOLE_LINE_CHARS);
    expect(readConsoleLine(line).kind).toBe("command");
  });

  it("of any text never throws and gives one of the four outcomes", () => {
    const text = fc.oneof(
      fc.string({ unit: "binary" }),
      fc.string({ unit: fc.constantFrom('"', "'", "\\", "x", "4", "1", " ", "\t", "\n", "\0") }),
      fc.string({
        unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      }),
    );
    fc.assert(
      fc.property(text, (line) => {
        const input = readConsoleLine(line);
        if (input.kind !== "command") return ["empty", "clear", "error"].includes(input.kind);
        // Arguments are byte strings: one byte per code unit.
        return (
          input.argv.length > 0 &&
          input.argv.every((arg) => [...arg].every((c) => c.charCodeAt(0) < 256))
        );
      }),
      { numRuns: 1000 },
    );
  }, 30_000);
});
