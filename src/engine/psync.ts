/**
 * The master's PSYNC decision, exactly as `replication.c:masterTryPartialResynchronization`.
 */
export interface PsyncState {
  readonly replId: string;
  readonly replId2: string;
  /** `second_replid_offset`; -1 when there is no replid2. */
  readonly secondReplOffset: number;
  /** null when the master has no backlog. */
  readonly backlog: { readonly firstByteOffset: number; readonly histlen: number } | null;
  readonly masterReplOffset: number;
}

export type PsyncDecision =
  | { readonly accept: true }
  | {
      readonly accept: false;
      /** `?` was asked for: a requested full sync, not counted in sync_partial_err. */
      readonly requestedFull: boolean;
      readonly reason: "fullRequested" | "replIdMismatch" | "secondIdOffset" | "noBacklog";
      /** The master's log lines for the rejection. */
      readonly log: readonly string[];
    };

export function decidePsync(
  state: PsyncState,
  replicaName: string,
  requestedReplId: string,
  requestedOffset: number,
): PsyncDecision {
  const asked = requestedReplId.toLowerCase();
  const sameId = asked === state.replId.toLowerCase();
  const secondId =
    asked === state.replId2.toLowerCase() && requestedOffset <= state.secondReplOffset;
  if (!sameId && !secondId) {
    if (requestedReplId === "?") {
      return reject(true, "fullRequested", [`Full resync requested by replica ${replicaName}`]);
    }
    if (asked === state.replId2.toLowerCase()) {
      return reject(false, "secondIdOffset", [
        `Partial resynchronization not accepted: Requested offset for second ID was ${requestedOffset}, but I can reply up to ${state.secondReplOffset}`,
      ]);
    }
    return reject(false, "replIdMismatch", [
      `Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${requestedReplId}', my replication IDs are '${state.replId}' and '${state.replId2}')`,
    ]);
  }
  const b = state.backlog;
  if (
    !b ||
    requestedOffset < b.firstByteOffset ||
    requestedOffset > b.firstByteOffset + b.histlen
  ) {
    const log = [
      `Unable to partial resync with replica ${replicaName} for lack of backlog (Replica request was: ${requestedOffset}).`,
    ];
    if (requestedOffset > state.masterReplOffset) {
      log.push(
        `Warning: replica ${replicaName} tried to PSYNC with an offset that is greater than the master replication offset.`,
      );
    }
    return reject(false, "noBacklog", log);
  }
  return { accept: true };
}

function reject(
  requestedFull: boolean,
  reason: "fullRequested" | "replIdMismatch" | "secondIdOffset" | "noBacklog",
  log: readonly string[],
): PsyncDecision {
  return { accept: false, requestedFull, reason, log };
}
