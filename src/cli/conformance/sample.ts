/**
 * What the harness compares after a line: a fixed set of INFO fields of every
 * node, with the random replication ids replaced by where each id was first
 * seen, so two runs compare equal exactly when their ids relate the same way
 * (which nodes share a replid, which replid2 is which earlier replid).
 */
import { readField } from "../../scenario/fields";

/** The INFO fields compared on every node at every sample point. */
export const SAMPLED_FIELDS = [
  "role",
  "master_repl_offset",
  "second_repl_offset",
  "repl_backlog_first_byte_offset",
  "repl_backlog_histlen",
  "master_link_status",
  "connected_slaves",
  "sync_full",
  "sync_partial_ok",
  "sync_partial_err",
  "db0.keys",
  "master_replid",
  "master_replid2",
] as const;

export type SampledField = (typeof SAMPLED_FIELDS)[number];

/** One node's sampled fields; replids already relabelled. */
export type NodeSample = Readonly<Record<SampledField, string>>;

/**
 * A node that could not be read: crashed, stalled by `sleep` (its INFO would
 * wait for it), or answering with an error.
 */
export type NodeState = NodeSample | "not running" | "asleep" | `unreadable: ${string}`;

/** What `master_replid2` holds when there is no second id. */
export const NO_REPLID = "0000000000000000000000000000000000000000";

/**
 * Names replication ids by where they were first seen (`m.master_replid@8`:
 * node m's master_replid in the sample after line 8). Feed it in the same
 * order in both runs; equal labels then mean equal relations.
 */
export class ReplIdRegistry {
  private readonly labels = new Map<string, string>();

  label(id: string, node: string, field: string, where: string): string {
    if (id === NO_REPLID) return "(none)";
    if (id === "(absent)") return id;
    let label = this.labels.get(id);
    if (label === undefined) {
      label = `${node}.${field}@${where}`;
      this.labels.set(id, label);
    }
    return label;
  }
}

/** The sampled fields of one node from its INFO fields (all sections). */
export function sampleNode(
  info: ReadonlyMap<string, string>,
  node: string,
  where: string,
  replIds: ReplIdRegistry,
): NodeSample {
  const value = (field: SampledField): string => {
    const v = readField(info, field);
    // INFO keyspace prints no db0 line for an empty database.
    return field === "db0.keys" && v === "(absent)" ? "0" : v;
  };
  return {
    role: value("role"),
    master_repl_offset: value("master_repl_offset"),
    second_repl_offset: value("second_repl_offset"),
    repl_backlog_first_byte_offset: value("repl_backlog_first_byte_offset"),
    repl_backlog_histlen: value("repl_backlog_histlen"),
    master_link_status: value("master_link_status"),
    connected_slaves: value("connected_slaves"),
    sync_full: value("sync_full"),
    sync_partial_ok: value("sync_partial_ok"),
    sync_partial_err: value("sync_partial_err"),
    "db0.keys": value("db0.keys"),
    master_replid: replIds.label(value("master_replid"), node, "master_replid", where),
    master_replid2: replIds.label(value("master_replid2"), node, "master_replid2", where),
  };
}
