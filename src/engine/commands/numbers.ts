import type { ByteString } from "../bytes";

/**
 * Redis's number parsing and printing, reproduced exactly: `string2ll`,
 * `strtod`/`strtold` as glibc rounds them, `%.17g` (how 7.0 replies doubles)
 * and `%.17Lf` (how INCRBYFLOAT prints its x87 80-bit long double).
 *
 * Floats are kept as exact binary values (an integer significand and a power
 * of two) and rounded with BigInt arithmetic, so nothing depends on how the
 * JavaScript engine converts or prints numbers.
 */

export const LLONG_MAX = 9223372036854775807n;
export const LLONG_MIN = -9223372036854775808n;
/** `LONG_STR_SIZE`: longer strings are never integers. */
const LONG_STR_SIZE = 21;

/** `util.c:string2ll`: a canonical base-10 int64 (no '+', no leading zeros, no spaces), or null. */
export function parseLongLong(s: ByteString): bigint | null {
  if (s.length === 0 || s.length >= LONG_STR_SIZE) return null;
  if (s === "0") return 0n;
  if (!/^-?[1-9][0-9]*$/.test(s)) return null;
  const value = BigInt(s);
  return value > LLONG_MAX || value < LLONG_MIN ? null : value;
}

/** A binary floating-point format: finite values are `mant × 2^exp` with `mant < 2^precision`. */
export interface FloatFormat {
  readonly precision: number;
  /** Exponent of the smallest subnormal. */
  readonly minExp: number;
  /** Values at or above `2^maxExp` overflow to infinity. */
  readonly maxExp: number;
}

/** IEEE 754 double (`double`, sorted-set scores). */
export const DOUBLE: FloatFormat = { precision: 53, minExp: -1074, maxExp: 1024 };
/** x87 80-bit extended precision (`long double` on x86-64 Linux, INCRBYFLOAT). */
export const EXTENDED: FloatFormat = { precision: 64, minExp: -16445, maxExp: 16384 };

/** An exact binary float value. Zero is a finite value with `mant === 0n`. */
export type BinaryFloat =
  | {
      readonly kind: "finite";
      readonly negative: boolean;
      readonly mant: bigint;
      readonly exp: number;
    }
  | { readonly kind: "inf"; readonly negative: boolean }
  | { readonly kind: "nan" };

const ZERO: BinaryFloat = { kind: "finite", negative: false, mant: 0n, exp: 0 };

export function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** Rounds the exact value `num / den` (num ≥ 0, den > 0) to `fmt`, to nearest, ties to even. */
export function roundToFormat(
  negative: boolean,
  num: bigint,
  den: bigint,
  fmt: FloatFormat,
): BinaryFloat {
  if (num === 0n) return { kind: "finite", negative, mant: 0n, exp: 0 };
  // num/den lies in [2^(bn-bd-1), 2^(bn-bd+1)), so q below has precision or precision+1 bits.
  let exp = bitLength(num) - bitLength(den) - fmt.precision;
  if (bitLength(divideByPow2(num, den, exp).q) > fmt.precision) exp++;
  if (exp < fmt.minExp) exp = fmt.minExp;
  const { q, r, d } = divideByPow2(num, den, exp);
  let mant = q;
  if (2n * r > d || (2n * r === d && (q & 1n) === 1n)) mant++;
  if (bitLength(mant) > fmt.precision) {
    mant >>= 1n;
    exp++;
  }
  if (bitLength(mant) + exp > fmt.maxExp) return { kind: "inf", negative };
  return { kind: "finite", negative, mant, exp };
}

/** Quotient and remainder of `num / (den × 2^exp)`, with `d` the divisor the remainder is against. */
function divideByPow2(num: bigint, den: bigint, exp: number): { q: bigint; r: bigint; d: bigint } {
  if (exp >= 0) {
    const d = den << BigInt(exp);
    return { q: num / d, r: num % d, d };
  }
  const n = num << BigInt(-exp);
  return { q: n / den, r: n % den, d: den };
}

