import type { ByteString } from "../bytes";
import { CONFIG_SPECS, findConfig, parseConfigValue } from "../config";
import { stringMatchLen } from "../commands/globPattern";
import type { Reply } from "../reply";
import { OK, arityError, array, bulk, bulkArray, error, integer } from "../reply";
import type { Client } from "./client";
import type { ExecutionUnit, ServerCommandSpec } from "./dispatch";
import { call, lookupCommand } from "./dispatch";
import { genInfo } from "./info";
import { publishCommand, subscribeCommand, unsubscribeCommand } from "./pubsub";
import { refreshGoodReplicasCount, replconfCommand, syncCommand } from "./masterSide";
import { killMasterLink, replicationSetMaster, replicationUnsetMaster } from "./replicaSide";
import type { Server } from "./server";
import { waitCommand } from "./wait";
import { failoverCommand } from "./failover";

const ok = (): Reply => OK;

function ping(_s: Server, _c: Client, argv: readonly ByteString[]): Reply {
  return argv.length > 1 ? bulk(argv[1] ?? "") : { type: "simple", value: "PONG" };
}

function select(s: Server, client: Client, argv: readonly ByteString[]): Reply {
  const raw = argv[1] ?? "";
  if (!/^-?\d+$/.test(raw)) return error("ERR value is not an integer or out of range");
  const id = Number(raw);
  if (id < 0 || id >= s.keyspace.dbs.length) return error("ERR DB index is out of range");
  client.db = id;
  return OK;
}

function multi(_s: Server, client: Client): Reply {
  if (client.multi !== null) return error("ERR MULTI calls can not be nested");
  client.multi = [];
  client.multiDirty = false;
  return OK;
}

function discard(_s: Server, client: Client): Reply {
  if (client.multi === null) return error("ERR DISCARD without MULTI");
  client.multi = null;
  client.multiDirty = false;
  return OK;
}

/** EXEC: every queued command in one execution unit, propagated wrapped in MULTI/EXEC. */
function exec(s: Server, client: Client, _argv: readonly ByteString[], unit: ExecutionUnit): Reply {
  if (client.multi === null) return error("ERR EXEC without MULTI");
  const queued = client.multi;
  const dirty = client.multiDirty;
  client.multi = null;
  client.multiDirty = false;
  if (dirty) return error("EXECABORT Transaction discarded because of previous errors.");
  const replies: Reply[] = [];
  for (const argv of queued) {
    const entry = lookupCommand(argv[0] ?? "");
    if (!entry) {
      replies.push(error("ERR unknown command"));
      continue;
    }
    // WAIT cannot block inside a transaction: it answers with the current count.
    replies.push(call(s, client, entry, argv, unit) ?? integer(0));
  }
  return array(replies);
}

function info(s: Server, _c: Client, argv: readonly ByteString[]): Reply {
  return bulk(genInfo(s, argv.slice(1)));
}

/** ROLE, as `replication.c:roleCommand`. */
function role(s: Server): Reply {
  if (!s.isReplica) {
    const replicas = s.replicas
      .filter((r) => r.replica?.state === "online")
      .map((r) =>
        bulkArray([
          r.replica?.announcedIp ?? r.peerIp,
          String(r.replica?.listeningPort ?? 0),
          String(r.replica?.ackOffset ?? 0),
        ]),
      );
    return array([bulk("master"), integer(s.masterReplOffset), array(replicas)]);
  }
  const state = s.replState === "transfer" ? "sync" : s.replState === "none" ? "none" : s.replState;
  const link = s.masterLink;
  return array([
    bulk("slave"),
    bulk(s.masterHost ?? ""),
    integer(s.masterPort),
    bulk(state),
    integer(link?.client ? link.replOff : -1),
  ]);
}

/** `catClientInfoString`, the fields CLIENT LIST and the MASTER MODE log line show. */
export function clientInfoString(s: Server, c: Client): string {
  const ageSec = Math.floor((s.now - c.createdAt) / 1e6);
  const idleSec = Math.floor((s.now - c.lastInteractionUs) / 1e6);
  const flags = c.flag === "replica" ? "S" : c.flag === "master" ? "M" : "N";
  return `id=${c.id} addr=${c.peerIp}:${c.peerPort} laddr=${s.ip}:${s.port} fd=${c.id + 6} name=${c.name} age=${ageSec} idle=${idleSec} flags=${flags} db=${c.db} multi=${c.multi === null ? -1 : c.multi.length}`;
}

