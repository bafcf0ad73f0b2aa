import type { AsyncConn } from "./asyncConn";

/**
 * What a Sentinel knows about one monitored process (`sentinelRedisInstance`
 * in sentinel.c): a master, one of its replicas, or another Sentinel watching
 * it. One shape for the three kinds, as in Redis, so the checks that apply to
 * every kind (PING, SDOWN) are written once.
 */

/** `REDIS_SENTINEL_PORT`. */
export const SENTINEL_PORT = 26379;
export const HELLO_CHANNEL = "__sentinel__:hello";

// The timing constants of sentinel.c 7.0, in milliseconds.
export const PING_PERIOD_MS = 1000;
export const INFO_PERIOD_MS = 10_000;
export const ASK_PERIOD_MS = 1000;
export const PUBLISH_PERIOD_MS = 2000;
export const DEFAULT_DOWN_AFTER_MS = 30_000;
export const TILT_TRIGGER_MS = 2000;
export const TILT_PERIOD_MS = PING_PERIOD_MS * 30;
export const SLAVE_RECONF_TIMEOUT_MS = 10_000;
export const MIN_LINK_RECONNECT_PERIOD_MS = 15_000;
export const ELECTION_TIMEOUT_MS = 10_000;
export const DEFAULT_FAILOVER_TIMEOUT_MS = 180_000;
export const DEFAULT_SLAVE_PRIORITY = 100;
export const DEFAULT_PARALLEL_SYNCS = 1;
/** `SENTINEL_MAX_PENDING_COMMANDS`: PING/INFO/PUBLISH stop while a link has this many unanswered. */
export const MAX_PENDING_COMMANDS = 100;
/** `SENTINEL_MAX_DESYNC`: the random part of a failover start time. */
export const MAX_DESYNC_MS = 1000;

export type InstanceKind = "master" | "slave" | "sentinel";

/** The failover state machine of a master (`SENTINEL_FAILOVER_STATE_*`), as SENTINEL MASTER names them. */
export type FailoverState =
  | "none" // no failover in progress
  | "wait_start" // elected? waiting for the votes
  | "select_slave" // leader: choose the replica to promote
  | "send_slaveof_noone" // leader: send SLAVEOF NO ONE to it
  | "wait_promotion" // leader: wait for its INFO to say role:master
  | "reconf_slaves" // leader: SLAVEOF <new master> to the other replicas
  | "update_config"; // done: switch the master entry to the promoted replica

const FAILOVER_STATE_ORDER: Readonly<Record<FailoverState, number>> = {
  none: 0,
  wait_start: 1,
  select_slave: 2,
  send_slaveof_noone: 3,
  wait_promotion: 4,
  reconf_slaves: 5,
  update_config: 6,
};

/** `failover_state >= other`, as sentinel.c compares the numeric states. */
export function failoverStateAtLeast(state: FailoverState, other: FailoverState): boolean {
  return FAILOVER_STATE_ORDER[state] >= FAILOVER_STATE_ORDER[other];
}

/** Where a replica is in its reconfiguration during a failover (`SRI_RECONF_*`). */
export type ReconfState =
  | "none"
  | "sent" // SLAVEOF <new master> sent
  | "inprog" // its INFO names the new master
  | "done"; // its link to the new master is up

/** An address as configured (`hostname`) and resolved (`ip`). */
export interface SentinelAddr {
  readonly hostname: string;
  /** Always an IP address; empty when it could not be resolved. */
  readonly ip: string;
  readonly port: number;
}

/**
 * The two connections to an instance and the times that drive failure
 * detection (`instanceLink`). Links to other Sentinels are shared between the
 * masters they watch together, hence the refcount.
 */
export interface InstanceLink {
  refcount: number;
  /** Set while either connection is missing (only the command one for a Sentinel). */
  disconnected: boolean;
  /** Commands sent and not answered yet. */
  pendingCommands: number;
  /** The command connection. */
  cc: AsyncConn | null;
  /** The Pub/Sub connection (masters and replicas only). */
  pc: AsyncConn | null;
  ccConnTimeMs: number;
  pcConnTimeMs: number;
  pcLastActivityMs: number;
  /** Last acceptable PING reply (+PONG, -LOADING, -MASTERDOWN). */
  lastAvailTimeMs: number;
  /** When the oldest unanswered PING was sent; 0 when every PING got its PONG. */
  actPingTimeMs: number;
  lastPingTimeMs: number;
  /** Last PING reply of any kind. */
  lastPongTimeMs: number;
  lastReconnTimeMs: number;
}

export function createInstanceLink(nowMs: number): InstanceLink {
  return {
    refcount: 1,
    disconnected: true,
    pendingCommands: 0,
    cc: null,
    pc: null,
    ccConnTimeMs: 0,
    pcConnTimeMs: 0,
    pcLastActivityMs: 0,
    // "now" although nothing was sent: so an instance we can never reach times out.
    actPingTimeMs: nowMs,
    lastPingTimeMs: 0,
    lastAvailTimeMs: nowMs,
    lastPongTimeMs: nowMs,
    lastReconnTimeMs: 0,
  };
}

/** One monitored master, replica or Sentinel. Field names follow `sentinelRedisInstance`. */
export class Instance {
  readonly kind: InstanceKind;
  /** The group name for a master, `ip:port` for a replica, the run id for a Sentinel. */
  readonly name: string;
  runId: string | null = null;
  configEpoch = 0;
  addr: SentinelAddr;
  link: InstanceLink;
  /** The master of a replica or Sentinel entry; null for a master. */
  readonly master: Instance | null;

