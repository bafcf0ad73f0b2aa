/**
 * URL-safe base64 (RFC 4648 §5) without padding: the alphabet a URL carries
 * unescaped in a query or a fragment.
 */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const VALUES: ReadonlyMap<string, number> = new Map([...ALPHABET].map((c, i) => [c, i]));

export function toBase64Url(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const n = (a << 16) | (b << 8) | c;
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

export type Base64UrlResult =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly message: string };

/** The bytes of a base64url text, or what is wrong with it (a character not in the alphabet, a cut-off length). */
export function fromBase64Url(text: string): Base64UrlResult {
  if (text.length % 4 === 1)
    return { ok: false, message: `its length (${text.length}) cannot be base64: it was cut short` };
  const bytes = new Uint8Array(Math.floor((text.length * 6) / 8));
  let bits = 0;
  let acc = 0;
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    const v = VALUES.get(ch);
    if (v === undefined)
      return {
        ok: false,
        message: `character ${i + 1} (${JSON.stringify(ch)}) is not URL-safe base64`,
      };
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (acc >> bits) & 0xff;
    }
  }
  return { ok: true, bytes };
}
