import { describe, expect, it } from "vitest";
import {
  formatDurationUs,
  parseDurationUs,
  parseEpochMs,
  parseRateBytesPerSec,
  parseSizeBytes,
} from "./units";

const value = (r: { ok: boolean; value?: number }) => (r.ok ? r.value : undefined);

describe("durations", () => {
  it.each([
    ["10us", 10],
    ["250ms", 250_000],
    ["1.5s", 1_500_000],
    ["1.1s", 1_100_000],
    ["2m", 120_000_000],
    ["0.5m", 30_000_000],
    ["0s", 0],
    ["0.001ms", 1],
    ["007s", 7_000_000],
  ])("reads %s as %i microseconds", (word, us) => {
    expect(value(parseDurationUs(word))).toBe(us);
  });

  it.each([
    ["5", "duration '5' has no unit"],
    ["5h", "unknown unit 'h' in duration '5h'"],
    ["1.5us", "finer than the 1us resolution"],
    ["-1s", "invalid duration '-1s'"],
    [".5s", "invalid duration '.5s'"],
    ["1.s", "invalid duration '1.s'"],
    ["5S", "invalid duration '5S'"],
    ["", "invalid duration ''"],
    ["99999999999999999999s", "too long"],
  ])("rejects %j", (word, message) => {
    const r = parseDurationUs(word);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain(message);
  });

  it("prints microseconds as the shortest exact duration", () => {
    expect([0, 10, 1500, 250_000, 1_500_000, 60_000_000, 90_000_000].map(formatDurationUs)).toEqual(
      ["0s", "10us", "1.5ms", "250ms", "1.5s", "1m", "90s"],
    );
  });
});

describe("sizes", () => {
  it.each([
    ["16384", 16384],
    ["64kb", 65536],
    ["64KB", 65536],
    ["1mb", 1048576],
    ["1gb", 1073741824],
    ["1k", 1000],
    ["2M", 2_000_000],
    ["1g", 1_000_000_000],
    ["0", 0],
  ])("reads %s as %i bytes, as redis.conf does", (word, bytes) => {
    expect(value(parseSizeBytes(word))).toBe(bytes);
  });

  it.each(["1.5mb", "-1", "1tb", "kb", ""])("rejects %j", (word) => {
    expect(parseSizeBytes(word).ok).toBe(false);
  });
});

describe("rates", () => {
  it("reads a size per second as bytes per second", () => {
    expect(value(parseRateBytesPerSec("10mb/s"))).toBe(10 * 1024 * 1024);
    expect(value(parseRateBytesPerSec("500k/s"))).toBe(500_000);
    expect(value(parseRateBytesPerSec("100/s"))).toBe(100);
  });

  it.each(["10mb", "/s", "0kb/s", "10mb/ms", "fast"])("rejects %j", (word) => {
    expect(parseRateBytesPerSec(word).ok).toBe(false);
  });
});

describe("epoch", () => {
  it("reads the default epoch in both forms", () => {
    expect(value(parseEpochMs("2026-01-01T00:00:00Z"))).toBe(1767225600000);
    expect(value(parseEpochMs("1767225600000"))).toBe(1767225600000);
  });

  it("reads milliseconds and leap days", () => {
    expect(value(parseEpochMs("1970-01-01T00:00:00Z"))).toBe(0);
    expect(value(parseEpochMs("2000-02-29T12:34:56.789Z"))).toBe(951827696789);
    expect(value(parseEpochMs("2024-12-31T23:59:59.5z"))).toBe(1735689599500);
  });

  it.each([
    "2026-01-01",
    "2026-01-01T00:00:00",
    "2026-01-01T00:00:00+01:00",
    "2026-02-29T00:00:00Z",
    "1900-02-29T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-01-01T24:00:00Z",
    "1969-12-31T23:59:59Z",
    "2026-01-01T00:00:00.1234Z",
    "-5",
    "99999999999999999999",
  ])("rejects %j", (word) => {
    expect(parseEpochMs(word).ok).toBe(false);
  });
});
