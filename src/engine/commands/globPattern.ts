import type { ByteString } from "../bytes";

/**
 * `util.c:stringmatchlen` as in 7.0.15, byte for byte: `*`, `?`, `[abc]`,
 * `[^a]`, `[a-z]`, `\` escapes, C's signed `char` in range comparisons, an
 * unterminated `[` closing at the end, and the pattern read as NUL-terminated
 * (so a non-empty pattern never matches the empty string, not even `*`: KEYS
 * and SCAN short-cut a lone `*` before calling it).
 */
export function stringMatchLen(pattern: ByteString, text: ByteString, nocase = false): boolean {
  return matchFrom(pattern, 0, text, 0, nocase, { skipLongerMatches: false });
}

/** The byte at `i` as C's signed char, or the terminating NUL past the end. */
function at(s: string, i: number): number {
  if (i >= s.length) return 0;
  const c = s.charCodeAt(i) & 0xff;
  return c >= 128 ? c - 256 : c;
}

/** `tolower` in the C locale: ASCII only. */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

const STAR = 42;
const QUESTION = 63;
const OPEN = 91;
const CLOSE = 93;
const CARET = 94;
const BACKSLASH = 92;
const DASH = 45;

function matchFrom(
  p: string,
  pi: number,
  s: string,
  si: number,
  nocase: boolean,
  state: { skipLongerMatches: boolean },
): boolean {
  const plen = (): number => p.length - pi;
  const slen = (): number => s.length - si;
  while (plen() > 0 && slen() > 0) {
    switch (at(p, pi)) {
      case STAR: {
        while (plen() > 0 && at(p, pi + 1) === STAR) pi++;
        if (plen() === 1) return true;
        while (slen() > 0) {
          if (matchFrom(p, pi + 1, s, si, nocase, state)) return true;
          // No match for the rest anywhere later: longer matches of earlier stars cannot help.
          if (state.skipLongerMatches) return false;
          si++;
        }
        state.skipLongerMatches = true;
        return false;
      }
      case QUESTION:
        si++;
        break;
      case OPEN: {
        pi++;
        const not = at(p, pi) === CARET;
        if (not) pi++;
        let match = false;
        const c = at(s, si);
        for (;;) {
          const q = at(p, pi);
          if (q === BACKSLASH && plen() >= 2) {
            pi++;
            if (at(p, pi) === c) match = true;
          } else if (q === CLOSE) {
            break;
          } else if (plen() === 0) {
            pi--;
            break;
          } else if (plen() >= 3 && at(p, pi + 1) === DASH) {
            let start = q;
            let end = at(p, pi + 2);
            let ch = c;
            if (start > end) [start, end] = [end, start];
            if (nocase) {
              start = lower(start);
              end = lower(end);
              ch = lower(ch);
            }
            pi += 2;
            if (ch >= start && ch <= end) match = true;
          } else if (nocase ? lower(q) === lower(c) : q === c) {
            match = true;
          }
          pi++;
        }
        if (not) match = !match;
        if (!match) return false;
        si++;
        break;
      }
      case BACKSLASH:
        if (plen() >= 2) pi++;
        if (!sameByte(at(p, pi), at(s, si), nocase)) return false;
        si++;
        break;
      default:
        if (!sameByte(at(p, pi), at(s, si), nocase)) return false;
        si++;
        break;
    }
    pi++;
    if (slen() === 0) {
      while (at(p, pi) === STAR) pi++;
      break;
    }
  }
  return plen() === 0 && slen() === 0;
}

function sameByte(a: number, b: number, nocase: boolean): boolean {
  return nocase ? lower(a) === lower(b) : a === b;
}
