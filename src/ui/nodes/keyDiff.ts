import type { KeyView } from "../../engine/server/view";

/** A key of a node as its panel lists it, compared with the node's master. */
export interface KeyRow {
  readonly key: KeyView;
  /**
   * `same`: as on the master; `differs`: another value, type or TTL; `extra`: the
   * master does not have it; `missing`: only the master has it (listed greyed);
   * `master`: there is no master to compare with.
   */
  readonly status: "same" | "differs" | "extra" | "missing" | "master";
}

/**
 * Lines a node's keys up against its master's, so keys that differ stand out.
 * A TTL counts as different only when the expiry times differ by more than
 * `ttlSlackMs` (a replica receives the absolute time, but PEXPIREAT rounding
 * and clock skew are not worth flagging).
 */
export function keyDiff(
  keys: readonly KeyView[],
  masterKeys: readonly KeyView[] | null,
  ttlSlackMs = 1000,
): KeyRow[] {
  if (masterKeys === null) return keys.map((key) => ({ key, status: "master" }));
  const id = (k: KeyView) => `${k.db}\u0000${k.key}`;
  const onMaster = new Map(masterKeys.map((k) => [id(k), k]));
  const here = new Set(keys.map(id));
  const rows: KeyRow[] = keys.map((key) => {
    const m = onMaster.get(id(key));
    if (!m) return { key, status: "extra" };
    const ttlDiffers =
      (m.expiresAtMs === null) !== (key.expiresAtMs === null) ||
      (m.expiresAtMs !== null &&
        key.expiresAtMs !== null &&
        Math.abs(m.expiresAtMs - key.expiresAtMs) > ttlSlackMs);
    const same = m.type === key.type && m.preview === key.preview && !ttlDiffers;
    return { key, status: same ? "same" : "differs" };
  });
  for (const m of masterKeys) if (!here.has(id(m))) rows.push({ key: m, status: "missing" });
  return rows.sort(
    (a, b) => a.key.db - b.key.db || (a.key.key < b.key.key ? -1 : a.key.key > b.key.key ? 1 : 0),
  );
}
