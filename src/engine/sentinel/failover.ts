import type { Reply } from "../reply";
import type { AsyncConn } from "./asyncConn";
import { discardReply } from "./asyncConn";
import type { Instance, SentinelAddr } from "./instance";
import {
  ASK_PERIOD_MS,
  ELECTION_TIMEOUT_MS,
  INFO_PERIOD_MS,
  MAX_DESYNC_MS,
  MIN_LINK_RECONNECT_PERIOD_MS,
  PING_PERIOD_MS,
  PUBLISH_PERIOD_MS,
  SLAVE_RECONF_TIMEOUT_MS,
  addrIsEqual,
} from "./instance";
import type { Sentinel } from "./sentinel";

/**
 * Failure detection and the failover itself, as sentinel.c 7.0 does them:
 * SDOWN, ODOWN, the leader election, replica selection and the state machine
 * the leader walks through. Every function takes the Sentinel first, as
 * Redis's take the global `sentinel` state.
 */

// ---- SDOWN and ODOWN -------------------------------------------------------

/**
 * `sentinelCheckSubjectivelyDown`: no acceptable PING reply for longer than
 * down-after (or a master reporting role:slave for too long) is SDOWN. Also
 * drops a command link whose PING is overdue, or a Pub/Sub link that went
 * quiet, so they get reconnected.
 */
export function checkSubjectivelyDown(s: Sentinel, ri: Instance): void {
  const now = s.ms();
  const link = ri.link;
  let elapsed = 0;
  if (link.actPingTimeMs) elapsed = now - link.actPingTimeMs;
  else if (link.disconnected) elapsed = now - link.lastAvailTimeMs;

  if (
    link.cc &&
    now - link.ccConnTimeMs > MIN_LINK_RECONNECT_PERIOD_MS &&
    link.actPingTimeMs !== 0 &&
    now - link.actPingTimeMs > ri.downAfterMs / 2 &&
    now - link.lastPongTimeMs > ri.downAfterMs / 2
  ) {
    s.closeLinkConnection(link, link.cc);
  }
  if (
    link.pc &&
    now - link.pcConnTimeMs > MIN_LINK_RECONNECT_PERIOD_MS &&
    now - link.pcLastActivityMs > PUBLISH_PERIOD_MS * 3
  ) {
    s.closeLinkConnection(link, link.pc);
  }

  if (
    elapsed > ri.downAfterMs ||
    (ri.kind === "master" &&
      ri.roleReported === "slave" &&
      now - ri.roleReportedTimeMs > ri.downAfterMs + INFO_PERIOD_MS * 2)
  ) {
    if (!ri.sDown) {
      s.event("warning", "+sdown", ri);
      ri.sDownSinceMs = now;
      ri.sDown = true;
    }
  } else if (ri.sDown) {
    s.event("warning", "-sdown", ri);
    ri.sDown = false;
    ri.scriptKillSent = false;
  }
}

/**
 * `sentinelCheckObjectivelyDown`: SDOWN here plus the other Sentinels whose
 * last is-master-down-by-addr reply said down, against the quorum.
 */
export function checkObjectivelyDown(s: Sentinel, master: Instance): void {
  let quorum = 0;
  let odown = false;
  if (master.sDown) {
    quorum = 1;
    for (const ri of master.sentinels.values()) if (ri.masterDown) quorum++;
    if (quorum >= master.quorum) odown = true;
  }
  if (odown) {
    if (!master.oDown) {
      s.event("warning", "+odown", master, ` #quorum ${quorum}/${master.quorum}`);
      master.oDown = true;
      master.oDownSinceMs = s.ms();
    }
  } else if (master.oDown) {
    s.event("warning", "-odown", master);
    master.oDown = false;
  }
}

