import type { ByteString } from "../bytes";

/**
 * A value stored under a key. Redis's encodings (listpack, intset, ...) are
 * invisible to replication, so we keep only the logical types; the RDB writer
 * picks an encoding real Redis 7.0 loads.
 *
 * A string is stored as itself, with no wrapper: it is by far the most
 * common value (every SET), and a wrapper per key would be one more object
 * that lives as long as the key for the garbage collector to copy and mark.
 */
export type RedisValue = ByteString | RedisCollection;

/** The values that are not strings: each says its type. */
export type RedisCollection =
  | { readonly type: "list"; readonly value: ByteString[] }
  | { readonly type: "hash"; readonly value: Map<ByteString, ByteString> }
  | { readonly type: "set"; readonly value: Set<ByteString> }
  | { readonly type: "zset"; readonly value: Map<ByteString, number> }; // member -> score

export type RedisType = "string" | RedisCollection["type"];

/** The type of a stored value, as TYPE names it. */
export function valueType(value: RedisValue): RedisType {
  return typeof value === "string" ? "string" : value.type;
}
