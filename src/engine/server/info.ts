import type { ByteString } from "../bytes";
import { replicaName } from "./client";
import type { Server } from "./server";

type Fields = [string, string | number][];

const DEFAULT_SECTIONS = [
  "server",
  "clients",
  "memory",
  "persistence",
  "stats",
  "replication",
  "cpu",
  "modules",
  "errorstats",
  "cluster",
  "keyspace",
] as const;

const TITLES: Record<string, string> = {
  server: "Server",
  clients: "Clients",
  memory: "Memory",
  persistence: "Persistence",
  stats: "Stats",
  replication: "Replication",
  cpu: "CPU",
  modules: "Modules",
  errorstats: "Errorstats",
  cluster: "Cluster",
  keyspace: "Keyspace",
};

/** The text of `INFO [section ...]` in 7.0's layout (`server.c:genRedisInfoString`). */
export function genInfo(s: Server, args: readonly ByteString[]): string {
  const wanted = new Set<string>();
  const names = args.map((a) => a.toLowerCase());
  if (
    names.length === 0 ||
    names.includes("default") ||
    names.includes("all") ||
    names.includes("everything")
  ) {
    for (const n of DEFAULT_SECTIONS) wanted.add(n);
  }
  for (const n of names) if (n in TITLES) wanted.add(n);
  const parts: string[] = [];
  for (const name of DEFAULT_SECTIONS) {
    if (!wanted.has(name)) continue;
    const fields = sectionFields(s, name);
    let text = `# ${TITLES[name] ?? name}\r\n`;
    for (const [k, v] of fields) text += `${k}:${v}\r\n`;
    parts.push(text);
  }
  return parts.join("\r\n");
}

/** Every INFO field of every section, by name, as `expect` and `let` read them. */
export function infoFields(s: Server): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of DEFAULT_SECTIONS) {
    for (const [k, v] of sectionFields(s, name)) out.set(k, String(v));
  }
  return out;
}

function sectionFields(s: Server, name: string): Fields {
  switch (name) {
    case "server":
      return serverSection(s);
    case "clients":
      return clientsSection(s);
    case "memory":
      return memorySection(s);
    case "persistence":
      return persistenceSection();
    case "stats":
      return statsSection(s);
    case "replication":
      return replicationSection(s);
    case "cpu":
      return [
        ["used_cpu_sys", "0.000000"],
        ["used_cpu_user", "0.000000"],
        ["used_cpu_sys_children", "0.000000"],
        ["used_cpu_user_children", "0.000000"],
      ];
    case "cluster":
      return [["cluster_enabled", 0]];
    case "keyspace":
      return keyspaceSection(s);
    default:
      return [];
  }
}

function serverSection(s: Server): Fields {
  const uptimeSec = Math.floor((s.now - s.startTime) / 1e6);
  return [
    ["redis_version", s.version === "7.0" ? "7.0.15" : "6.2.14"],
    ["redis_git_sha1", "00000000"],
    ["redis_git_dirty", 0],
    ["redis_build_id", "0"],
    ["redis_mode", "standalone"],
    ["os", "Redis Replication Playground (simulated)"],
    ["arch_bits", 64],
    ["monotonic_clock", "virtual"],
    ["multiplexing_api", "epoll"],
    ["atomicvar_api", "c11-builtin"],
    ["gcc_version", "0.0.0"],
    ["process_id", 1],
    ["process_supervised", "no"],
    ["run_id", s.runId],
    ["tcp_port", s.port],
    ["server_time_usec", s.epochMs * 1000 + s.now],
    ["uptime_in_seconds", uptimeSec],
    ["uptime_in_days", Math.floor(uptimeSec / 86400)],
    ["hz", s.configInt("hz")],
    ["configured_hz", s.configInt("hz")],
    ["lru_clock", s.unixTimeSec() & ((1 << 24) - 1)],
    ["executable", "/usr/bin/redis-server"],
    ["config_file", ""],
    ["io_threads_active", 0],
  ];
}

function clientsSection(s: Server): Fields {
  const waiting = [...s.clients.values()].filter((c) => c.blocked).length;
  // Clients held by the write pause count as blocked, without a timeout.
  const blocked = waiting + s.failover.postponed.length;
  return [
    ["connected_clients", [...s.clients.values()].filter((c) => c.flag !== "replica").length],
    ["cluster_connections", 0],
    ["maxclients", 10000],
    ["client_recent_max_input_buffer", 0],
    ["client_recent_max_output_buffer", 0],
    ["blocked_clients", blocked],
    ["tracking_clients", 0],
    ["clients_in_timeout_table", waiting],
  ];
}

function memorySection(s: Server): Fields {
  const backlogBytes = s.backlog ? s.backlog.blocks().reduce((n, b) => n + b.size, 0) : 0;
  return [
    ["mem_replication_backlog", backlogBytes],
    ["mem_total_replication_buffers", backlogBytes],
    ["mem_clients_slaves", 0],
  ];
}

function persistenceSection(): Fields {
  return [
    ["loading", 0],
    ["async_loading", 0],
    ["rdb_changes_since_last_save", 0],
    ["rdb_bgsave_in_progress", 0],
    ["aof_enabled", 0],
  ];
}

