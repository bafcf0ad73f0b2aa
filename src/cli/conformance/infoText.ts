/**
 * INFO text as real redis-server prints it, turned into fields, with the
 * addresses that only exist on the harness's side (127.0.0.1 and real or proxy
 * ports) rewritten into the simulator's terms: a master is named by its node
 * name on port 6379, a replica by its simulated address `10.0.0.N` on 6379.
 */

/** Every `name:value` line of an INFO reply, in order (section headers and blank lines skipped). */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line === "" || line.startsWith("#")) continue;
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** How the harness's real addresses map onto the simulator's names. */
export interface AddressNaming {
  /** The node a replica reaches through the proxy listening on `port` (its `master_port`). */
  nodeBehindProxy(port: number): string | undefined;
  /** The simulated address (`10.0.0.N`) of the node whose redis-server listens on `port`. */
  simulatedIpOfPort(port: number): string | undefined;
}

/** The simulator's port for every node. */
export const SIMULATED_PORT = "6379";

const SLAVE_LINE = /^slave\d+$/;

/**
 * Rewrites INFO text (any sections) so addresses read as in the simulator:
 * `master_host:127.0.0.1` + `master_port:<proxy>` → `master_host:<node>` +
 * `master_port:6379`; `slaveN:ip=127.0.0.1,port=<real>` → `ip=10.0.0.N,port=6379`.
 * Addresses the harness does not know are left as they are. Line breaks are kept.
 */
export function normaliseInfoText(text: string, naming: AddressNaming): string {
  const lines = text.split("\r\n");
  const masterPort = lines.find((l) => l.startsWith("master_port:"))?.slice("master_port:".length);
  const master = masterPort === undefined ? undefined : masterName(Number(masterPort), naming);
  return lines
    .map((line) => {
      const colon = line.indexOf(":");
      if (colon <= 0 || line.startsWith("#")) return line;
      const key = line.slice(0, colon);
      const value = normaliseValue(key, line.slice(colon + 1), master, naming);
      return `${key}:${value}`;
    })
    .join("\r\n");
}

/** The same rewriting over parsed fields. */
export function normaliseInfoFields(
  fields: ReadonlyMap<string, string>,
  naming: AddressNaming,
): Map<string, string> {
  const masterPort = fields.get("master_port");
  const master = masterPort === undefined ? undefined : masterName(Number(masterPort), naming);
  const out = new Map<string, string>();
  for (const [key, value] of fields) out.set(key, normaliseValue(key, value, master, naming));
  return out;
}

/**
 * A master reached through a proxy reads as its node's name (as `replicaof
 * NAME` says); one dialled directly (a FAILOVER handover, which names the new
 * master by address) as its simulated address.
 */
function masterName(port: number, naming: AddressNaming): string | undefined {
  return naming.nodeBehindProxy(port) ?? naming.simulatedIpOfPort(port);
}

function normaliseValue(
  key: string,
  value: string,
  master: string | undefined,
  naming: AddressNaming,
): string {
  if (master !== undefined && key === "master_host") return master;
  if (master !== undefined && key === "master_port") return SIMULATED_PORT;
  if (!SLAVE_LINE.test(key)) return value;
  const parts = value.split(",");
  const port = parts.find((p) => p.startsWith("port="))?.slice(5);
  const ip = port === undefined ? undefined : naming.simulatedIpOfPort(Number(port));
  if (ip === undefined) return value;
  return parts
    .map((p) =>
      p.startsWith("ip=") ? `ip=${ip}` : p.startsWith("port=") ? `port=${SIMULATED_PORT}` : p,
    )
    .join(",");
}
