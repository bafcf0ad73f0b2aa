import type { ByteString } from "../bytes";
import { stringMatchLen } from "../commands/globPattern";
import type { ClientKey, ConnId, VirtualTime } from "../io";
import type { Reply } from "../reply";
import {
  NIL,
  NIL_ARRAY,
  OK,
  arityError,
  array,
  bulk,
  bulkArray,
  error,
  integer,
  unknownCommandError,
} from "../reply";
import type { RequestParser } from "../resp/parser";
import { string2ll } from "../resp/parser";
import { resetMaster, selectSlave, startFailover, voteLeader } from "./failover";
import { processHelloMessage } from "./hello";
import type { Instance } from "./instance";
import { HELLO_CHANNEL, currentMasterAddress } from "./instance";
import type { Sentinel } from "./sentinel";

/** A client of the Sentinel: another Sentinel, an application, or a console. */
export interface SentinelClient {
  readonly id: number;
  /** Local clients (consoles, script lines) have a key; network clients a connection. */
  readonly key: ClientKey | null;
  readonly conn: ConnId | null;
  readonly parser: RequestParser | null;
  readonly peerIp: string;
  readonly peerPort: number;
  name: string;
  /** SUBSCRIBE channels: event names such as `+switch-master`. */
  readonly channels: Set<ByteString>;
  readonly patterns: Set<ByteString>;
  readonly createdAtUs: VirtualTime;
  lastInteractionUs: VirtualTime;
}

type Handler = (s: Sentinel, c: SentinelClient, argv: readonly ByteString[]) => Reply | null;

interface CommandSpec {
  readonly arity: number;
  readonly run: Handler;
}

/** The commands a Sentinel answers (the `SENTINEL`-flagged part of the 7.0 command table). */
const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map<string, CommandSpec>([
  ["ping", { arity: -1, run: ping }],
  ["info", { arity: -1, run: (s, _c, argv) => bulk(genSentinelInfo(s, argv.slice(1))) }],
  ["role", { arity: 1, run: role }],
  ["sentinel", { arity: -2, run: sentinelCommand }],
  ["subscribe", { arity: -2, run: subscribe }],
  ["unsubscribe", { arity: -1, run: unsubscribe }],
  ["psubscribe", { arity: -2, run: psubscribe }],
  ["punsubscribe", { arity: -1, run: punsubscribe }],
  ["publish", { arity: 3, run: publish }],
  ["client", { arity: -2, run: clientCommand }],
]);

const PUBSUB_CONTEXT = new Set(["subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ping"]);