function statsSection(s: Server): Fields {
  const st = s.stats;
  return [
    ["total_connections_received", st.totalConnectionsReceived],
    ["total_commands_processed", st.totalCommandsProcessed],
    ["instantaneous_ops_per_sec", 0],
    ["total_net_input_bytes", st.netInputBytes],
    ["total_net_output_bytes", st.netOutputBytes],
    ["total_net_repl_input_bytes", st.netReplInputBytes],
    ["total_net_repl_output_bytes", st.netReplOutputBytes],
    ["instantaneous_input_kbps", "0.00"],
    ["instantaneous_output_kbps", "0.00"],
    ["instantaneous_input_repl_kbps", "0.00"],
    ["instantaneous_output_repl_kbps", "0.00"],
    ["rejected_connections", st.rejectedConnections],
    ["sync_full", st.syncFull],
    ["sync_partial_ok", st.syncPartialOk],
    ["sync_partial_err", st.syncPartialErr],
    ["expired_keys", st.expiredKeys],
    ["expired_stale_perc", "0.00"],
    ["expired_time_cap_reached_count", 0],
    ["evicted_keys", 0],
    ["keyspace_hits", 0],
    ["keyspace_misses", 0],
    ["latest_fork_usec", 0],
    ["total_forks", 0],
    ["total_error_replies", st.totalErrorReplies],
  ];
}

function replicationSection(s: Server): Fields {
  const f: Fields = [["role", s.isReplica ? "slave" : "master"]];
  const nowSec = s.unixTimeSec();
  if (s.isReplica) {
    const link = s.masterLink;
    const masterClient = link?.client ?? null;
    const cached = s.cachedMaster;
    f.push(["master_host", s.masterHost ?? ""]);
    f.push(["master_port", s.masterPort]);
    f.push(["master_link_status", s.replState === "connected" ? "up" : "down"]);
    f.push(["master_last_io_seconds_ago", masterClient && link ? nowSec - link.lastIoSec : -1]);
    f.push(["master_sync_in_progress", s.replState === "transfer" ? 1 : 0]);
    const readOff = masterClient && link ? link.readReplOff : cached ? cached.replOff : 1;
    const replOff = masterClient && link ? link.replOff : cached ? cached.replOff : 1;
    f.push(["slave_read_repl_offset", readOff]);
    f.push(["slave_repl_offset", replOff]);
    if (s.replState === "transfer" && link) {
      // Before the `$<len>` / `$EOF:` line arrives the size is still -1 (`repl_transfer_size`).
      const total = link.transfer?.size ?? -1;
      const read = link.transfer?.read ?? 0;
      f.push(["master_sync_total_bytes", total]);
      f.push(["master_sync_read_bytes", read]);
      f.push(["master_sync_left_bytes", total - read]);
      // As Redis computes it: with an EOF-marked transfer the size is -1, so this goes negative.
      f.push(["master_sync_perc", total !== 0 ? formatPercent((read / total) * 100) : "0.00"]);
      f.push(["master_sync_last_io_seconds_ago", nowSec - link.lastIoSec]);
    }
    if (s.replState !== "connected") {
      f.push([
        "master_link_down_since_seconds",
        s.replDownSinceSec ? nowSec - s.replDownSinceSec : -1,
      ]);
    }
    f.push(["slave_priority", s.configInt("replica-priority")]);
    f.push(["slave_read_only", s.configBool("replica-read-only") ? 1 : 0]);
    f.push(["replica_announced", s.configBool("replica-announced") ? 1 : 0]);
  }
  f.push(["connected_slaves", s.replicas.length]);
  if (s.configInt("min-replicas-to-write") && s.configInt("min-replicas-max-lag")) {
    f.push(["min_slaves_good_slaves", s.goodReplicas]);
  }
  let i = 0;
  for (const r of s.replicas) {
    const info = r.replica;
    if (!info) continue;
    const state =
      info.state === "online" ? "online" : info.state === "sendBulk" ? "send_bulk" : "wait_bgsave";
    const lag = info.state === "online" ? nowSec - info.ackTimeSec : 0;
    const [ip = r.peerIp] = replicaName(r).split(":");
    f.push([
      `slave${i}`,
      `ip=${ip},port=${info.listeningPort},state=${state},offset=${info.ackOffset},lag=${lag}`,
    ]);
    i++;
  }
  f.push(["master_failover_state", s.failover.state]);
  f.push(["master_replid", s.replId]);
  f.push(["master_replid2", s.replId2]);
  f.push(["master_repl_offset", s.masterReplOffset]);
  f.push(["second_repl_offset", s.secondReplOffset]);
  f.push(["repl_backlog_active", s.backlog ? 1 : 0]);
  f.push(["repl_backlog_size", s.configInt("repl-backlog-size")]);
  f.push(["repl_backlog_first_byte_offset", s.backlog ? s.backlog.firstByteOffset : 0]);
  f.push(["repl_backlog_histlen", s.backlog ? s.backlog.histlen : 0]);
  return f;
}

function keyspaceSection(s: Server): Fields {
  const f: Fields = [];
  const now = s.unixTimeMs();
  for (const db of s.keyspace.dbs) {
    if (db.size === 0) continue;
    let ttlSum = 0;
    let ttlCount = 0;
    for (const when of db.expires.values()) {
      if (when > now) {
        ttlSum += when - now;
        ttlCount++;
      }
    }
    const avg = ttlCount ? Math.floor(ttlSum / ttlCount) : 0;
    f.push([`db${db.id}`, `keys=${db.size},expires=${db.expires.size},avg_ttl=${avg}`]);
  }
  return f;
}

/** `%.2f`, which keeps the sign of a negative zero ("-0.00") as C's printf does. */
function formatPercent(value: number): string {
  const text = value.toFixed(2);
  return Object.is(value, -0) || (value < 0 && !text.startsWith("-")) ? `-${text}` : text;
}
