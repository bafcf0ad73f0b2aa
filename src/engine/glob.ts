import type { ByteString } from "./bytes";

/**
 * Glob-style matching exactly as Redis's `util.c:stringmatchlen` (KEYS, SCAN
 * MATCH, CONFIG GET): `*`, `?`, `[abc]`, `[^a]`, `[a-z]` and `\` escapes.
 */
export function stringMatch(pattern: ByteString, text: ByteString, nocase = false): boolean {
  return matchAt(pattern, 0, text, 0, nocase);
}

function lower(c: string, nocase: boolean): string {
  return nocase ? c.toLowerCase() : c;
}

function matchAt(p: string, pi: number, s: string, si: number, nocase: boolean): boolean {
  while (pi < p.length && si <= s.length) {
    const pc = p[pi] ?? "";
    switch (pc) {
      case "*": {
        while (p[pi + 1] === "*") pi++;
        if (pi + 1 === p.length) return true;
        for (let k = si; k <= s.length; k++) {
          if (matchAt(p, pi + 1, s, k, nocase)) return true;
        }
        return false;
      }
      case "?":
        if (si >= s.length) return false;
        si++;
        break;
      case "[": {
        if (si >= s.length) return false;
        pi++;
        const not = p[pi] === "^";
        if (not) pi++;
        let match = false;
        const c = lower(s[si] ?? "", nocase);
        for (;;) {
          if (pi >= p.length) {
            pi--; // unterminated class: Redis treats the end as closing it
            break;
          }
          const q = p[pi] ?? "";
          if (q === "\\" && pi + 2 < p.length) {
            pi++;
            if (lower(p[pi] ?? "", nocase) === c) match = true;
          } else if (q === "]") {
            break;
          } else if (p[pi + 1] === "-" && pi + 2 < p.length) {
            let start = lower(q, nocase);
            let end = lower(p[pi + 2] ?? "", nocase);
            if (start > end) [start, end] = [end, start];
            pi += 2;
            if (c >= start && c <= end) match = true;
          } else if (lower(q, nocase) === c) {
            match = true;
          }
          pi++;
        }
        if (not) match = !match;
        if (!match) return false;
        si++;
        break;
      }
      default: {
        // A backslash makes the next pattern character literal.
        if (pc === "\\" && pi + 1 < p.length) pi++;
        if (si >= s.length || lower(p[pi] ?? "", nocase) !== lower(s[si] ?? "", nocase)) return false;
        si++;
        break;
      }
    }
    pi++;
    if (si === s.length) {
      while (p[pi] === "*") pi++;
      break;
    }
  }
  return pi === p.length && si === s.length;
}
