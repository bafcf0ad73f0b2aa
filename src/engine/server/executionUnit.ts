import type { ByteString } from "../bytes";

/** One command to propagate, in its database. */
export interface PropagatedOp {
  readonly dbid: number;
  readonly argv: readonly ByteString[];
}

/** One execution unit's propagated commands (`server.also_propagate`). */
export interface ExecutionUnit {
  /**
   * Replaced rather than pushed to while empty: an empty array's first push
   * reserves 17 slots. A new unit starts with NO_OPS, so the many commands
   * that propagate nothing allocate no array.
   */
  ops: PropagatedOp[];
}

/** The ops of a unit that has none yet: shared, never pushed to (`addOp` replaces it). */
export const NO_OPS: PropagatedOp[] = [];

/**
 * Adds a command to propagate with the unit. Argument vectors are never
 * changed once made (all are read-only), so the unit keeps `argv` itself.
 */
export function addOp(unit: ExecutionUnit, dbid: number, argv: readonly ByteString[]): void {
  const op: PropagatedOp = { dbid, argv };
  if (unit.ops.length === 0) unit.ops = [op];
  else unit.ops.push(op);
}