/** Runs one command from a client of the Sentinel and sends its reply. */
export function processSentinelCommand(
  s: Sentinel,
  client: SentinelClient,
  argv: readonly ByteString[],
): void {
  const name = (argv[0] ?? "").toLowerCase();
  const spec = COMMANDS.get(name);
  if (!spec) {
    s.reply(client, error(unknownCommandError(argv)));
    return;
  }
  if ((spec.arity > 0 && argv.length !== spec.arity) || argv.length < -spec.arity) {
    s.reply(client, error(arityError(name)));
    return;
  }
  if (inPubSubContext(client) && !PUBSUB_CONTEXT.has(name)) {
    s.reply(
      client,
      error(
        `ERR Can't execute '${name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
      ),
    );
    return;
  }
  s.totalCommandsProcessed++;
  const reply = spec.run(s, client, argv);
  if (reply !== null) s.reply(client, reply);
}

function inPubSubContext(c: SentinelClient): boolean {
  return c.channels.size + c.patterns.size > 0;
}

function ping(_s: Sentinel, c: SentinelClient, argv: readonly ByteString[]): Reply {
  // In the RESP2 Pub/Sub context PING answers with a push-like array.
  if (inPubSubContext(c)) return bulkArray(["pong", argv[1] ?? ""]);
  return argv.length > 1 ? bulk(argv[1] ?? "") : { type: "simple", value: "PONG" };
}

/** `sentinelRoleCommand`: `sentinel` and the monitored group names. */
function role(s: Sentinel): Reply {
  return array([bulk("sentinel"), bulkArray([...s.masters.keys()])]);
}

/** `sentinelPublishCommand`: only hello messages, which are processed, not published. */
function publish(s: Sentinel, _c: SentinelClient, argv: readonly ByteString[]): Reply {
  if (argv[1] !== HELLO_CHANNEL) {
    return error("ERR Only HELLO messages are accepted by Sentinel instances.");
  }
  processHelloMessage(s, argv[2] ?? "");
  return integer(1);
}

function subscribe(s: Sentinel, c: SentinelClient, argv: readonly ByteString[]): null {
  for (const channel of argv.slice(1)) {
    c.channels.add(channel);
    s.reply(
      c,
      array([bulk("subscribe"), bulk(channel), integer(c.channels.size + c.patterns.size)]),
    );
  }
  return null;
}

function psubscribe(s: Sentinel, c: SentinelClient, argv: readonly ByteString[]): null {
  for (const pattern of argv.slice(1)) {
    c.patterns.add(pattern);
    s.reply(
      c,
      array([bulk("psubscribe"), bulk(pattern), integer(c.channels.size + c.patterns.size)]),
    );
  }
  return null;
}

function unsubscribe(s: Sentinel, c: SentinelClient, argv: readonly ByteString[]): Reply | null {
  return leave(s, c, "unsubscribe", c.channels, argv.slice(1));
}

function punsubscribe(s: Sentinel, c: SentinelClient, argv: readonly ByteString[]): Reply | null {
  return leave(s, c, "punsubscribe", c.patterns, argv.slice(1));
}

function leave(
  s: Sentinel,
  c: SentinelClient,
  kind: string,
  set: Set<ByteString>,
  names: readonly ByteString[],
): Reply | null {
  const which = names.length > 0 ? names : [...set];
  if (which.length === 0) {
    return array([bulk(kind), bulk(null), integer(c.channels.size + c.patterns.size)]);
  }
  for (const name of which) {
    set.delete(name);
    s.reply(c, array([bulk(kind), bulk(name), integer(c.channels.size + c.patterns.size)]));
  }
  return null;
}

function clientCommand(s: Sentinel, c: SentinelClient, argv: readonly ByteString[]): Reply {
  const sub = (argv[1] ?? "").toLowerCase();
  if (sub === "setname" && argv.length === 3) {
    const name = argv[2] ?? "";
    for (let i = 0; i < name.length; i++) {
      const code = name.charCodeAt(i);
      if (code < 33 || code > 126) {
        return error("ERR Client names cannot contain spaces, newlines or special characters.");
      }
    }
    c.name = name;
    return OK;
  }
  if (sub === "getname" && argv.length === 2) return c.name ? bulk(c.name) : NIL;
  if (sub === "id" && argv.length === 2) return integer(c.id);
  if (sub === "list" && argv.length === 2) {
    const lines = [...s.clients.values()].map((x) => {
      const age = Math.floor((s.now - x.createdAtUs) / 1e6);
      const idle = Math.floor((s.now - x.lastInteractionUs) / 1e6);
      const flags = x.channels.size + x.patterns.size > 0 ? "P" : "N";
      return `id=${x.id} addr=${x.peerIp}:${x.peerPort} laddr=${s.ip}:${s.port} name=${x.name} age=${age} idle=${idle} flags=${flags} sub=${x.channels.size} psub=${x.patterns.size}\n`;
    });
    return bulk(lines.join(""));
  }
  if (["setname", "getname", "id", "list"].includes(sub)) {
    return error(arityError(`client|${sub}`));
  }
  return error(`ERR unknown subcommand '${argv[1] ?? ""}'. Try CLIENT HELP.`);
}

// ---- SENTINEL <subcommand> -------------------------------------------------------

/** Subcommand arities of the 7.0 command table. */
const SENTINEL_ARITY: ReadonlyMap<string, number> = new Map([
  ["masters", 2],
  ["master", 3],
  ["replicas", 3],
  ["slaves", 3],
  ["sentinels", 3],
  ["myid", 2],
  ["is-master-down-by-addr", 6],
  ["reset", 3],
  ["get-master-addr-by-name", 3],
  ["failover", 3],
  ["ckquorum", 3],
  ["info-cache", -3],
]);

/** Subcommands that exist in Redis but change configuration the playground does not model. */
const NOT_MODELLED = new Set([
  "monitor",
  "remove",
  "set",
  "config",
  "debug",
  "flushconfig",
  "simulate-failure",
  "pending-scripts",
  "help",
]);

function sentinelCommand(s: Sentinel, _c: SentinelClient, argv: readonly ByteString[]): Reply {
  const sub = (argv[1] ?? "").toLowerCase();
  const arity = SENTINEL_ARITY.get(sub);
  if (arity === undefined) {
    if (NOT_MODELLED.has(sub)) {
      return error(`ERR SENTINEL ${sub.toUpperCase()} is not modelled by the playground`);
    }
    return error(`ERR unknown subcommand '${argv[1] ?? ""}'. Try SENTINEL HELP.`);
  }
  if ((arity > 0 && argv.length !== arity) || argv.length < -arity) {
    return error(arityError(`sentinel|${sub}`));
  }
  const name = argv[2] ?? "";
  switch (sub) {
    case "masters":
      return instancesReply(s, s.masters);
    case "master": {
      const ri = s.masters.get(name);
      return ri ? instanceReply(s, ri) : noSuchMaster();
    }
    case "replicas":
    case "slaves": {
      const ri = s.masters.get(name);
      return ri ? instancesReply(s, ri.slaves) : noSuchMaster();
    }
    case "sentinels": {
      const ri = s.masters.get(name);
      return ri ? instancesReply(s, ri.sentinels) : noSuchMaster();
    }
    case "myid":
      return bulk(s.myId);
    case "is-master-down-by-addr":
      return isMasterDownByAddr(s, argv);
    case "reset": {
      let reset = 0;
      for (const ri of [...s.masters.values()]) {
        if (!stringMatchLen(name, ri.name)) continue;
        resetMaster(s, ri, { keepSentinels: false, generateEvent: true });
        reset++;
      }
      return integer(reset);
    }
    case "get-master-addr-by-name": {
      const ri = s.masters.get(name);
      if (!ri) return NIL_ARRAY;
      const addr = currentMasterAddress(ri);
      return bulkArray([addr.ip, String(addr.port)]);
    }
    case "failover": {
      const ri = s.masters.get(name);
      if (!ri) return noSuchMaster();
      if (ri.failoverInProgress) return error("INPROG Failover already in progress");
      if (!selectSlave(s, ri)) return error("NOGOODSLAVE No suitable replica to promote");
      s.log(`Executing user requested FAILOVER of '${ri.name}'`, "warning");
      startFailover(s, ri);
      ri.forceFailover = true;
      return OK;
    }
    case "ckquorum": {
      const ri = s.masters.get(name);
      return ri ? ckquorum(ri) : noSuchMaster();
    }
    case "info-cache":
      return infoCache(s, argv.slice(2));
  }
  return error(`ERR unknown subcommand '${argv[1] ?? ""}'. Try SENTINEL HELP.`);
}

function noSuchMaster(): Reply {
  return error("ERR No such master with that name");
}

/**
 * SENTINEL IS-MASTER-DOWN-BY-ADDR ip port current-epoch runid: whether this
 * Sentinel sees that master SDOWN, and (unless runid is `*`) its vote.
 */
function isMasterDownByAddr(s: Sentinel, argv: readonly ByteString[]): Reply {
  const port = string2ll(argv[3] ?? "");
  const reqEpoch = string2ll(argv[4] ?? "");
  if (port === undefined || reqEpoch === undefined) {
    return error("ERR value is not an integer or out of range");
  }
  const ri = s.findByAddrAndRunId(s.masters, argv[2] ?? "", port, null);
  const isDown = !s.tilt && ri !== undefined && ri.sDown && ri.kind === "master";
  let leader: string | null = null;
  let leaderEpoch = 0;
  const runId = argv[5] ?? "";
  if (ri && ri.kind === "master" && runId !== "*") {
    const vote = voteLeader(s, ri, reqEpoch, runId);
    leader = vote.leader;
    leaderEpoch = vote.leaderEpoch;
  }
  return array([integer(isDown ? 1 : 0), bulk(leader ?? "*"), integer(leaderEpoch)]);
}

/** `sentinelIsQuorumReachable` as SENTINEL CKQUORUM words it. */
function ckquorum(master: Instance): Reply {
  const voters = master.sentinels.size + 1;
  let usable = 1;
  for (const ri of master.sentinels.values()) if (!ri.sDown && !ri.oDown) usable++;
  const noQuorum = usable < master.quorum;
  const noAuth = usable < Math.floor(voters / 2) + 1;
  if (!noQuorum && !noAuth) {
    return {
      type: "simple",
      value: `OK ${usable} usable Sentinels. Quorum and failover authorization can be reached`,
    };
  }
  let text = `NOQUORUM ${usable} usable Sentinels. `;
  if (noQuorum)
    text += "Not enough available Sentinels to reach the specified quorum for this master";
  if (noAuth) {
    if (noQuorum) text += ". ";
    text += "Not enough available Sentinels to reach the majority and authorize a failover";
  }
  return error(text);
}

function infoCache(s: Sentinel, names: readonly ByteString[]): Reply {
  const now = s.ms();
  const masters =
    names.length === 0
      ? [...s.masters.values()]
      : names.flatMap((n) => {
          const ri = s.masters.get(n);
          return ri ? [ri] : [];
        });
  const entry = (ri: Instance, ageMs: number): Reply =>
    array([integer(ageMs), ri.info === null ? NIL : bulk(ri.info)]);
  const out: Reply[] = [];
  for (const ri of new Set(masters)) {
    // As Redis does, a replica's age is 0 while the master has no INFO yet.
    const age = (r: Instance): number => (ri.infoRefreshMs ? now - r.infoRefreshMs : 0);
    out.push(bulk(ri.name));
    out.push(array([entry(ri, age(ri)), ...[...ri.slaves.values()].map((r) => entry(r, age(r)))]));
  }
  return array(out);
}

/** `addReplyDictOfRedisInstances`: replicas with replica-announced no are left out. */
function instancesReply(s: Sentinel, instances: ReadonlyMap<string, Instance>): Reply {
  const out: Reply[] = [];
  for (const ri of instances.values()) {
    if (ri.kind === "slave" && !ri.replicaAnnounced) continue;
    out.push(instanceReply(s, ri));
  }
  return array(out);
}

/** `addReplySentinelRedisInstance`: one instance as a flat field/value array (a RESP2 map). */
export function instanceReply(s: Sentinel, ri: Instance): Reply {
  return bulkArray(instanceFields(s, ri).flat());
}

/** The fields of SENTINEL MASTER / REPLICAS / SENTINELS, in Redis's order. */
export function instanceFields(s: Sentinel, ri: Instance): [string, string][] {
  const now = s.ms();
  const f: [string, string][] = [
    ["name", ri.name],
    ["ip", ri.addr.ip],
    ["port", String(ri.addr.port)],
    ["runid", ri.runId ?? ""],
    ["flags", instanceFlags(ri)],
    ["link-pending-commands", String(ri.link.pendingCommands)],
    ["link-refcount", String(ri.link.refcount)],
  ];
  if (ri.failoverInProgress) f.push(["failover-state", ri.failoverState]);
  f.push(["last-ping-sent", String(ri.link.actPingTimeMs ? now - ri.link.actPingTimeMs : 0)]);
  f.push(["last-ok-ping-reply", String(now - ri.link.lastAvailTimeMs)]);
  f.push(["last-ping-reply", String(now - ri.link.lastPongTimeMs)]);
  if (ri.sDown) f.push(["s-down-time", String(now - ri.sDownSinceMs)]);
  if (ri.oDown) f.push(["o-down-time", String(now - ri.oDownSinceMs)]);
  f.push(["down-after-milliseconds", String(ri.downAfterMs)]);
  if (ri.kind !== "sentinel") {
    f.push(["info-refresh", String(ri.infoRefreshMs ? now - ri.infoRefreshMs : 0)]);
    f.push(["role-reported", ri.roleReported]);
    f.push(["role-reported-time", String(now - ri.roleReportedTimeMs)]);
  }
  if (ri.kind === "master") {
    f.push(["config-epoch", String(ri.configEpoch)]);
    f.push(["num-slaves", String(ri.slaves.size)]);
    f.push(["num-other-sentinels", String(ri.sentinels.size)]);
    f.push(["quorum", String(ri.quorum)]);
    f.push(["failover-timeout", String(ri.failoverTimeoutMs)]);
    f.push(["parallel-syncs", String(ri.parallelSyncs)]);
  }
  if (ri.kind === "slave") {
    f.push(["master-link-down-time", String(ri.masterLinkDownTimeMs)]);
    f.push(["master-link-status", ri.slaveMasterLinkStatus === "up" ? "ok" : "err"]);
    f.push(["master-host", ri.slaveMasterHost ?? "?"]);
    f.push(["master-port", String(ri.slaveMasterPort)]);
    f.push(["slave-priority", String(ri.slavePriority)]);
    f.push(["slave-repl-offset", String(ri.slaveReplOffset)]);
    f.push(["replica-announced", ri.replicaAnnounced ? "1" : "0"]);
  }
  if (ri.kind === "sentinel") {
    f.push(["last-hello-message", String(now - ri.lastHelloTimeMs)]);
    f.push(["voted-leader", ri.leader ?? "?"]);
    f.push(["voted-leader-epoch", String(ri.leaderEpoch)]);
  }
  return f;
}

/** The `flags` field: `s_down,master,disconnected,…`. */
export function instanceFlags(ri: Instance): string {
  const flags: string[] = [];
  if (ri.sDown) flags.push("s_down");
  if (ri.oDown) flags.push("o_down");
  flags.push(ri.kind);
  if (ri.link.disconnected) flags.push("disconnected");
  if (ri.masterDown) flags.push("master_down");
  if (ri.failoverInProgress) flags.push("failover_in_progress");
  if (ri.promoted) flags.push("promoted");
  if (ri.reconf === "sent") flags.push("reconf_sent");
  if (ri.reconf === "inprog") flags.push("reconf_inprog");
  if (ri.reconf === "done") flags.push("reconf_done");
  if (ri.forceFailover) flags.push("force_failover");
  if (ri.scriptKillSent) flags.push("script_kill_sent");
  return flags.join(",");
}

// ---- INFO ---------------------------------------------------------------------------------

const SECTIONS = ["server", "clients", "cpu", "stats", "sentinel"] as const;
const TITLES: Readonly<Record<(typeof SECTIONS)[number], string>> = {
  server: "Server",
  clients: "Clients",
  cpu: "CPU",
  stats: "Stats",
  sentinel: "Sentinel",
};

/** `sentinelInfoCommand`: the sections a Sentinel has (all of them by default). */
export function genSentinelInfo(s: Sentinel, args: readonly ByteString[]): string {
  const names = args.map((a) => a.toLowerCase());
  const all =
    names.length === 0 || names.some((n) => n === "default" || n === "all" || n === "everything");
  const parts: string[] = [];
  for (const section of SECTIONS) {
    if (!all && !names.includes(section)) continue;
    let text = `# ${TITLES[section]}\r\n`;
    for (const [k, v] of sectionFields(s, section)) text += `${k}:${v}\r\n`;
    parts.push(text);
  }
  return parts.join("\r\n");
}

function sectionFields(
  s: Sentinel,
  section: (typeof SECTIONS)[number],
): [string, string | number][] {
  switch (section) {
    case "server": {
      const uptimeSec = Math.floor((s.now - s.startTime) / 1e6);
      return [
        ["redis_version", "7.0.15"],
        ["redis_git_sha1", "00000000"],
        ["redis_git_dirty", 0],
        ["redis_build_id", "0"],
        ["redis_mode", "sentinel"],
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
        ["hz", s.hz],
        ["configured_hz", 10],
        ["lru_clock", Math.floor(s.ms() / 1000) & ((1 << 24) - 1)],
        ["executable", "/usr/bin/redis-sentinel"],
        ["config_file", "/etc/redis/sentinel.conf"],
        ["io_threads_active", 0],
      ];
    }
    case "clients":
      return [
        ["connected_clients", s.clients.size],
        ["cluster_connections", 0],
        ["maxclients", 10000],
        ["client_recent_max_input_buffer", 0],
        ["client_recent_max_output_buffer", 0],
        ["blocked_clients", 0],
        ["tracking_clients", 0],
        ["clients_in_timeout_table", 0],
      ];
    case "cpu":
      return [
        ["used_cpu_sys", "0.000000"],
        ["used_cpu_user", "0.000000"],
        ["used_cpu_sys_children", "0.000000"],
        ["used_cpu_user_children", "0.000000"],
      ];
    case "stats":
      return [
        ["total_connections_received", s.totalConnectionsReceived],
        ["total_commands_processed", s.totalCommandsProcessed],
        ["instantaneous_ops_per_sec", 0],
        ["rejected_connections", 0],
        ["pubsub_channels", new Set([...s.clients.values()].flatMap((c) => [...c.channels])).size],
        ["pubsub_patterns", [...s.clients.values()].reduce((n, c) => n + c.patterns.size, 0)],
      ];
    case "sentinel": {
      const f: [string, string | number][] = [
        ["sentinel_masters", s.masters.size],
        ["sentinel_tilt", s.tilt ? 1 : 0],
        [
          "sentinel_tilt_since_seconds",
          s.tilt ? Math.floor((s.ms() - s.tiltStartTimeMs) / 1000) : -1,
        ],
        ["sentinel_running_scripts", 0],
        ["sentinel_scripts_queue_length", 0],
        ["sentinel_simulate_failure_flags", 0],
      ];
      let i = 0;
      for (const ri of s.masters.values()) {
        const status = ri.oDown ? "odown" : ri.sDown ? "sdown" : "ok";
        f.push([
          `master${i++}`,
          `name=${ri.name},status=${status},address=${ri.addr.ip}:${ri.addr.port},slaves=${ri.slaves.size},sentinels=${ri.sentinels.size + 1}`,
        ]);
      }
      return f;
    }
  }
}
