import type { ByteString } from "../bytes";
import type { RedisValue } from "./value";

/**
 * The most keys one node holds, all databases together (docs/limits.md). A
 * real redis-server without `maxmemory` grows until its machine runs out of
 * memory and then dies; the playground's machines are browser workers, so a
 * node dies the same way at this many keys instead of taking the tab with it.
 */
export const MAX_KEYS_PER_NODE = 1_000_000;

/**
 * The node's machine is out of memory: the host kills the process with this
 * message (as zmalloc's out-of-memory handler aborts redis-server), in the
 * page and in the runner alike.
 */
export class OutOfMemory extends Error {
  override readonly name = "OutOfMemory";
}

/** One numbered database: the main dictionary and the expires dictionary (unix ms). */
export class Db {
  readonly dict = new Map<ByteString, RedisValue>();
  readonly expires = new Map<ByteString, number>();
  /** The keyspace this database belongs to, which counts keys against the limit. */
  owner: Keyspace | null = null;
  /**
   * Where the active expire cycle goes on from (Redis's `db->expires_cursor`):
   * a live walk of `expires`, which a Map's iterator stays through deletions.
   */
  expireCursor: Iterator<[ByteString, number]> | null = null;

  constructor(readonly id: number) {}

  /** Whether the node has room for one more key (`reserve` would not throw). */
  hasRoomForKey(): boolean {
    const owner = this.owner;
    return owner === null || owner.totalKeys() < owner.maxKeys;
  }

  /** Whether the node holds no more keys than it may (true just after creating the last one allowed). */
  withinKeyLimit(): boolean {
    const owner = this.owner;
    return owner === null || owner.totalKeys() <= owner.maxKeys;
  }

  /** Call before creating a key: throws OutOfMemory when the node has no room for one more. */
  reserve(): void {
    const owner = this.owner;
    if (!this.hasRoomForKey() && owner !== null) {
      throw new OutOfMemory(
        `Out Of Memory: no room for key ${owner.maxKeys + 1}; a node holds at most ${owner.maxKeys} keys in the playground`,
      );
    }
  }

  get size(): number {
    return this.dict.size;
  }

  /** Removes a key and its expiry; returns whether it existed. */
  delete(key: ByteString): boolean {
    this.expires.delete(key);
    return this.dict.delete(key);
  }

  clear(): void {
    this.dict.clear();
    this.expires.clear();
  }
}

/** The 16 databases of a server (`databases 16`). */
export class Keyspace {
  readonly dbs: Db[];
  /** Tests may lower it; see MAX_KEYS_PER_NODE. */
  maxKeys = MAX_KEYS_PER_NODE;

  constructor(count = 16) {
    this.dbs = Array.from({ length: count }, (_, i) => new Db(i));
    for (const db of this.dbs) db.owner = this;
  }

  db(id: number): Db {
    const db = this.dbs[id];
    if (!db) throw new RangeError(`no database ${id}`);
    return db;
  }

  /** Takes over another keyspace's databases (a loaded RDB) without copying keys. */
  adopt(other: Keyspace): void {
    this.dbs.splice(0, this.dbs.length, ...other.dbs);
    for (const db of this.dbs) db.owner = this;
  }

  flushAll(): void {
    for (const db of this.dbs) db.clear();
  }

  totalKeys(): number {
    let n = 0;
    const dbs = this.dbs;
    for (let i = 0; i < dbs.length; i++) n += dbs[i]?.dict.size ?? 0;
    return n;
  }
}