/** `sentinelReceiveIsMasterDownReply`: `[down, leader runid or *, leader epoch]`. */
function receiveIsMasterDownReply(
  s: Sentinel,
  ri: Instance,
  c: AsyncConn,
  reply: Reply | null,
): void {
  const link = c.data;
  if (!reply || !link) return;
  link.pendingCommands--;
  if (reply.type !== "array" || reply.value?.length !== 3) return;
  const [down, leader, epoch] = reply.value;
  if (
    down?.type !== "integer" ||
    leader?.type !== "bulk" ||
    leader.value === null ||
    epoch?.type !== "integer"
  ) {
    return;
  }
  ri.lastMasterDownReplyTimeMs = s.ms();
  ri.masterDown = down.value === 1;
  if (leader.value !== "*") {
    // A vote.
    if (ri.leaderEpoch !== epoch.value) {
      s.log(`${ri.name} voted for ${leader.value} ${epoch.value}`, "warning");
    }
    ri.leader = leader.value;
    ri.leaderEpoch = epoch.value;
  }
}

/**
 * `sentinelAskMasterStateToOtherSentinels`: while the master looks down,
 * ask every connected Sentinel once a second (at once with `forced`), asking
 * for its vote too when a failover is under way. Answers older than 5 s are
 * forgotten.
 */
export function askMasterStateToOtherSentinels(
  s: Sentinel,
  master: Instance,
  forced: boolean,
): void {
  for (const ri of master.sentinels.values()) {
    const now = s.ms();
    const elapsed = now - ri.lastMasterDownReplyTimeMs;
    if (elapsed > ASK_PERIOD_MS * 5) {
      ri.masterDown = false;
      ri.leader = null;
    }
    if (!master.sDown) continue;
    const cc = ri.link.cc;
    if (ri.link.disconnected || !cc) continue;
    if (!forced && now - ri.lastMasterDownReplyTimeMs < ASK_PERIOD_MS) continue;
    s.asyncCommand(
      cc,
      [
        "SENTINEL",
        "is-master-down-by-addr",
        master.addr.ip,
        String(master.addr.port),
        String(s.currentEpoch),
        master.failoverState !== "none" ? s.myId : "*",
      ],
      ri,
      (conn, reply) => receiveIsMasterDownReply(s, ri, conn, reply),
    );
    ri.link.pendingCommands++;
  }
}

// ---- the election ------------------------------------------------------------

/**
 * `sentinelVoteLeader`: vote for `reqRunId` unless this Sentinel already
 * voted in `reqEpoch` (or later); returns the vote it holds. Voting for
 * another Sentinel pushes this one's own failover attempt back.
 */
export function voteLeader(
  s: Sentinel,
  master: Instance,
  reqEpoch: number,
  reqRunId: string,
): { readonly leader: string | null; readonly leaderEpoch: number } {
  if (reqEpoch > s.currentEpoch) {
    s.currentEpoch = reqEpoch;
    s.event("warning", "+new-epoch", null, String(s.currentEpoch));
  }
  if (master.leaderEpoch < reqEpoch && s.currentEpoch <= reqEpoch) {
    master.leader = reqRunId;
    master.leaderEpoch = s.currentEpoch;
    s.event("warning", "+vote-for-leader", null, `${master.leader} ${master.leaderEpoch}`);
    if (master.leader.toLowerCase() !== s.myId.toLowerCase()) {
      master.failoverStartTimeMs = s.ms() + s.random.int(MAX_DESYNC_MS);
    }
  }
  return { leader: master.leader, leaderEpoch: master.leaderEpoch };
}

/**
 * `sentinelGetLeader`: the Sentinel with the most votes in `epoch` (this one
 * voting for the front-runner, or for itself), if it has both a majority of
 * the Sentinels known for the master (plus this one) and the quorum.
 */
export function getLeader(s: Sentinel, master: Instance, epoch: number): string | null {
  const counters = new Map<string, number>();
  const incr = (runId: string): number => {
    const votes = (counters.get(runId) ?? 0) + 1;
    counters.set(runId, votes);
    return votes;
  };
  const voters = master.sentinels.size + 1;
  for (const ri of master.sentinels.values()) {
    if (ri.leader !== null && ri.leaderEpoch === s.currentEpoch) incr(ri.leader);
  }
  let winner: string | null = null;
  let maxVotes = 0;
  for (const [runId, votes] of counters) {
    if (votes > maxVotes) {
      maxVotes = votes;
      winner = runId;
    }
  }
  const myVote = voteLeader(s, master, epoch, winner ?? s.myId);
  if (myVote.leader !== null && myVote.leaderEpoch === epoch) {
    const votes = incr(myVote.leader);
    if (votes > maxVotes) {
      maxVotes = votes;
      winner = myVote.leader;
    }
  }
  const votersQuorum = Math.floor(voters / 2) + 1;
  if (winner !== null && (maxVotes < votersQuorum || maxVotes < master.quorum)) winner = null;
  return winner;
}

