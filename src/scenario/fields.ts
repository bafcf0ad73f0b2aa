/** What `expect` and `let` read for a field INFO does not print. */
export const ABSENT = "(absent)";

/**
 * Reads an INFO field, or a part of a composite one: `slave0.state` reads
 * `state=` inside `slave0:ip=…,state=online,…`; `db0.keys` reads `keys=`.
 */
export function readField(info: ReadonlyMap<string, string>, field: string): string {
  const whole = info.get(field);
  if (whole !== undefined) return whole;
  const dot = field.indexOf(".");
  if (dot < 0) return ABSENT;
  const composite = info.get(field.slice(0, dot));
  if (composite === undefined) return ABSENT;
  const part = field.slice(dot + 1);
  for (const pair of composite.split(",")) {
    const eq = pair.indexOf("=");
    if (eq > 0 && pair.slice(0, eq) === part) return pair.slice(eq + 1);
  }
  return ABSENT;
}