/** The outcome of `strtod`/`strtold` on a whole string, with glibc's ERANGE conditions. */
export interface FloatParse {
  readonly value: BinaryFloat;
  /** A finite input too large for the format (ERANGE with ±HUGE_VAL). */
  readonly overflow: boolean;
  /** A non-zero input that rounded to zero (ERANGE with zero). */
  readonly underflowToZero: boolean;
}

const DECIMAL = /^([+-]?)(?:([0-9]+)(?:\.([0-9]*))?|\.([0-9]+))(?:[eE]([+-]?[0-9]+))?$/;
const HEX =
  /^([+-]?)0[xX](?:([0-9a-fA-F]+)(?:\.([0-9a-fA-F]*))?|\.([0-9a-fA-F]+))(?:[pP]([+-]?[0-9]+))?$/;
const INFINITY = /^([+-]?)(?:inf|infinity)$/i;
const NAN = /^[+-]?nan(?:\([0-9A-Za-z_]*\))?$/i;

/** Beyond these decimal magnitudes every format here is infinite or zero. */
const DECIMAL_EXP_LIMIT = 5200;
const BINARY_EXP_LIMIT = 17000;

/**
 * Parses `text` as glibc's `strtod` would if it consumed all of it (decimal,
 * hexadecimal, inf/infinity, nan), rounding to `fmt`. Null when the whole
 * text is not one number. Leading spaces are the caller's business.
 */
export function parseFloatText(text: string, fmt: FloatFormat): FloatParse | null {
  let m = DECIMAL.exec(text);
  if (m) {
    const negative = m[1] === "-";
    const intDigits = m[2] ?? "";
    const fracDigits = m[3] ?? m[4] ?? "";
    const digits = BigInt(intDigits + fracDigits || "0");
    if (digits === 0n) return finiteParse({ kind: "finite", negative, mant: 0n, exp: 0 }, false);
    const exp10 = BigInt(m[5] ?? "0") - BigInt(fracDigits.length);
    const magnitude = BigInt(digits.toString().length) + exp10;
    if (magnitude > BigInt(DECIMAL_EXP_LIMIT))
      return { value: { kind: "inf", negative }, overflow: true, underflowToZero: false };
    if (magnitude < -BigInt(DECIMAL_EXP_LIMIT)) {
      return {
        value: { kind: "finite", negative, mant: 0n, exp: 0 },
        overflow: false,
        underflowToZero: true,
      };
    }
    const e = Number(exp10);
    const value =
      e >= 0
        ? roundToFormat(negative, digits * 10n ** BigInt(e), 1n, fmt)
        : roundToFormat(negative, digits, 10n ** BigInt(-e), fmt);
    return finiteParse(value, true);
  }
  m = HEX.exec(text);
  if (m) {
    const negative = m[1] === "-";
    const intDigits = m[2] ?? "";
    const fracDigits = m[3] ?? m[4] ?? "";
    const digits = BigInt("0x" + (intDigits + fracDigits || "0"));
    if (digits === 0n) return finiteParse({ kind: "finite", negative, mant: 0n, exp: 0 }, false);
    const exp2 = BigInt(m[5] ?? "0") - 4n * BigInt(fracDigits.length);
    const magnitude = BigInt(bitLength(digits)) + exp2;
    if (magnitude > BigInt(BINARY_EXP_LIMIT))
      return { value: { kind: "inf", negative }, overflow: true, underflowToZero: false };
    if (magnitude < -BigInt(BINARY_EXP_LIMIT)) {
      return {
        value: { kind: "finite", negative, mant: 0n, exp: 0 },
        overflow: false,
        underflowToZero: true,
      };
    }
    const e = Number(exp2);
    const value =
      e >= 0
        ? roundToFormat(negative, digits << BigInt(e), 1n, fmt)
        : roundToFormat(negative, digits, 1n << BigInt(-e), fmt);
    return finiteParse(value, true);
  }
  m = INFINITY.exec(text);
  if (m)
    return {
      value: { kind: "inf", negative: m[1] === "-" },
      overflow: false,
      underflowToZero: false,
    };
  if (NAN.test(text)) return { value: { kind: "nan" }, overflow: false, underflowToZero: false };
  return null;
}

