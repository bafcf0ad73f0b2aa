import type { Keyspace } from "../engine/keyspace/db";
import type { RedisValue } from "../engine/keyspace/value";
import { valueType } from "../engine/keyspace/value";

/**
 * A canonical text of a whole dataset (every key, type, value and absolute
 * expiry), so two datasets are identical exactly when their digests are.
 */
export function keyspaceDigest(keyspace: Keyspace): string {
  const lines: string[] = [];
  for (const db of keyspace.dbs) {
    const keys = [...db.dict.keys()].sort();
    for (const key of keys) {
      const value = db.dict.get(key);
      if (value === undefined) continue;
      const expiry = db.expires.get(key);
      lines.push(
        `${db.id} ${JSON.stringify(key)} ${valueType(value)} ${valueText(value)}${expiry === undefined ? "" : ` px ${expiry}`}`,
      );
    }
  }
  return lines.join("\n");
}

function valueText(value: RedisValue): string {
  if (typeof value === "string") return JSON.stringify(value);
  switch (value.type) {
    case "list":
      return JSON.stringify(value.value);
    case "set":
      return JSON.stringify([...value.value].sort());
    case "hash":
      return JSON.stringify([...value.value.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    case "zset":
      return JSON.stringify([...value.value.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  }
}