// ---- commands to the servers ---------------------------------------------------

/**
 * `sentinelSendSlaveOf`: one transaction that reconfigures the instance
 * (`addr` null: SLAVEOF NO ONE), saves its config and drops its clients so
 * they ask Sentinel again. The replies are not looked at: the next INFO
 * tells whether it worked.
 */
export function sendSlaveOf(s: Sentinel, ri: Instance, addr: SentinelAddr | null): boolean {
  const cc = ri.link.cc;
  if (!cc) return false;
  const host = addr ? addr.ip : "NO";
  const port = addr ? String(addr.port) : "ONE";
  const commands = [
    ["MULTI"],
    ["SLAVEOF", host, port],
    ["CONFIG", "REWRITE"],
    ["CLIENT", "KILL", "TYPE", "normal"],
    ["CLIENT", "KILL", "TYPE", "pubsub"],
    ["EXEC"],
  ];
  for (const argv of commands) {
    s.asyncCommand(cc, argv, ri, discardReply);
    ri.link.pendingCommands++;
  }
  return true;
}

// ---- starting a failover ---------------------------------------------------------

/** `sentinelStartFailover`: a new epoch, and a start time desynchronised by up to a second. */
export function startFailover(s: Sentinel, master: Instance): void {
  master.failoverState = "wait_start";
  master.failoverInProgress = true;
  master.failoverEpoch = ++s.currentEpoch;
  s.event("warning", "+new-epoch", null, String(s.currentEpoch));
  s.event("warning", "+try-failover", master);
  master.failoverStartTimeMs = s.ms() + s.random.int(MAX_DESYNC_MS);
  master.failoverStateChangeTimeMs = s.ms();
}

/**
 * `sentinelStartFailoverIfNeeded`: ODOWN, no failover running, and none
 * attempted in the last 2 × failover-timeout.
 */
export function startFailoverIfNeeded(s: Sentinel, master: Instance): boolean {
  if (!master.oDown) return false;
  if (master.failoverInProgress) return false;
  const now = s.ms();
  if (now - master.failoverStartTimeMs < master.failoverTimeoutMs * 2) {
    if (master.failoverDelayLoggedMs !== master.failoverStartTimeMs) {
      const when = Math.floor((master.failoverStartTimeMs + master.failoverTimeoutMs * 2) / 1000);
      master.failoverDelayLoggedMs = master.failoverStartTimeMs;
      s.log(`Next failover delay: I will not start a failover before ${ctime(when)}`, "warning");
    }
    return false;
  }
  startFailover(s, master);
  return true;
}

// ---- choosing the replica ------------------------------------------------------------

/**
 * `compareSlavesForPromotion`: lower replica-priority first, then the higher
 * replication offset, then the smaller run id (case-insensitive; a missing
 * run id sorts last).
 */
export function compareSlavesForPromotion(a: Instance, b: Instance): number {
  if (a.slavePriority !== b.slavePriority) return a.slavePriority - b.slavePriority;
  if (a.slaveReplOffset > b.slaveReplOffset) return -1;
  if (a.slaveReplOffset < b.slaveReplOffset) return 1;
  if (a.runId === null && b.runId === null) return 0;
  if (a.runId === null) return 1;
  if (b.runId === null) return -1;
  return strcasecmp(a.runId, b.runId);
}

/**
 * `sentinelSelectSlave`: the best replica among those that are up, connected,
 * answered a PING in the last 5 s, have a non-zero priority, fresh INFO (5 s
 * while the master is SDOWN, else 30 s) and a master link not down for longer
 * than the master has been down plus 10 × down-after.
 */