  // Flags (`SRI_*`), one boolean each.
  /** `SRI_S_DOWN`: subjectively down. */
  sDown = false;
  /** `SRI_O_DOWN`: objectively down (masters only). */
  oDown = false;
  /** `SRI_MASTER_DOWN`: this other Sentinel said the master is down. */
  masterDown = false;
  failoverInProgress = false;
  /** `SRI_PROMOTED`: the replica chosen for promotion. */
  promoted = false;
  reconf: ReconfState = "none";
  /** `SRI_FORCE_FAILOVER`: SENTINEL FAILOVER, no election needed. */
  forceFailover = false;
  /** `SRI_SCRIPT_KILL_SENT`: SCRIPT KILL sent to an SDOWN instance answering -BUSY. */
  scriptKillSent = false;

  lastPubTimeMs: number;
  lastHelloTimeMs: number;
  lastMasterDownReplyTimeMs: number;
  sDownSinceMs = 0;
  oDownSinceMs = 0;
  downAfterMs: number;
  /** When the last INFO reply arrived; 0 before the first. */
  infoRefreshMs = 0;
  /** The last INFO reply, for SENTINEL INFO-CACHE. */
  info: string | null = null;

  roleReported: "master" | "slave";
  roleReportedTimeMs: number;
  /** Last time a replica's master address, as its INFO reports it, changed. */
  slaveConfChangeTimeMs: number;

  // Master only.
  sentinels = new Map<string, Instance>();
  slaves = new Map<string, Instance>();
  quorum: number;
  parallelSyncs = 1;

  // Replica only, from its INFO.
  masterLinkDownTimeMs = 0;
  slavePriority = 100;
  replicaAnnounced = true;
  slaveReconfSentTimeMs = 0;
  slaveMasterHost: string | null = null;
  slaveMasterPort = 0;
  slaveMasterLinkStatus: "up" | "down" = "down";
  slaveReplOffset = 0;

  // Failover. For a master: the leader this Sentinel voted for; for a Sentinel entry: its vote.
  leader: string | null = null;
  leaderEpoch = 0;
  failoverEpoch = 0;
  failoverState: FailoverState = "none";
  failoverStateChangeTimeMs = 0;
  failoverStartTimeMs = 0;
  failoverTimeoutMs: number;
  failoverDelayLoggedMs = 0;
  promotedSlave: Instance | null = null;

  constructor(
    kind: InstanceKind,
    name: string,
    addr: SentinelAddr,
    quorum: number,
    master: Instance | null,
    nowMs: number,
  ) {
    this.kind = kind;
    this.name = name;
    this.addr = addr;
    this.quorum = quorum;
    this.master = master;
    this.link = createInstanceLink(nowMs);
    this.lastPubTimeMs = nowMs;
    this.lastHelloTimeMs = nowMs;
    this.lastMasterDownReplyTimeMs = nowMs;
    this.downAfterMs = master ? master.downAfterMs : DEFAULT_DOWN_AFTER_MS;
    this.failoverTimeoutMs = DEFAULT_FAILOVER_TIMEOUT_MS;
    this.slavePriority = DEFAULT_SLAVE_PRIORITY;
    this.parallelSyncs = DEFAULT_PARALLEL_SYNCS;
    this.roleReported = kind === "slave" ? "slave" : "master";
    this.roleReportedTimeMs = nowMs;
    this.slaveConfChangeTimeMs = nowMs;
  }

  /** `ri->flags &= SRI_MASTER`: every runtime flag cleared. */
  clearFlags(): void {
    this.sDown = false;
    this.oDown = false;
    this.masterDown = false;
    this.failoverInProgress = false;
    this.promoted = false;
    this.reconf = "none";
    this.forceFailover = false;
    this.scriptKillSent = false;
  }

  /** The master this entry belongs to (itself for a master). */
  get group(): Instance {
    return this.master ?? this;
  }
}

/** `sentinelRedisInstanceNoDownFor`: no SDOWN or ODOWN began in the last `ms`. */
export function noDownFor(ri: Instance, nowMs: number, ms: number): boolean {
  const mostRecent = Math.max(ri.sDownSinceMs, ri.oDownSinceMs);
  return mostRecent === 0 || nowMs - mostRecent > ms;
}

/** `sentinelGetCurrentMasterAddress`: the promoted replica once it acknowledged its promotion. */
export function currentMasterAddress(master: Instance): SentinelAddr {
  if (
    master.failoverInProgress &&
    master.promotedSlave &&
    failoverStateAtLeast(master.failoverState, "reconf_slaves")
  ) {
    return master.promotedSlave.addr;
  }
  return master.addr;
}

/** `announceSentinelAddrAndPort` (hostnames are never announced): the name of a replica entry. */
export function addrName(addr: SentinelAddr): string {
  return addr.ip.includes(":") ? `[${addr.ip}]:${addr.port}` : `${addr.ip}:${addr.port}`;
}

/** `sentinelAddrIsEqual`. */
export function addrIsEqual(a: SentinelAddr, b: SentinelAddr): boolean {
  return a.port === b.port && a.ip.toLowerCase() === b.ip.toLowerCase();
}

/** `sentinelAddrOrHostnameEqual`. */
export function addrOrHostnameEqual(a: SentinelAddr, b: SentinelAddr): boolean {
  return (
    a.port === b.port && (a.ip === b.ip || a.hostname.toLowerCase() === b.hostname.toLowerCase())
  );
}
