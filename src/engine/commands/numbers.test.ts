import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  EXTENDED,
  addFloats,
  formatDouble17g,
  formatLongDoubleHuman,
  parseLaxDouble,
  parseLongDouble,
  parseLongLong,
  parseStrictDouble,
} from "./numbers";

// Expected texts below were produced by glibc's printf/strtod/strtold on x86-64.

describe("parseLongLong (string2ll)", () => {
  it("accepts canonical int64 text only", () => {
    expect(parseLongLong("0")).toBe(0n);
    expect(parseLongLong("-42")).toBe(-42n);
    expect(parseLongLong("9223372036854775807")).toBe(9223372036854775807n);
    expect(parseLongLong("-9223372036854775808")).toBe(-9223372036854775808n);
    for (const bad of [
      "",
      "-0",
      "007",
      "+1",
      " 1",
      "1 ",
      "1.0",
      "9223372036854775808",
      "0x10",
      "-",
    ]) {
      expect(parseLongLong(bad)).toBeNull();
    }
  });
});

describe("formatDouble17g (%.17g, how 7.0 replies scores)", () => {
  it("prints 17 significant digits, as glibc does", () => {
    const cases: [number, string][] = [
      [1.1, "1.1000000000000001"],
      [0.1, "0.10000000000000001"],
      [1e21, "1e+21"],
      [1e-5, "1.0000000000000001e-05"],
      [Number("123456789012345678"), "1.2345678901234568e+17"],
      [5e-324, "4.9406564584124654e-324"],
      [1.7976931348623157e308, "1.7976931348623157e+308"],
      [0.5, "0.5"],
      [100, "100"],
      [1e16, "10000000000000000"],
      [1e17, "1e+17"],
      [0.0001, "0.0001"],
      [0.00001234, "1.234e-05"],
      [2 ** 53 + 2, "9007199254740994"],
      [0, "0"],
      [-0, "-0"],
      [Infinity, "inf"],
      [-Infinity, "-inf"],
    ];
    for (const [value, text] of cases) expect(formatDouble17g(value)).toBe(text);
  });

  it("rounds an exact tie to even, unlike JavaScript's toPrecision", () => {
    // 2^-25 = 2.98023223876953125e-08 has 18 significant digits ending in 5.
    expect(formatDouble17g(2 ** -25)).toBe("2.9802322387695312e-08");
    expect((2 ** -25).toPrecision(17)).toBe("2.9802322387695313e-8");
  });

  it("prints a text that reads back as the same double", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        expect(Object.is(Number(formatDouble17g(d)), d)).toBe(true);
      }),
    );
  });
});

describe("double parsing", () => {
  it("parseStrictDouble is string2d: whole text, no spaces, no NaN, no overflow", () => {
    expect(parseStrictDouble("1.5")).toBe(1.5);
    expect(parseStrictDouble("-inf")).toBe(-Infinity);
    expect(parseStrictDouble("Infinity")).toBe(Infinity);
    expect(parseStrictDouble("0x10")).toBe(16);
    expect(parseStrictDouble("0x1p-3")).toBe(0.125);
    expect(parseStrictDouble("1.")).toBe(1);
    expect(parseStrictDouble(".5")).toBe(0.5);
    expect(parseStrictDouble("4e-324")).toBe(5e-324);
    for (const bad of ["", " 1", "1 ", "nan", "1e400", "1e-400", "abc", "1e", "--1", "1\0"]) {
      expect(parseStrictDouble(bad)).toBeNull();
    }
  });

  it("parseLaxDouble is zslParseRange's strtod: spaces first, empty is 0, overflow is inf", () => {
    expect(parseLaxDouble("")).toBe(0);
    expect(parseLaxDouble(" 1")).toBe(1);
    expect(parseLaxDouble("1e400")).toBe(Infinity);
    expect(parseLaxDouble("1\0junk")).toBe(1);
    expect(parseLaxDouble(" ")).toBeNull();
    expect(parseLaxDouble("nan")).toBeNull();
    expect(parseLaxDouble("1 ")).toBeNull();
  });

  it("agrees with JavaScript's own decimal parsing on any double's shortest text", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        const text = Object.is(d, -0) ? "-0" : String(d);
        expect(Object.is(parseStrictDouble(text), d)).toBe(true);
      }),
    );
  });
});

describe("long double (INCRBYFLOAT)", () => {
  const sum = (a: string, b: string): string => {
    const x = parseLongDouble(a);
    const y = parseLongDouble(b);
    if (!x || !y) return "ERR";
    const s = addFloats(x, y, EXTENDED);
    return s.kind === "finite" ? formatLongDoubleHuman(s) : "NAN";
  };

  it("adds in 80-bit precision and prints %.17Lf without trailing zeros", () => {
    expect(sum("10.5", "0.1")).toBe("10.6");
    expect(sum("1.1", "-1.1")).toBe("0");
    expect(sum("1", "-1.1")).toBe("-0.1");
    expect(sum("3.0e3", "1.5e-20")).toBe("3000");
    expect(sum("5.0e3", "2.0e2")).toBe("5200");
    expect(sum("123456789.123456789", "0")).toBe("123456789.12345678899873747");
    expect(sum("2.98023223876953125e-08", "0")).toBe("0.00000002980232239");
    expect(sum("9007199254740993", "0")).toBe("9007199254740993");
    expect(sum("1e21", "0")).toBe("1000000000000000000000");
  });

  it("turns a negative result that prints as zero into 0", () => {
    expect(sum("-1e-30", "0")).toBe("0");
    expect(sum("-0.5", "0.5")).toBe("0");
  });

  it("accepts what strtold accepts and long double can hold", () => {
    expect(sum("1e400", "0")).toHaveLength(401);
    expect(sum("0x10", "1")).toBe("17");
    expect(sum("1\0garbage", "1")).toBe("2");
    expect(sum("inf", "1")).toBe("NAN");
    expect(sum("1e4933", "0")).toBe("ERR");
    expect(sum("nan", "0")).toBe("ERR");
    expect(sum(" 1", "0")).toBe("ERR");
    expect(sum("1".repeat(5120), "0")).toBe("ERR");
  });
});
