/**
 * A file that is not a valid RDB, or uses a feature the reader does not
 * support. `offset` is the byte position in the file where the problem was
 * found (for a value inside an LZF-compressed blob: the blob's position).
 */
export class RdbError extends Error {
  override readonly name = "RdbError";

  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super(`${reason} at byte ${offset}`);
  }
}
