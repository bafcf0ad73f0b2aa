/**
 * The units of the scenario language: durations, sizes, rates and the epoch.
 *
 * Virtual time is counted in whole microseconds everywhere (`VirtualTime`), so
 * `10us` and `1.5s` are exact and sums of durations never drift.
 */
import { parseMemory } from "../engine/config";

/** A point in virtual time: whole microseconds since the run started at 0. */
export type { VirtualTime } from "../engine/io";

export type UnitParse =
  { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string };

const US_PER_UNIT: Readonly<Record<string, bigint>> = {
  us: 1n,
  ms: 1_000n,
  s: 1_000_000n,
  m: 60_000_000n,
};

const DURATION_FORM = "a number with a unit us, ms, s or m (250ms, 1.5s, 2m)";

/** Parses a duration (`250ms`, `1.5s`, `2m`, `10us`) into whole microseconds. */
export function parseDurationUs(word: string): UnitParse {
  const m = /^([0-9]+)(?:\.([0-9]+))?([a-z]*)$/.exec(word);
  if (!m) return fail(`invalid duration '${word}': expected ${DURATION_FORM}`);
  const [, whole = "", fraction = "", unit = ""] = m;
  if (unit === "") return fail(`duration '${word}' has no unit: expected ${DURATION_FORM}`);
  const scale = US_PER_UNIT[unit];
  if (scale === undefined) {
    return fail(`unknown unit '${unit}' in duration '${word}': expected us, ms, s or m`);
  }
  // Exact decimal arithmetic: 1.1s is 1100000us, not 1100000.0000000002.
  const denominator = 10n ** BigInt(fraction.length);
  const numerator = BigInt(whole + fraction) * scale;
  if (numerator % denominator !== 0n) {
    return fail(`duration '${word}' is finer than the 1us resolution of virtual time`);
  }
  const us = numerator / denominator;
  if (us > BigInt(Number.MAX_SAFE_INTEGER)) return fail(`duration '${word}' is too long`);
  return { ok: true, value: Number(us) };
}

/** Prints whole microseconds as the shortest exact duration (`1.5s`, `250ms`, `10us`). */
export function formatDurationUs(us: number): string {
  if (us === 0) return "0s";
  if (us % 60_000_000 === 0) return `${us / 60_000_000}m`;
  if (us >= 1_000_000 && us % 1000 === 0) return `${trimDecimal(us / 1_000_000)}s`;
  if (us >= 1000) return `${trimDecimal(us / 1000)}ms`;
  return `${us}us`;
}

function trimDecimal(n: number): string {
  return String(Number(n.toFixed(6)));
}

/**
 * Parses a size as redis.conf does (`util.c:memtoull`): whole bytes with an
 * optional case-insensitive unit, `k`/`m`/`g` powers of 1000, `kb`/`mb`/`gb` of 1024.
 */
export function parseSizeBytes(word: string): UnitParse {
  const bytes = parseMemory(word);
  if (bytes === undefined) {
    return fail(
      `invalid size '${word}': expected whole bytes with an optional unit k, kb, m, mb, g or gb (16384, 64kb, 1mb)`,
    );
  }
  return { ok: true, value: bytes };
}

/** Parses a rate, a size per second (`10mb/s`), into bytes per second (more than 0). */
export function parseRateBytesPerSec(word: string): UnitParse {
  const m = /^(.*)\/s$/.exec(word);
  const size = m?.[1];
  const bytes = size === undefined || size === "" ? undefined : parseMemory(size);
  if (bytes === undefined) {
    return fail(`invalid rate '${word}': expected a size per second (10mb/s, 500kb/s)`);
  }
  if (bytes === 0) return fail(`rate '${word}' must be more than 0`);
  return { ok: true, value: bytes };
}

/**
 * Parses the Unix time at virtual time 0: milliseconds (`1767225600000`) or an ISO
 * 8601 UTC timestamp (`2026-01-01T00:00:00Z`, optionally with `.sss`).
 */
export function parseEpochMs(word: string): UnitParse {
  const form = "expected an ISO 8601 UTC time (2026-01-01T00:00:00Z) or Unix milliseconds";
  if (/^[0-9]+$/.test(word)) {
    const ms = Number(word);
    if (!Number.isSafeInteger(ms)) return fail(`epoch '${word}' is too large`);
    return { ok: true, value: ms };
  }
  const m =
    /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,3}))?[Zz]$/.exec(
      word,
    );
  if (!m) return fail(`invalid epoch '${word}': ${form}`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Number((m[7] ?? "").padEnd(3, "0"));
  if (year < 1970) return fail(`epoch '${word}' is before 1970`);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return fail(`epoch '${word}' is not a calendar date`);
  }
  if (hour > 23 || minute > 59 || second > 59) return fail(`epoch '${word}' is not a time of day`);
  const days = daysFromCivil(year, month, day);
  return { ok: true, value: ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + ms };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function fail(message: string): UnitParse {
  return { ok: false, message };
}
