import { describe, expect, it } from "vitest";
import { d2string, formatG17, string2int, string2ll, strtod, zsetListpackScore } from "./numbers";

describe("string2ll", () => {
  it("accepts only the canonical decimal form of an int64", () => {
    expect(string2ll("0")).toBe(0n);
    expect(string2ll("-1")).toBe(-1n);
    expect(string2ll("9223372036854775807")).toBe(9223372036854775807n);
    expect(string2ll("-9223372036854775808")).toBe(-9223372036854775808n);
    for (const s of [
      "",
      "-",
      "-0",
      "01",
      "+1",
      " 1",
      "1 ",
      "1.0",
      "1e3",
      "9223372036854775808",
      "-9223372036854775809",
      "0x10",
      "abc",
    ]) {
      expect(string2ll(s), JSON.stringify(s)).toBeNull();
    }
  });

  it("string2int is the same test limited to 11 bytes", () => {
    expect(string2int("-2147483648")).toBe(-2147483648);
    expect(string2int("12345678901")).toBe(12345678901);
    expect(string2int("123456789012")).toBeNull();
    expect(string2int("007")).toBeNull();
  });
});

describe("d2string", () => {
  it("prints small integers as integers and the rest as %.17g", () => {
    // Expected strings are what C's printf("%.17g") prints.
    expect(d2string(1.5)).toBe("1.5");
    expect(d2string(0.1)).toBe("0.10000000000000001");
    expect(d2string(-0.25)).toBe("-0.25");
    expect(d2string(3)).toBe("3");
    expect(d2string(-0)).toBe("-0");
    expect(d2string(Infinity)).toBe("inf");
    expect(d2string(-Infinity)).toBe("-inf");
    expect(d2string(NaN)).toBe("nan");
    expect(d2string(1e300)).toBe("1.0000000000000001e+300");
    expect(d2string(5e-324)).toBe("4.9406564584124654e-324");
    expect(d2string(2 ** 52)).toBe("4503599627370496");
    expect(d2string(1e17)).toBe("1e+17");
    expect(d2string(0.0001)).toBe("0.0001");
    expect(d2string(0.00001)).toBe("1.0000000000000001e-05");
  });

  it("rounds an exact tie half to even, as glibc does", () => {
    // 1234567890123456.25 is exactly representable; the 18th digit is a 5 followed by nothing.
    expect(formatG17(1234567890123456.25)).toBe("1234567890123456.2");
    expect(formatG17(1234567890123456.75)).toBe("1234567890123456.8");
  });
});

describe("zsetListpackScore", () => {
  it("stores integral scores within 2^62 as integers, -0 as 0, others as d2string", () => {
    expect(zsetListpackScore(2 ** 60)).toBe("1152921504606846976");
    expect(zsetListpackScore(2 ** 62)).toBe("4611686018427387904");
    expect(zsetListpackScore(2 ** 63)).toBe("9.2233720368547758e+18");
    expect(zsetListpackScore(-0)).toBe("0");
    expect(zsetListpackScore(0.5)).toBe("0.5");
    expect(zsetListpackScore(Infinity)).toBe("inf");
  });
});

describe("strtod", () => {
  it("reads what d2string writes", () => {
    for (const v of [0.1, -2.5e-5, 1e300, 5e-324, Infinity, -Infinity, 123, -0]) {
      expect(Object.is(strtod(d2string(v)), v), String(v)).toBe(true);
    }
    expect(strtod("+inf")).toBe(Infinity);
    expect(strtod("-Infinity")).toBe(-Infinity);
    expect(strtod("abc")).toBeNaN();
    expect(strtod("0x10")).toBeNaN();
  });
});