function finiteParse(value: BinaryFloat, nonZeroInput: boolean): FloatParse {
  return {
    value,
    overflow: value.kind === "inf",
    underflowToZero: nonZeroInput && value.kind === "finite" && value.mant === 0n,
  };
}

/** The C string a `char *` API sees: everything before the first NUL byte. */
export function cString(s: ByteString): ByteString {
  const nul = s.indexOf("\0");
  return nul === -1 ? s : s.slice(0, nul);
}

const C_SPACE = /^[ \t\n\v\f\r]/;

/**
 * `util.c:string2d` (getDoubleFromObject): the whole string must be a double;
 * no leading space, no NaN, no overflow, no underflow to zero. Null if not.
 */
export function parseStrictDouble(s: ByteString): number | null {
  if (s.length === 0 || C_SPACE.test(s)) return null;
  const parsed = parseFloatText(s, DOUBLE);
  if (!parsed || parsed.overflow || parsed.underflowToZero || parsed.value.kind === "nan")
    return null;
  return toNumber(parsed.value);
}

/**
 * `strtod(s, &eptr)` followed by `eptr[0] == '\0' && !isnan` (zslParseRange):
 * leading spaces allowed, the empty string is 0, overflow gives ±inf.
 */
export function parseLaxDouble(s: ByteString): number | null {
  const text = cString(s);
  if (text.length === 0) return 0;
  const parsed = parseFloatText(text.replace(/^[ \t\n\v\f\r]+/, ""), DOUBLE);
  if (!parsed || parsed.value.kind === "nan") return null;
  return toNumber(parsed.value);
}

/** `MAX_LONG_DOUBLE_CHARS`: `string2ld` refuses inputs this long. */
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

/**
 * `util.c:string2ld` (getLongDoubleFromObject): like `string2d` but into an
 * 80-bit long double, on a NUL-terminated copy (so bytes after a NUL are ignored).
 */
export function parseLongDouble(s: ByteString): BinaryFloat | null {
  if (s.length === 0 || s.length >= MAX_LONG_DOUBLE_CHARS) return null;
  const text = cString(s);
  if (C_SPACE.test(text)) return null;
  const parsed = parseFloatText(text, EXTENDED);
  if (!parsed || parsed.overflow || parsed.underflowToZero || parsed.value.kind === "nan")
    return null;
  return parsed.value;
}

/** Exact value of a JavaScript number. */
export function fromNumber(d: number): BinaryFloat {
  if (Number.isNaN(d)) return { kind: "nan" };
  const negative = d < 0 || Object.is(d, -0);
  if (!Number.isFinite(d)) return { kind: "inf", negative };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  if (biased === 0) return { kind: "finite", negative, mant: fraction, exp: DOUBLE.minExp };
  return { kind: "finite", negative, mant: fraction | (1n << 52n), exp: biased - 1075 };
}

/** A value of the DOUBLE format as a JavaScript number (exact). */
export function toNumber(x: BinaryFloat): number {
  if (x.kind === "nan") return NaN;
  if (x.kind === "inf") return x.negative ? -Infinity : Infinity;
  const magnitude = Number(x.mant) * 2 ** x.exp;
  return x.negative ? -magnitude : magnitude;
}

/** `a + b` computed exactly and rounded once to `fmt` (the x87 FPU adds this way). */
export function addFloats(a: BinaryFloat, b: BinaryFloat, fmt: FloatFormat): BinaryFloat {
  if (a.kind === "nan" || b.kind === "nan") return { kind: "nan" };
  if (a.kind === "inf" && b.kind === "inf") return a.negative === b.negative ? a : { kind: "nan" };
  if (a.kind === "inf") return a;
  if (b.kind === "inf") return b;
  const exp = Math.min(a.exp, b.exp);
  const sa = (a.negative ? -a.mant : a.mant) << BigInt(a.exp - exp);
  const sb = (b.negative ? -b.mant : b.mant) << BigInt(b.exp - exp);
  const sum = sa + sb;
  if (sum === 0n) return ZERO;
  const magnitude = sum < 0n ? -sum : sum;
  return exp >= 0
    ? roundToFormat(sum < 0n, magnitude << BigInt(exp), 1n, fmt)
    : roundToFormat(sum < 0n, magnitude, 1n << BigInt(-exp), fmt);
}