function replicaof(s: Server, client: Client, argv: readonly ByteString[]): Reply {
  if (s.failover.state !== "no-failover")
    return error("ERR REPLICAOF not allowed while failing over.");
  const host = argv[1] ?? "";
  const portRaw = argv[2] ?? "";
  if (host.toLowerCase() === "no" && portRaw.toLowerCase() === "one") {
    if (s.isReplica) {
      replicationUnsetMaster(s);
      s.log(`MASTER MODE enabled (user request from '${clientInfoString(s, client)}')`);
    }
    return OK;
  }
  if (client.flag === "replica") return error("ERR Command is not valid when client is a replica.");
  if (!/^-?\d+$/.test(portRaw) || Number(portRaw) < 0 || Number(portRaw) > 65535) {
    return error("ERR Invalid master port");
  }
  const port = Number(portRaw);
  if (
    s.masterHost !== null &&
    s.masterHost.toLowerCase() === host.toLowerCase() &&
    s.masterPort === port
  ) {
    s.log(
      "REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.",
    );
    return { type: "simple", value: "OK Already connected to specified master" };
  }
  replicationSetMaster(s, host, port);
  s.log(`REPLICAOF ${host}:${port} enabled (user request from '${clientInfoString(s, client)}')`);
  return OK;
}

function config(s: Server, _c: Client, argv: readonly ByteString[]): Reply {
  const sub = (argv[1] ?? "").toLowerCase();
  if (sub === "get") {
    if (argv.length < 3) return error(arityError("config|get"));
    const out: string[] = [];
    const seen = new Set<string>();
    for (const pattern of argv.slice(2)) {
      for (const spec of CONFIG_SPECS) {
        if (spec.sentinelOnly || seen.has(spec.name)) continue;
        const names = [spec.name, ...spec.aliases];
        const matched = names.find((n) => stringMatchLen(pattern, n, true));
        if (matched === undefined) continue;
        seen.add(spec.name);
        out.push(matched, s.config.get(spec.name) ?? spec.defaultValue);
      }
    }
    return bulkArray(out);
  }
  if (sub === "set") {
    if (argv.length < 4 || argv.length % 2 !== 0) return error(arityError("config|set"));
    const changes: [string, string][] = [];
    for (let i = 2; i < argv.length; i += 2) {
      const name = argv[i] ?? "";
      const spec = findConfig(name);
      if (!spec || spec.sentinelOnly) {
        return error(`ERR Unknown option or number of arguments for CONFIG SET - '${name}'`);
      }
      const parsed = parseConfigValue(spec, argv[i + 1] ?? "");
      if (!parsed.ok) {
        return error(
          `ERR CONFIG SET failed (possibly related to argument '${name}') - ${parsed.reason}`,
        );
      }
      changes.push([spec.name, parsed.value]);
    }
    for (const [name, value] of changes) applyConfig(s, name, value);
    return OK;
  }
  if (sub === "resetstat") {
    s.stats.syncFull = 0;
    s.stats.syncPartialOk = 0;
    s.stats.syncPartialErr = 0;
    s.stats.expiredKeys = 0;
    s.stats.totalErrorReplies = 0;
    s.stats.totalCommandsProcessed = 0;
    return OK;
  }
  if (sub === "rewrite") return OK;
  return error(`ERR unknown subcommand '${argv[1] ?? ""}'. Try CONFIG HELP.`);
}

/** Side effects of changing a parameter at run time. */
export function applyConfig(s: Server, name: string, value: string): void {
  s.setConfig(name, value);
  if (name === "repl-backlog-size") s.backlog?.resize(Number(value), s.masterReplOffset);
  if (name === "min-replicas-to-write" || name === "min-replicas-max-lag")
    refreshGoodReplicasCount(s);
}

/**
 * `DEBUG POPULATE count [prefix] [size]`: keys `prefix:N` holding `value:N`
 * (padded with zero bytes to `size`), skipping names that exist; not propagated.
 */
function debugPopulate(s: Server, client: Client, argv: readonly ByteString[]): Reply {
  const countRaw = argv[2] ?? "";
  if (!/^\d+$/.test(countRaw)) return error("ERR value is out of range, must be positive");
  const prefix = argv[3] ?? "key";
  const sizeRaw = argv[4];
  if (sizeRaw !== undefined && !/^\d+$/.test(sizeRaw))
    return error("ERR value is out of range, must be positive");
  const size = sizeRaw === undefined ? 0 : Number(sizeRaw);
  const db = s.keyspace.db(client.db);
  const count = Number(countRaw);
  for (let i = 0; i < count; i++) {
    const key = `${prefix}:${i}`;
    if (db.dict.has(key)) continue;
    let value = `value:${i}`;
    if (size > value.length) value += "\0".repeat(size - value.length);
    else if (size > 0) value = value.slice(0, size);
    db.reserve();
    db.dict.set(key, value);
  }
  return OK;
}

function debug(s: Server, client: Client, argv: readonly ByteString[]): Reply | null {
  const sub = (argv[1] ?? "").toLowerCase();
  if (sub === "sleep") {
    const seconds = Number(argv[2] ?? "0");
    if (!Number.isFinite(seconds)) return error("ERR value is not a valid float");
    if (seconds > 0) s.stall(s.now + Math.round(seconds * 1e6));
    return OK;
  }
  if (sub === "populate") return debugPopulate(s, client, argv);
  return error(`ERR unknown subcommand '${argv[1] ?? ""}'. Try DEBUG HELP.`);
}

