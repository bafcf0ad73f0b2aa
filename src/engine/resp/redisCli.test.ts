import { describe, expect, it } from "vitest";
import { utf8ToBytes } from "../bytes";
import {
  array,
  bulk,
  bulkArray,
  EMPTY_ARRAY,
  error,
  integer,
  NIL,
  NIL_ARRAY,
  OK,
  simple,
} from "../reply";
import { formatReply } from "./redisCli";

describe("formatReply", () => {
  it("prints a status reply bare", () => {
    expect(formatReply(OK)).toBe("OK");
    expect(formatReply(simple("PONG"))).toBe("PONG");
  });

  it("prefixes errors with (error)", () => {
    expect(formatReply(error("ERR unknown command 'FOO', with args beginning with: "))).toBe(
      "(error) ERR unknown command 'FOO', with args beginning with: ",
    );
  });

  it("prefixes integers with (integer)", () => {
    expect(formatReply(integer(3))).toBe("(integer) 3");
    expect(formatReply(integer(-1))).toBe("(integer) -1");
  });

  it("quotes bulk strings", () => {
    expect(formatReply(bulk("v1"))).toBe('"v1"');
    expect(formatReply(bulk(""))).toBe('""');
  });

  it("escapes bulk strings as sdscatrepr does", () => {
    expect(formatReply(bulk('a\nb\rc\td\x07e\x08f\\g"h'))).toBe('"a\\nb\\rc\\td\\ae\\bf\\\\g\\"h"');
    expect(formatReply(bulk("\x00\x01\x1f\x7f\x80\xff"))).toBe('"\\x00\\x01\\x1f\\x7f\\x80\\xff"');
    expect(formatReply(bulk(" ~"))).toBe('" ~"');
  });

  it("prints non-ASCII UTF-8 as \\xHH escapes, one per byte", () => {
    expect(formatReply(bulk(utf8ToBytes("é")))).toBe('"\\xc3\\xa9"');
  });

  it("prints every byte value as printable ASCII or an escape", () => {
    const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join("");
    const shown = formatReply(bulk(all));
    expect(shown).toMatch(/^"[\x20-\x7e]*"$/);
    expect(shown).toContain(" !\\\"#$%&'()*+,-./0123456789");
    expect(shown).toContain("\\x7f\\x80");
  });

  it("prints (nil) for a null bulk and a null array", () => {
    expect(formatReply(NIL)).toBe("(nil)");
    expect(formatReply(NIL_ARRAY)).toBe("(nil)");
  });

  it("prints (empty array) for an empty array", () => {
    expect(formatReply(EMPTY_ARRAY)).toBe("(empty array)");
  });

  it("numbers array elements from 1", () => {
    expect(formatReply(bulkArray(["a", null, "c"]))).toBe('1) "a"\n2) (nil)\n3) "c"');
  });

  it("indents a nested array under its own index", () => {
    expect(formatReply(array([bulk("a"), bulkArray(["b", "c"])]))).toBe(
      '1) "a"\n2) 1) "b"\n   2) "c"',
    );
    expect(formatReply(array([bulkArray(["a", "b"]), integer(3)]))).toBe(
      '1) 1) "a"\n   2) "b"\n2) (integer) 3',
    );
  });

  it("indents deeper levels by each parent's index width plus two", () => {
    const reply = array([array([bulk("a"), array([bulk("b"), bulk("c")])]), OK]);
    expect(formatReply(reply)).toBe('1) 1) "a"\n   2) 1) "b"\n      2) "c"\n2) OK');
  });

  it("prints empty and null arrays inside arrays", () => {
    expect(formatReply(array([EMPTY_ARRAY, NIL_ARRAY]))).toBe("1) (empty array)\n2) (nil)");
  });

  it("right-aligns indexes to the width of the largest in arrays of 10 or more", () => {
    const ten = bulkArray(Array.from({ length: 10 }, (_, i) => `v${i + 1}`));
    expect(formatReply(ten)).toBe(
      [
        ' 1) "v1"',
        ' 2) "v2"',
        ' 3) "v3"',
        ' 4) "v4"',
        ' 5) "v5"',
        ' 6) "v6"',
        ' 7) "v7"',
        ' 8) "v8"',
        ' 9) "v9"',
        '10) "v10"',
      ].join("\n"),
    );
  });

  it("indents arrays nested in a 10-element array by four spaces", () => {
    const items = Array.from({ length: 9 }, (_, i) => bulk(`${i + 1}`));
    const reply = array([...items, bulkArray(["x", "y"])]);
    expect(formatReply(reply).split("\n").slice(8)).toEqual([
      ' 9) "9"',
      '10) 1) "x"',
      '    2) "y"',
    ]);
  });

  it("pads nested indexes by the nested array's own size", () => {
    const twelve = bulkArray(Array.from({ length: 12 }, (_, i) => `${i}`));
    const lines = formatReply(array([twelve, OK])).split("\n");
    expect(lines[0]).toBe('1)  1) "0"');
    expect(lines[1]).toBe('    2) "1"');
    expect(lines[11]).toBe('   12) "11"');
    expect(lines[12]).toBe("2) OK");
  });

  it("pads to three digits for 100 elements", () => {
    const lines = formatReply(bulkArray(Array.from({ length: 100 }, () => "x"))).split("\n");
    expect(lines[0]).toBe('  1) "x"');
    expect(lines[9]).toBe(' 10) "x"');
    expect(lines[99]).toBe('100) "x"');
  });

  it("shows UTF-8 in status and error text as text", () => {
    expect(formatReply(error(`ERR unknown command '${utf8ToBytes("é")}'`))).toBe(
      "(error) ERR unknown command 'é'",
    );
  });
});
