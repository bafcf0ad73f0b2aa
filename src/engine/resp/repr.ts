import type { ByteString } from "../bytes";

/**
 * `sdscatrepr`: a byte string as a double-quoted C-like literal. `\` and `"`
 * are backslashed, `\n \r \t \a \b` use their escapes, other bytes outside
 * printable ASCII (0x20..0x7e, the C locale's `isprint`) become `\xHH` with
 * lowercase hex. Redis uses it in logs; redis-cli for every bulk string.
 */
export function catRepr(bytes: ByteString): string {
  let out = '"';
  for (let i = 0; i < bytes.length; i++) out += reprByte(bytes.charCodeAt(i) & 0xff);
  return out + '"';
}

/** One byte as `sdscatrepr` writes it, without the surrounding quotes. */
export function reprByte(byte: number): string {
  switch (byte) {
    case 0x5c: // backslash
      return "\\\\";
    case 0x22: // "
      return '\\"';
    case 0x0a:
      return "\\n";
    case 0x0d:
      return "\\r";
    case 0x09:
      return "\\t";
    case 0x07:
      return "\\a";
    case 0x08:
      return "\\b";
    default:
      if (byte >= 0x20 && byte <= 0x7e) return String.fromCharCode(byte);
      return `\\x${byte.toString(16).padStart(2, "0")}`;
  }
}