function clientCmd(s: Server, client: Client, argv: readonly ByteString[]): Reply {
  const sub = (argv[1] ?? "").toLowerCase();
  if (sub === "id") return integer(client.id);
  if (sub === "list") {
    const lines = [...s.clients.values()].map((c) => clientInfoString(s, c) + "\n");
    return bulk(lines.join(""));
  }
  if (sub === "info") return bulk(clientInfoString(s, client) + "\n");
  if (sub === "setname" && argv.length === 3) {
    const name = argv[2] ?? "";
    // `clientSetName`: printable characters, no spaces.
    if (!/^[!-~]*$/.test(name)) {
      return error("ERR Client names cannot contain spaces, newlines or special characters.");
    }
    client.name = name;
    return OK;
  }
  if (sub === "getname" && argv.length === 2) return bulk(client.name === "" ? null : client.name);
  if (sub === "kill") {
    if (argv.length === 3) {
      const addr = argv[2] ?? "";
      const victim = [...s.clients.values()].find((c) => `${c.peerIp}:${c.peerPort}` === addr);
      if (!victim) return error("ERR No such client");
      s.freeClient(victim);
      return OK;
    }
    if (argv.length !== 4 || (argv[2] ?? "").toLowerCase() !== "type")
      return error("ERR syntax error");
    const type = (argv[3] ?? "").toLowerCase();
    if (type === "master") return integer(killMasterLink(s));
    if (type === "replica" || type === "slave") {
      const victims = [...s.replicas];
      for (const v of victims) s.freeClient(v);
      return integer(victims.length);
    }
    if (type === "normal") {
      const victims = [...s.clients.values()].filter((c) => c.flag === "normal" && c !== client);
      for (const v of victims) s.freeClient(v);
      return integer(victims.length);
    }
    if (type === "pubsub") return integer(0);
    return error(`ERR Unknown client type '${argv[3] ?? ""}'`);
  }
  return error(`ERR unknown subcommand '${argv[1] ?? ""}'. Try CLIENT HELP.`);
}

function time(s: Server): Reply {
  const us = s.epochMs * 1000 + s.now;
  return bulkArray([String(Math.floor(us / 1e6)), String(us % 1e6)]);
}

export const SERVER_COMMANDS: readonly ServerCommandSpec[] = [
  { name: "ping", arity: -1, flags: ["fast"], run: ping },
  { name: "echo", arity: 2, flags: ["fast"], run: (_s, _c, argv) => bulk(argv[1] ?? "") },
  { name: "select", arity: 2, flags: ["loading", "stale", "fast"], run: select },
  { name: "multi", arity: 1, flags: ["noscript", "loading", "stale", "fast"], run: multi },
  { name: "exec", arity: 1, flags: ["noscript", "loading", "stale"], run: exec },
  { name: "discard", arity: 1, flags: ["noscript", "loading", "stale", "fast"], run: discard },
  { name: "info", arity: -1, flags: ["loading", "stale"], run: info },
  { name: "role", arity: 1, flags: ["noscript", "loading", "stale", "fast"], run: role },
  { name: "time", arity: 1, flags: ["loading", "stale", "fast"], run: time },
  { name: "config", arity: -2, flags: ["admin", "noscript", "loading", "stale"], run: config },
  { name: "debug", arity: -2, flags: ["admin", "noscript", "loading", "stale"], run: debug },
  { name: "client", arity: -2, flags: ["admin", "noscript", "loading", "stale"], run: clientCmd },
  { name: "wait", arity: 3, flags: ["noscript"], run: (s, c, argv) => waitCommand(s, c, argv) },
  { name: "replicaof", arity: 3, flags: ["admin", "noscript", "stale"], run: replicaof },
  { name: "slaveof", arity: 3, flags: ["admin", "noscript", "stale"], run: replicaof },
  { name: "failover", arity: -1, flags: ["admin", "noscript", "stale"], run: failoverCommand },
  { name: "psync", arity: -3, flags: ["admin", "noscript", "no-multi"], run: syncCommand },
  { name: "sync", arity: 1, flags: ["admin", "noscript", "no-multi"], run: syncCommand },
  {
    name: "replconf",
    arity: -1,
    flags: ["admin", "noscript", "loading", "stale"],
    run: replconfCommand,
  },
  {
    name: "subscribe",
    arity: -2,
    flags: ["noscript", "loading", "stale", "fast"],
    run: subscribeCommand,
  },
  {
    name: "unsubscribe",
    arity: -1,
    flags: ["noscript", "loading", "stale", "fast"],
    run: unsubscribeCommand,
  },
  { name: "publish", arity: 3, flags: ["loading", "stale", "fast"], run: publishCommand },
  { name: "quit", arity: -1, flags: ["noscript", "loading", "stale", "fast"], run: ok },
];
