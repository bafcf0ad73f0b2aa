import type { Reply } from "../reply";
import type { Address } from "./appConn";

/**
 * The replicas worth reading from in a `SENTINEL replicas <group>` reply:
 * each entry is a flat field/value array; those whose flags say anything but
 * `slave` (s_down, disconnected, …) are left out, as client libraries do.
 */
export function parseReplicas(reply: Reply | null): Address[] {
  if (reply?.type !== "array" || !reply.value) return [];
  const out: Address[] = [];
  for (const entry of reply.value) {
    if (entry.type !== "array" || !entry.value) continue;
    const fields = new Map<string, string>();
    for (let i = 0; i + 1 < entry.value.length; i += 2) {
      const k = entry.value[i];
      const v = entry.value[i + 1];
      if (k?.type === "bulk" && v?.type === "bulk" && k.value !== null && v.value !== null) {
        fields.set(k.value, v.value);
      }
    }
    const ip = fields.get("ip");
    const port = Number(fields.get("port"));
    if (ip === undefined || !Number.isInteger(port) || fields.get("flags") !== "slave") continue;
    out.push({ ip, port });
  }
  return out;
}