export function selectSlave(s: Sentinel, master: Instance): Instance | null {
  const now = s.ms();
  let maxMasterDownTimeMs = 0;
  if (master.sDown) maxMasterDownTimeMs += now - master.sDownSinceMs;
  maxMasterDownTimeMs += master.downAfterMs * 10;

  const candidates: Instance[] = [];
  for (const slave of master.slaves.values()) {
    if (slave.sDown || slave.oDown) continue;
    if (slave.link.disconnected) continue;
    if (now - slave.link.lastAvailTimeMs > PING_PERIOD_MS * 5) continue;
    if (slave.slavePriority === 0) continue;
    const infoValidityMs = master.sDown ? PING_PERIOD_MS * 5 : INFO_PERIOD_MS * 3;
    if (now - slave.infoRefreshMs > infoValidityMs) continue;
    if (slave.masterLinkDownTimeMs > maxMasterDownTimeMs) continue;
    candidates.push(slave);
  }
  candidates.sort(compareSlavesForPromotion);
  return candidates[0] ?? null;
}

// ---- the state machine ------------------------------------------------------------------

/** `sentinelFailoverWaitStart`: go on once elected (or forced); give up after the election timeout. */
function failoverWaitStart(s: Sentinel, ri: Instance): void {
  const leader = getLeader(s, ri, ri.failoverEpoch);
  const isLeader = leader !== null && leader.toLowerCase() === s.myId.toLowerCase();
  if (!isLeader && !ri.forceFailover) {
    const electionTimeoutMs = Math.min(ELECTION_TIMEOUT_MS, ri.failoverTimeoutMs);
    if (s.ms() - ri.failoverStartTimeMs > electionTimeoutMs) {
      s.event("warning", "-failover-abort-not-elected", ri);
      abortFailover(s, ri);
    }
    return;
  }
  s.event("warning", "+elected-leader", ri);
  ri.failoverState = "select_slave";
  ri.failoverStateChangeTimeMs = s.ms();
  s.event("warning", "+failover-state-select-slave", ri);
}

function failoverSelectSlave(s: Sentinel, ri: Instance): void {
  const slave = selectSlave(s, ri);
  if (!slave) {
    s.event("warning", "-failover-abort-no-good-slave", ri);
    abortFailover(s, ri);
    return;
  }
  s.event("warning", "+selected-slave", slave);
  slave.promoted = true;
  ri.promotedSlave = slave;
  ri.failoverState = "send_slaveof_noone";
  ri.failoverStateChangeTimeMs = s.ms();
  s.event("notice", "+failover-state-send-slaveof-noone", slave);
}

function failoverSendSlaveOfNoOne(s: Sentinel, ri: Instance): void {
  const promoted = ri.promotedSlave;
  if (!promoted) return;
  // Retry while the replica is unreachable, until the failover timeout.
  if (promoted.link.disconnected) {
    if (s.ms() - ri.failoverStateChangeTimeMs > ri.failoverTimeoutMs) {
      s.event("warning", "-failover-abort-slave-timeout", ri);
      abortFailover(s, ri);
    }
    return;
  }
  if (!sendSlaveOf(s, promoted, null)) return;
  s.event("notice", "+failover-state-wait-promotion", promoted);
  ri.failoverState = "wait_promotion";
  ri.failoverStateChangeTimeMs = s.ms();
}

/** The promotion itself is seen in the replica's INFO (refresh.ts); only the timeout is here. */
function failoverWaitPromotion(s: Sentinel, ri: Instance): void {
  if (s.ms() - ri.failoverStateChangeTimeMs > ri.failoverTimeoutMs) {
    s.event("warning", "-failover-abort-slave-timeout", ri);
    abortFailover(s, ri);
  }
}

/**
 * `sentinelFailoverDetectEnd`: done when every reachable replica is
 * reconfigured, or at the failover timeout (then a best-effort SLAVEOF to
 * the rest).
 */
