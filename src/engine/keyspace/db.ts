import type { ByteString } from "../bytes";
import type { RedisValue } from "./value";

/** One numbered database: the main dictionary and the expires dictionary (unix ms). */
export class Db {
  readonly dict = new Map<ByteString, RedisValue>();
  readonly expires = new Map<ByteString, number>();

  constructor(readonly id: number) {}

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

  constructor(count = 16) {
    this.dbs = Array.from({ length: count }, (_, i) => new Db(i));
  }

  db(id: number): Db {
    const db = this.dbs[id];
    if (!db) throw new RangeError(`no database ${id}`);
    return db;
  }

  /** Takes over another keyspace's databases (a loaded RDB) without copying keys. */
  adopt(other: Keyspace): void {
    this.dbs.splice(0, this.dbs.length, ...other.dbs);
  }

  flushAll(): void {
    for (const db of this.dbs) db.clear();
  }

  totalKeys(): number {
    let n = 0;
    for (const db of this.dbs) n += db.size;
    return n;
  }
}
