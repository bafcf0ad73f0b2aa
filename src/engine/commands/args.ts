import type { ByteString } from "../bytes";
import type { Reply } from "../reply";
import { ERR, error } from "../reply";
import { LLONG_MAX, cString, parseLongLong, parseStrictDouble } from "./numbers";

/**
 * Argument readers with Redis's replies (`object.c:get*FromObjectOrReply`).
 * Each returns the value, or the error Reply to send back, so a handler reads
 * `const n = longArg(argv[2]); if (typeof n !== "number") return n;`.
 */

/** `strcasecmp(arg, word) == 0` for an ASCII word: C-string, ASCII-only case folding. */
export function eqi(arg: ByteString | undefined, word: string): boolean {
  if (arg === undefined) return false;
  const s = cString(arg);
  if (s.length !== word.length) return false;
  for (let i = 0; i < s.length; i++) {
    if (asciiLower(s.charCodeAt(i)) !== asciiLower(word.charCodeAt(i))) return false;
  }
  return true;
}

function asciiLower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** `getLongLongFromObjectOrReply`: an int64 as a bigint. */
export function longLongArg(arg: ByteString, msg?: string): bigint | Reply {
  const value = parseLongLong(arg);
  if (value === null) return error(msg !== undefined ? `ERR ${msg}` : ERR.notInteger);
  return value;
}

/**
 * `getLongFromObjectOrReply` (long is 64-bit): an int64 as a number. Values
 * beyond 2^53 lose precision, which only matters to callers that clamp them.
 */
export function longArg(arg: ByteString, msg?: string): number | Reply {
  const value = longLongArg(arg, msg);
  return typeof value === "bigint" ? Number(value) : value;
}

/** `getRangeLongFromObjectOrReply`: the range error names the bounds unless a message is given. */
export function rangeLongArg(
  arg: ByteString,
  min: bigint,
  max: bigint,
  msg?: string,
): number | Reply {
  const value = longLongArg(arg, msg);
  if (typeof value !== "bigint") return value;
  if (value < min || value > max) {
    return error(
      msg !== undefined
        ? `ERR ${msg}`
        : `ERR value is out of range, value must between ${min} and ${max}`,
    );
  }
  return Number(value);
}

/** `getPositiveLongFromObjectOrReply`: note that a non-integer also gets the "must be positive" text. */
export function positiveLongArg(arg: ByteString, msg?: string): number | Reply {
  return rangeLongArg(arg, 0n, LLONG_MAX, msg ?? "value is out of range, must be positive");
}

/** `getDoubleFromObjectOrReply`. */
export function doubleArg(arg: ByteString, msg?: string): number | Reply {
  const value = parseStrictDouble(arg);
  if (value === null) return error(msg !== undefined ? `ERR ${msg}` : ERR.notFloat);
  return value;
}

/** Narrows a reader's result: true when it is an error Reply to return as is. */
export function isReply(value: unknown): value is Reply {
  return typeof value === "object" && value !== null;
}

/** `shared.wrongtypeerr`. */
export const WRONGTYPE: Reply = error(ERR.wrongType);

/** `proto-max-bulk-len` default: the largest string a command may build (512 MB). */
export const PROTO_MAX_BULK_LEN = 512 * 1024 * 1024;

/** `t_string.c:checkStringLength`: the master link is exempt. */
export function checkStringLength(fromMaster: boolean, size: number): Reply | null {
  if (!fromMaster && size > PROTO_MAX_BULK_LEN) {
    return error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
  }
  return null;
}