function failoverDetectEnd(s: Sentinel, master: Instance): void {
  const promoted = master.promotedSlave;
  if (!promoted || promoted.sDown) return;
  const elapsed = s.ms() - master.failoverStateChangeTimeMs;
  let notReconfigured = 0;
  let timeout = false;
  for (const slave of master.slaves.values()) {
    if (slave.promoted || slave.reconf === "done") continue;
    if (slave.sDown) continue;
    notReconfigured++;
  }
  if (elapsed > master.failoverTimeoutMs) {
    notReconfigured = 0;
    timeout = true;
    s.event("warning", "+failover-end-for-timeout", master);
  }
  if (notReconfigured === 0) {
    s.event("warning", "+failover-end", master);
    master.failoverState = "update_config";
    master.failoverStateChangeTimeMs = s.ms();
  }
  if (timeout) {
    for (const slave of master.slaves.values()) {
      if (slave.promoted || slave.reconf === "done" || slave.reconf === "sent") continue;
      if (slave.link.disconnected) continue;
      if (sendSlaveOf(s, slave, promoted.addr)) {
        s.event("notice", "+slave-reconf-sent-be", slave);
        slave.reconf = "sent";
      }
    }
  }
}

/** `sentinelFailoverReconfNextSlave`: SLAVEOF <new master> to at most parallel-syncs replicas at a time. */
function failoverReconfNextSlave(s: Sentinel, master: Instance): void {
  const promoted = master.promotedSlave;
  let inProgress = 0;
  for (const slave of master.slaves.values()) {
    if (slave.reconf === "sent" || slave.reconf === "inprog") inProgress++;
  }
  for (const slave of master.slaves.values()) {
    if (inProgress >= master.parallelSyncs) break;
    if (slave.promoted || slave.reconf === "done") continue;
    // Stuck in "sent": count it as done; the fix-slave-config check will catch it later.
    if (slave.reconf === "sent" && s.ms() - slave.slaveReconfSentTimeMs > SLAVE_RECONF_TIMEOUT_MS) {
      s.event("notice", "-slave-reconf-sent-timeout", slave);
      slave.reconf = "done";
    }
    if (slave.reconf === "sent" || slave.reconf === "inprog") continue;
    if (slave.link.disconnected) continue;
    if (promoted && sendSlaveOf(s, slave, promoted.addr)) {
      slave.reconf = "sent";
      slave.slaveReconfSentTimeMs = s.ms();
      s.event("notice", "+slave-reconf-sent", slave);
      inProgress++;
    }
  }
  failoverDetectEnd(s, master);
}

/** `sentinelFailoverStateMachine`. */
export function failoverStateMachine(s: Sentinel, ri: Instance): void {
  if (!ri.failoverInProgress) return;
  switch (ri.failoverState) {
    case "wait_start":
      failoverWaitStart(s, ri);
      break;
    case "select_slave":
      failoverSelectSlave(s, ri);
      break;
    case "send_slaveof_noone":
      failoverSendSlaveOfNoOne(s, ri);
      break;
    case "wait_promotion":
      failoverWaitPromotion(s, ri);
      break;
    case "reconf_slaves":
      failoverReconfNextSlave(s, ri);
      break;
    case "none":
    case "update_config":
      break;
  }
}

/** `sentinelAbortFailover`: only before the promoted replica acknowledged its promotion. */
export function abortFailover(s: Sentinel, ri: Instance): void {
  ri.failoverInProgress = false;
  ri.forceFailover = false;
  ri.failoverState = "none";
  ri.failoverStateChangeTimeMs = s.ms();
  if (ri.promotedSlave) {
    ri.promotedSlave.promoted = false;
    ri.promotedSlave = null;
  }
}

// ---- switching the master entry ----------------------------------------------------------

/** `releaseSentinelRedisInstance`: an entry leaves its table; its connections go with it. */
export function releaseInstance(s: Sentinel, ri: Instance): void {
  for (const slave of ri.slaves.values()) releaseInstance(s, slave);
  for (const sentinel of ri.sentinels.values()) releaseInstance(s, sentinel);
  ri.slaves = new Map();
  ri.sentinels = new Map();
  s.releaseInstanceLink(ri.link, ri);
  if (ri.kind === "slave" && ri.promoted && ri.master) ri.master.promotedSlave = null;
}

