import type { ByteString } from "../bytes";

/**
 * Redis's conversions between numbers and their decimal strings, as the RDB
 * and listpack code use them (`util.c`: string2ll, ll2string, d2string).
 */

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/**
 * `string2ll`: the value of `s` if it is the canonical decimal form of a
 * 64-bit signed integer ("0", or an optional "-" then a digit 1-9 then
 * digits, no "+", no spaces, no leading zeros, no "-0"), else null.
 */
export function string2ll(s: ByteString): bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  if (s.charCodeAt(0) === 0x2d /* - */) {
    if (n === 1) return null;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 0x30 /* 0 */) return n === 1 ? 0n : null;
  if (first < 0x31 || first > 0x39) return null;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 0x30 || c > 0x39) return null;
  }
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? null : v;
}

/**
 * The canonical-integer test on strings short enough (at most 11 bytes) to be
 * RDB-integer-encoded; returns the value as a number, or null.
 */
export function string2int(s: ByteString): number | null {
  const n = s.length;
  if (n === 0 || n > 11) return null;
  let i = 0;
  if (s.charCodeAt(0) === 0x2d) {
    if (n === 1) return null;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 0x30) return n === 1 ? 0 : null;
  if (first < 0x31 || first > 0x39) return null;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 0x30 || c > 0x39) return null;
  }
  return Number(s);
}

// d2string prints a double as an integer when it is one and lies strictly
// between -(2^52 - 1) and 2^52.
const D2STRING_INT_MIN = -4503599627370495;
const D2STRING_INT_MAX = 4503599627370496;

/**
 * `d2string` of Redis 7.0: "nan", "inf", "-inf", "0", "-0", the integer when
 * the value is a small integer, otherwise C's `%.17g`. Zset listpacks store
 * scores this way.
 */
export function d2string(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  if (value > D2STRING_INT_MIN && value < D2STRING_INT_MAX && Number.isInteger(value)) {
    return String(value);
  }
  return formatG17(value);
}

// double2ll accepts integral doubles within ±(LLONG_MAX/2), which as doubles are ±2^62.
const DOUBLE2LL_LIMIT = 2 ** 62;

/**
 * How 7.0's `zzlInsertAt` stores a score in a zset listpack: an integral score
 * within ±2^62 (`double2ll`; -0 included, as 0) as that integer, anything
 * else as `d2string` text.
 */
export function zsetListpackScore(score: number): string {
  if (Number.isInteger(score) && score >= -DOUBLE2LL_LIMIT && score <= DOUBLE2LL_LIMIT) {
    return BigInt(score).toString();
  }
  return d2string(score);
}

/**
 * C's `printf("%.17g", value)` for a finite non-zero double, digit for digit:
 * the exact binary value is expanded to decimal with BigInt and rounded to 17
 * significant digits half-to-even, as glibc does.
 */
export function formatG17(value: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const negative = hi >>> 31 === 1;
  const biasedExp = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp2: number;
  if (biasedExp === 0) {
    exp2 = -1074; // subnormal
  } else {
    mantissa |= 1n << 52n;
    exp2 = biasedExp - 1075;
  }
  // |value| = digits * 10^(pointPos - digits.length)
  let digits: string;
  let pointPos: number;
  if (exp2 >= 0) {
    digits = (mantissa << BigInt(exp2)).toString();
    pointPos = digits.length;
  } else {
    digits = (mantissa * 5n ** BigInt(-exp2)).toString();
    pointPos = digits.length + exp2;
  }
  const precision = 17;
  let kept = digits.slice(0, precision);
  if (digits.length > precision) {
    const next = digits.charCodeAt(precision) - 0x30;
    const restNonZero = /[1-9]/.test(digits.slice(precision + 1));
    const lastOdd = ((kept.charCodeAt(precision - 1) - 0x30) & 1) === 1;
    if (next > 5 || (next === 5 && (restNonZero || lastOdd))) {
      const rounded = (BigInt(kept) + 1n).toString();
      if (rounded.length > precision) {
        kept = rounded.slice(0, precision);
        pointPos += 1;
      } else {
        kept = rounded;
      }
    }
  }
  kept = kept.padEnd(precision, "0");
  const exp10 = pointPos - 1; // exponent in d.ddd x 10^exp10
  let body: string;
  if (exp10 >= -4 && exp10 < precision) {
    if (exp10 >= 0) {
      body = kept.slice(0, exp10 + 1) + "." + kept.slice(exp10 + 1);
    } else {
      body = "0." + "0".repeat(-exp10 - 1) + kept;
    }
    body = stripFraction(body);
  } else {
    const mant = stripFraction(kept.slice(0, 1) + "." + kept.slice(1));
    const sign = exp10 < 0 ? "-" : "+";
    const absExp = String(Math.abs(exp10)).padStart(2, "0");
    body = `${mant}e${sign}${absExp}`;
  }
  return negative ? "-" + body : body;
}

function stripFraction(s: string): string {
  if (!s.includes(".")) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 0x30) end--;
  if (s.charCodeAt(end - 1) === 0x2e) end--;
  return s.slice(0, end);
}

/**
 * `strtod` as the zset loaders use it on a score string: decimal or exponent
 * forms, "inf"/"infinity"/"nan" in any case with an optional sign. Returns
 * NaN for text that is not a number.
 */
export function strtod(s: ByteString): number {
  const t = s.trim().toLowerCase();
  const body = t.startsWith("-") || t.startsWith("+") ? t.slice(1) : t;
  if (body === "inf" || body === "infinity") return t.startsWith("-") ? -Infinity : Infinity;
  if (body === "nan") return NaN;
  if (!/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(body)) return NaN;
  return Number(t);
}
