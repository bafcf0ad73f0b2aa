import type { Server } from "./server";
import { expireKeyNow } from "./dispatch";

/** Keys looked at per database per cron beat; enough for a playground, bounded for big datasets. */
const KEYS_PER_CYCLE = 200;

/**
 * The active expire cycle of a master: deletes keys whose time has come and
 * propagates one DEL each, never wrapped in MULTI/EXEC. Redis samples at
 * random; we walk the expires table in insertion order so runs replay.
 */
export function activeExpireCycle(s: Server): void {
  // Under a client pause the dataset stays still, expires included (7.0's
  // "Test both active and passive expires are skipped during client pause").
  if (s.failover.writesPaused) return;
  const now = s.unixTimeMs();
  for (const db of s.keyspace.dbs) {
    if (db.expires.size === 0) continue;
    let looked = 0;
    for (const [key, when] of db.expires) {
      if (looked++ >= KEYS_PER_CYCLE) break;
      if (now > when) expireKeyNow(s, db.id, key); // `keyIsExpired`: strictly later
    }
  }
}
