import type { ByteString } from "../../bytes";
import type { VirtualTime } from "../../io";
import type { Reply } from "../../reply";
import type { SentinelConfig } from "../sentinel";
import { TestNetwork } from "./network";

/** A replica of the test topology: `rN` at 10.0.0.(N+1). */
export interface ReplicaSpec {
  readonly priority?: number;
}

export interface ClusterSpec {
  readonly replicas?: readonly ReplicaSpec[];
  readonly sentinels?: number;
  readonly quorum?: number;
  readonly config?: SentinelConfig;
  readonly seed?: number;
}

/** The settings of Redis's own Sentinel tests: down-after 2 s, failover-timeout 10 s. */
export const TEST_CONFIG: SentinelConfig = { downAfterMs: 2000, failoverTimeoutMs: 10_000 };

/**
 * m (10.0.0.1) with replicas r1, r2, … (10.0.0.2, …) and Sentinels s1, s2, …
 * (10.0.0.11, …) monitoring it as `mymaster`. Replicas name their master
 * by IP, as they would under Sentinel in production.
 */
export function startCluster(spec: ClusterSpec = {}): TestNetwork {
  const net = new TestNetwork(1000, spec.seed ?? 1);
  net.addServer("m", "10.0.0.1", { config: { "repl-diskless-sync-delay": "0" } });
  const replicas = spec.replicas ?? [{}, {}];
  replicas.forEach((r, i) => {
    net.addServer(`r${i + 1}`, `10.0.0.${i + 2}`, {
      replicaOf: "10.0.0.1",
      config: {
        "repl-diskless-sync-delay": "0",
        ...(r.priority !== undefined ? { "replica-priority": String(r.priority) } : {}),
      },
    });
  });
  const monitors = [{ group: "mymaster", masterHost: "10.0.0.1", quorum: spec.quorum ?? 2 }];
  for (let i = 1; i <= (spec.sentinels ?? 3); i++) {
    net.addSentinel(`s${i}`, `10.0.0.${10 + i}`, { monitors, config: spec.config ?? TEST_CONFIG });
  }
  return net;
}

/** One Sentinel event as its log line shows it: `+sdown master mymaster 10.0.0.1 6379`. */
export interface SentinelEvent {
  readonly t: VirtualTime;
  readonly host: string;
  readonly type: string;
  readonly payload: string;
}

/** Every `+…`/`-…` event logged since index `from` of the network's event list. */
export function sentinelEvents(net: TestNetwork, from = 0): SentinelEvent[] {
  const out: SentinelEvent[] = [];
  for (const e of net.events.slice(from)) {
    if (e.event.type !== "log") continue;
    const m = /^([+-][a-z-]+) ?(.*)$/.exec(e.event.text);
    if (m?.[1] === undefined) continue;
    out.push({ t: e.t, host: e.host, type: m[1], payload: m[2] ?? "" });
  }
  return out;
}

export function eventsOfType(net: TestNetwork, type: string, from = 0): SentinelEvent[] {
  return sentinelEvents(net, from).filter((e) => e.type === type);
}

/** One INFO field of a server, as `expect NAME FIELD` reads it. */
export function infoField(net: TestNetwork, name: string, field: string): string | undefined {
  const reply = net.command(name, ["INFO"]);
  const text = reply.type === "bulk" ? (reply.value ?? "") : "";
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0 && line.slice(0, colon) === field) return line.slice(colon + 1);
  }
  return undefined;
}

/** A flat field/value array (SENTINEL MASTER) as a record. */
export function asRecord(reply: Reply): Record<string, ByteString> {
  const out: Record<string, ByteString> = {};
  if (reply.type !== "array" || !reply.value) return out;
  for (let i = 0; i + 1 < reply.value.length; i += 2) {
    const k = reply.value[i];
    const v = reply.value[i + 1];
    if (k?.type === "bulk" && v?.type === "bulk" && k.value !== null && v.value !== null) {
      out[k.value] = v.value;
    }
  }
  return out;
}

/** SENTINEL GET-MASTER-ADDR-BY-NAME mymaster, as `ip:port`. */
export function masterAddr(net: TestNetwork, sentinel: string): string {
  const reply = net.command(sentinel, ["SENTINEL", "get-master-addr-by-name", "mymaster"]);
  if (reply.type !== "array" || !reply.value) return "(nil)";
  return reply.value.map((r) => (r.type === "bulk" ? r.value : "?")).join(":");
}

export const SECOND = 1_000_000;
