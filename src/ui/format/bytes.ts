import type { ByteString } from "../../engine/bytes";
import { reprByte } from "../../engine/resp/repr";

/**
 * A byte count as people read it, in decimal units as network tools print them:
 * `259 B`, `14.2 kB`, `1.05 MB`.
 */
export function formatBytes(count: number): string {
  const n = Math.max(0, Math.round(count));
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${trim(n / 1000)} kB`;
  if (n < 1_000_000_000) return `${trim(n / 1_000_000)} MB`;
  return `${trim(n / 1_000_000_000)} GB`;
}

/** Three significant digits at most, no trailing zeros: 14.2, 105, 1.05, 2. */
function trim(value: number): string {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return String(Number(value.toFixed(digits)));
}

export interface VisibleBytes {
  /** The bytes as text: `\r` and `\n` spelled out, other unprintable bytes as `\xHH`. */
  readonly text: string;
  /** How many bytes were left out after `maxBytes`. */
  readonly omitted: number;
}

/**
 * Raw bytes for a person to read: every byte escaped as Redis's `sdscatrepr`
 * does (`\r`, `\n`, `\x00`, `\\`, but quotes kept as they are), with a line
 * break after each `\n` so RESP reads one line per frame.
 */
export function visibleBytes(bytes: ByteString, maxBytes = 2048): VisibleBytes {
  const shown = bytes.length > maxBytes ? bytes.slice(0, maxBytes) : bytes;
  let text = "";
  for (let i = 0; i < shown.length; i++) {
    const byte = shown.charCodeAt(i) & 0xff;
    text += byte === 0x22 ? '"' : reprByte(byte);
    if (byte === 0x0a && i < shown.length - 1) text += "\n";
  }
  return { text, omitted: bytes.length - shown.length };
}
