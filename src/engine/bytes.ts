/**
 * Redis strings are byte arrays. Inside the engine we carry them as "byte
 * strings": JS strings whose every code unit is 0..255, one per byte. They
 * compare, hash into Maps and concatenate cheaply, `.length` is the byte count
 * Redis reports, and they cross a MessageChannel or a JSON trace unchanged.
 * Text typed by a person is UTF-8 encoded at the edge with `utf8ToBytes`.
 */
export type ByteString = string;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: false });

/** Encodes text as UTF-8 and returns it as a byte string. */
export function utf8ToBytes(text: string): ByteString {
  // Pure ASCII is already its own byte string; skip the copy.
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return text;
  return uint8ToBytes(encoder.encode(text));
}

/** Decodes a byte string as UTF-8 (invalid sequences become U+FFFD). */
export function bytesToUtf8(bytes: ByteString): string {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return bytes;
  return decoder.decode(bytesToUint8(bytes));
}

/** Copies a Uint8Array into a byte string. */
export function uint8ToBytes(data: Uint8Array): ByteString {
  let out = "";
  const chunk = 8192;
  for (let i = 0; i < data.length; i += chunk) {
    out += String.fromCharCode(...data.subarray(i, i + chunk));
  }
  return out;
}

/** Copies a byte string into a Uint8Array. */
export function bytesToUint8(bytes: ByteString): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes.charCodeAt(i) & 0xff;
  return out;
}
