import { describe, expect, it } from "vitest";
import { formatBytes, visibleBytes } from "./bytes";

describe("formatBytes", () => {
  it("uses decimal units with three significant digits", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(14_191)).toBe("14.2 kB");
    expect(formatBytes(1_048_576)).toBe("1.05 MB");
    expect(formatBytes(16_384)).toBe("16.4 kB");
    expect(formatBytes(2_000)).toBe("2 kB");
  });
});

describe("visibleBytes", () => {
  it("spells out CR and LF and breaks the line after each LF", () => {
    expect(visibleBytes("*1\r\n$4\r\nping\r\n").text).toBe("*1\\r\\n\n$4\\r\\n\nping\\r\\n");
  });

  it("escapes binary bytes and reports what it left out", () => {
    const v = visibleBytes('\x00"\xff' + "x".repeat(10), 4);
    expect(v.text).toBe('\\x00"\\xffx');
    expect(v.omitted).toBe(9);
  });
});