/** The exact decimal digits of a finite non-zero value and the exponent of its first digit. */
function exactDecimal(mant: bigint, exp: number): { digits: string; sci: number } {
  if (exp >= 0) {
    const digits = (mant << BigInt(exp)).toString();
    return { digits, sci: digits.length - 1 };
  }
  const digits = (mant * 5n ** BigInt(-exp)).toString();
  return { digits, sci: digits.length - 1 + exp };
}

/** Rounds a digit string to `n` significant digits, to nearest, ties to even (glibc printf). */
function roundSignificant(digits: string, sci: number, n: number): { digits: string; sci: number } {
  if (digits.length <= n) return { digits: digits.padEnd(n, "0"), sci };
  const head = digits.slice(0, n);
  const first = digits.charCodeAt(n) - 48;
  const restNonZero = /[1-9]/.test(digits.slice(n + 1));
  const odd = (head.charCodeAt(n - 1) - 48) % 2 === 1;
  const up = first > 5 || (first === 5 && (restNonZero || odd));
  if (!up) return { digits: head, sci };
  const bumped = (BigInt(head) + 1n).toString();
  return bumped.length > n ? { digits: bumped.slice(0, n), sci: sci + 1 } : { digits: bumped, sci };
}

function stripFraction(s: string): string {
  if (!s.includes(".")) return s;
  return s.replace(/0+$/, "").replace(/\.$/, "");
}

/** C's `printf("%.17g", d)` with glibc's rounding; `inf`/`-inf` as Redis's addReplyDouble writes them. */
export function formatDouble17g(d: number): string {
  if (Number.isNaN(d)) return "nan";
  if (d === Infinity) return "inf";
  if (d === -Infinity) return "-inf";
  if (d === 0) return Object.is(d, -0) ? "-0" : "0";
  const x = fromNumber(d);
  if (x.kind !== "finite") return "nan";
  const sign = x.negative ? "-" : "";
  const exact = exactDecimal(x.mant, x.exp);
  const { digits, sci } = roundSignificant(exact.digits, exact.sci, 17);
  if (sci < -4 || sci >= 17) {
    const mantissa = stripFraction(`${digits[0]}.${digits.slice(1)}`);
    const e = Math.abs(sci).toString().padStart(2, "0");
    return `${sign}${mantissa}e${sci < 0 ? "-" : "+"}${e}`;
  }
  const fixed =
    sci >= 0
      ? `${digits.slice(0, sci + 1)}.${digits.slice(sci + 1)}`
      : `0.${"0".repeat(-sci - 1)}${digits}`;
  return sign + stripFraction(fixed);
}

/**
 * `util.c:ld2string(..., LD_STR_HUMAN)`: `%.17Lf`, trailing zeros and a bare
 * '.' removed, and "-0" turned into "0". The value must be finite.
 */
export function formatLongDoubleHuman(x: BinaryFloat): string {
  if (x.kind !== "finite") throw new RangeError("formatLongDoubleHuman needs a finite value");
  const scale = 10n ** 17n;
  let scaled: bigint;
  if (x.exp >= 0) {
    scaled = (x.mant << BigInt(x.exp)) * scale;
  } else {
    const n = x.mant * scale;
    const shift = BigInt(-x.exp);
    const q = n >> shift;
    const r = n - (q << shift);
    const half = 1n << (shift - 1n);
    scaled = r > half || (r === half && (q & 1n) === 1n) ? q + 1n : q;
  }
  const text = scaled.toString().padStart(18, "0");
  const out = (x.negative ? "-" : "") + stripFraction(`${text.slice(0, -17)}.${text.slice(-17)}`);
  return out === "-0" ? "0" : out;
}
