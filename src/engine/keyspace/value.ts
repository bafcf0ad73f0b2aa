import type { ByteString } from "../bytes";

/**
 * A value stored under a key. Redis's encodings (listpack, intset, ...) are
 * invisible to replication, so we keep only the logical types; the RDB writer
 * picks an encoding real Redis 7.0 loads.
 */
export type RedisValue =
  | { readonly type: "string"; value: ByteString }
  | { readonly type: "list"; readonly value: ByteString[] }
  | { readonly type: "hash"; readonly value: Map<ByteString, ByteString> }
  | { readonly type: "set"; readonly value: Set<ByteString> }
  | { readonly type: "zset"; readonly value: Map<ByteString, number> }; // member -> score

export type RedisType = RedisValue["type"];
