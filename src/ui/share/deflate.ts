/**
 * Raw DEFLATE through the platform's CompressionStream (browsers and Node 18+),
 * so share links need no compression library in the bundle.
 */

export async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new CompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export class InflateError extends Error {}

/**
 * Inflates raw DEFLATE bytes, refusing to produce more than `maxBytes` (a
 * small link must not expand into gigabytes). Throws `InflateError` for a
 * stream that is damaged, cut short or too large.
 */
export async function inflateRaw(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream("deflate-raw"))
    .getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel();
        throw new InflateError(`it expands to more than ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof InflateError) throw e;
    throw new InflateError("it does not decompress (damaged or cut short)");
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