/**
 * `sentinelResetMaster`: forget the replicas (and, unless `keepSentinels`,
 * the Sentinels), clear the flags and the failover, reconnect.
 */
export function resetMaster(
  s: Sentinel,
  ri: Instance,
  options: { readonly keepSentinels: boolean; readonly generateEvent: boolean },
): void {
  const slaves = ri.slaves;
  ri.slaves = new Map();
  for (const slave of slaves.values()) releaseInstance(s, slave);
  if (!options.keepSentinels) {
    const sentinels = ri.sentinels;
    ri.sentinels = new Map();
    for (const sentinel of sentinels.values()) releaseInstance(s, sentinel);
  }
  s.closeLinkConnection(ri.link, ri.link.cc);
  s.closeLinkConnection(ri.link, ri.link.pc);
  ri.clearFlags();
  ri.leader = null;
  ri.failoverState = "none";
  ri.failoverStateChangeTimeMs = 0;
  ri.failoverStartTimeMs = 0; // a new failover may start at once
  ri.promotedSlave = null;
  ri.runId = null;
  ri.slaveMasterHost = null;
  const now = s.ms();
  ri.link.actPingTimeMs = now;
  ri.link.lastPingTimeMs = 0;
  ri.link.lastAvailTimeMs = now;
  ri.link.lastPongTimeMs = now;
  ri.roleReportedTimeMs = now;
  ri.roleReported = "master";
  if (options.generateEvent) s.event("warning", "+reset-master", ri);
}

/**
 * `sentinelResetMasterAndChangeAddress`: the master entry moves to a new
 * address; its other replicas, and the old address, become its replicas.
 */
export function resetMasterAndChangeAddress(
  s: Sentinel,
  master: Instance,
  hostname: string,
  port: number,
): boolean {
  const newAddr = s.createAddr(hostname, port, false);
  if (!newAddr) return false;
  const slaves: SentinelAddr[] = [];
  for (const slave of master.slaves.values()) {
    if (!addrIsEqual(slave.addr, newAddr)) slaves.push(slave.addr);
  }
  if (!addrIsEqual(newAddr, master.addr)) slaves.push(master.addr);

  resetMaster(s, master, { keepSentinels: true, generateEvent: false });
  master.addr = newAddr;
  master.oDownSinceMs = 0;
  master.sDownSinceMs = 0;
  for (const addr of slaves) {
    const slave = s.createInstance(null, "slave", addr.hostname, addr.port, master.quorum, master);
    if (slave) s.event("notice", "+slave", slave);
  }
  return true;
}

/** `sentinelFailoverSwitchToPromotedSlave`: `+switch-master`, then the entry follows. */
export function switchToPromotedSlave(s: Sentinel, master: Instance): void {
  const ref = master.promotedSlave ?? master;
  s.event(
    "warning",
    "+switch-master",
    null,
    `${master.name} ${master.addr.ip} ${master.addr.port} ${ref.addr.ip} ${ref.addr.port}`,
  );
  resetMasterAndChangeAddress(s, master, ref.addr.hostname, ref.addr.port);
}

// ---- helpers -------------------------------------------------------------------------------

/** `strcasecmp` on ASCII text. */
export function strcasecmp(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `ctime_r` in UTC without the newline: `Thu Jan  1 00:00:00 2026`. */
export function ctime(unixSec: number): string {
  const days = Math.floor(unixSec / 86400);
  const secs = unixSec - days * 86400;
  // Howard Hinnant's civil_from_days.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const weekday = DAYS[(((days + 4) % 7) + 7) % 7] ?? "";
  const two = (n: number): string => String(n).padStart(2, "0");
  const hh = Math.floor(secs / 3600);
  const mm = Math.floor((secs % 3600) / 60);
  const ss = secs % 60;
  return `${weekday} ${MONTHS[month - 1] ?? ""} ${String(day).padStart(2, " ")} ${two(hh)}:${two(mm)}:${two(ss)} ${year}`;
}
