import type { Server } from "./server";
import { expireKeyNow } from "./dispatch";

/** Keys looked at per database per cron beat; enough for a playground, bounded for big datasets. */
const KEYS_PER_CYCLE = 200;

/**
 * The active expire cycle of a master: deletes keys whose time has come and
 * propagates one DEL each, never wrapped in MULTI/EXEC. Like 7.0's, it goes
 * on each beat where the last one stopped (`db->expires_cursor`), so every
 * key with a TTL is looked at in turn, however many there are; Redis walks
 * its hash table's buckets, we walk the expires table in insertion order, so
 * runs replay.
 */
export function activeExpireCycle(s: Server): void {
  // Under a client pause the dataset stays still, expires included (7.0's
  // "Test both active and passive expires are skipped during client pause").
  if (s.failover.writesPaused) return;
  const now = s.unixTimeMs();
  for (const db of s.keyspace.dbs) {
    if (db.expires.size === 0) {
      db.expireCursor = null;
      continue;
    }
    // A walk begun in this beat ends with the table; one carried over wraps once.
    let wraps = db.expireCursor === null ? 0 : 1;
    for (let looked = 0; looked < KEYS_PER_CYCLE;) {
      db.expireCursor ??= db.expires.entries();
      const next = db.expireCursor.next();
      if (next.done === true) {
        db.expireCursor = null;
        if (wraps-- === 0) break;
        continue;
      }
      looked++;
      const [key, when] = next.value;
      if (now > when) expireKeyNow(s, db.id, key); // `keyIsExpired`: strictly later
    }
  }
}
