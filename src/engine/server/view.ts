import type { BacklogBlockView } from "../backlog";
import type { ByteString } from "../bytes";
import type { ReplicaState, ReplState } from "../io";
import type { RedisType, RedisValue } from "../keyspace/value";
import { valueType } from "../keyspace/value";
import { byCodeUnits, smallest } from "../keyspace/smallest";
import { replicaName } from "./client";
import { genInfo } from "./info";
import type { Server } from "./server";

/** One key as the keyspace panel shows it. */
export interface KeyView {
  readonly db: number;
  readonly key: ByteString;
  readonly type: RedisType;
  /** The value as redis-cli would print it, shortened for display. */
  readonly preview: string;
  /** Absolute unix ms, or null. */
  readonly expiresAtMs: number | null;
}

/** What the page draws of one server: plain data, posted from a worker or read in-process. */
export interface NodeView {
  readonly name: string;
  readonly runId: string;
  readonly role: "master" | "slave";
  readonly masterHost: string | null;
  readonly replState: ReplState;
  readonly replId: string;
  readonly replId2: string;
  readonly masterReplOffset: number;
  readonly secondReplOffset: number;
  /** The applied offset of the master link (`slave_repl_offset`), or null. */
  readonly slaveReplOffset: number | null;
  readonly replicas: readonly {
    readonly name: string;
    readonly state: ReplicaState;
    readonly ackOffset: number;
  }[];
  readonly backlog: {
    readonly firstByteOffset: number;
    readonly histlen: number;
    readonly sizeBytes: number;
    readonly model: "7.0" | "6.2";
    readonly blocks: readonly BacklogBlockView[];
  } | null;
  readonly stats: {
    readonly syncFull: number;
    readonly syncPartialOk: number;
    readonly syncPartialErr: number;
  };
  readonly dbsize: number;
  /** The first keys (sorted), enough for the panel. */
  readonly keys: readonly KeyView[];
  /** `INFO replication` text, as the panel prints it. */
  readonly infoReplication: string;
}

const MAX_KEYS = 200;
const MAX_PREVIEW = 80;
/**
 * Items enough to fill a preview: each shows as at least `""` and a `, `
 * follows it, so this many make a text longer than MAX_PREVIEW, and the
 * items after them cannot change what the preview shows.
 */
const PREVIEW_ITEMS = MAX_PREVIEW / 2;

function preview(text: string): string {
  return text.length > MAX_PREVIEW ? `${text.slice(0, MAX_PREVIEW - 1)}…` : text;
}

/**
 * A value as the key list shows it: JSON-like text, cut to MAX_PREVIEW. Only
 * the beginning of a value is read: a 100 MB string or a list of a million
 * items is not turned into text to show eighty characters of it.
 */
export function valuePreview(v: RedisValue): string {
  if (typeof v === "string")
    return preview(JSON.stringify(v.length > MAX_PREVIEW ? v.slice(0, MAX_PREVIEW) : v));
  switch (v.type) {
    case "list":
      return previewItems("[", v.value.slice(0, PREVIEW_ITEMS).map(json), "]");
    case "set":
      return previewItems("{", smallest(v.value, PREVIEW_ITEMS, byCodeUnits).map(json), "}");
    case "hash":
      return previewItems(
        "{",
        firstEntries(v.value).map(([f, x]) => `${json(f)}: ${json(x)}`),
        "}",
      );
    case "zset":
      return previewItems(
        "{",
        firstEntries(v.value).map(([m, score]) => `${json(m)}: ${score}`),
        "}",
      );
  }
}

function json(text: string): string {
  return JSON.stringify(text);
}

function previewItems(open: string, items: readonly string[], close: string): string {
  return preview(`${open}${items.join(", ")}${close}`);
}

function firstEntries<V>(map: ReadonlyMap<ByteString, V>): [ByteString, V][] {
  const out: [ByteString, V][] = [];
  for (const entry of map) {
    if (out.length >= PREVIEW_ITEMS) break;
    out.push(entry);
  }
  return out;
}

/** A snapshot of a server for the views. */
export function nodeView(s: Server): NodeView {
  const keys: KeyView[] = [];
  let dbsize = 0;
  for (const db of s.keyspace.dbs) {
    dbsize += db.size;
    if (keys.length >= MAX_KEYS) continue;
    const names = smallest(db.dict.keys(), MAX_KEYS - keys.length, byCodeUnits);
    for (const key of names) {
      const v = db.dict.get(key);
      if (v === undefined) continue;
      keys.push({
        db: db.id,
        key,
        type: valueType(v),
        preview: valuePreview(v),
        expiresAtMs: db.expires.get(key) ?? null,
      });
    }
  }
  const link = s.masterLink;
  return {
    name: s.name,
    runId: s.runId,
    role: s.isReplica ? "slave" : "master",
    masterHost: s.masterHost,
    replState: s.replState,
    replId: s.replId,
    replId2: s.replId2,
    masterReplOffset: s.masterReplOffset,
    secondReplOffset: s.secondReplOffset,
    slaveReplOffset: link?.client ? link.replOff : null,
    replicas: s.replicas.flatMap((r) =>
      r.replica
        ? [{ name: replicaName(r), state: r.replica.state, ackOffset: r.replica.ackOffset }]
        : [],
    ),
    backlog: s.backlog
      ? {
          firstByteOffset: s.backlog.firstByteOffset,
          histlen: s.backlog.histlen,
          sizeBytes: Math.max(s.configInt("repl-backlog-size"), 16384),
          model: s.backlog.model,
          blocks: s.backlog.blocks(),
        }
      : null,
    stats: {
      syncFull: s.stats.syncFull,
      syncPartialOk: s.stats.syncPartialOk,
      syncPartialErr: s.stats.syncPartialErr,
    },
    dbsize,
    keys,
    infoReplication: genInfo(s, ["replication"]),
  };
}
