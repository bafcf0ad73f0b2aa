import type { ByteString } from "../bytes";
import type { Reply } from "../reply";
import { ERR, OK, error } from "../reply";
import type { Client } from "./client";
import { replicationSetMaster, replicationUnsetMaster } from "./replicaSide";
import type { Server } from "./server";
import { clientInfoString } from "./serverCommands";

/** `server.failover_state`, as INFO's `master_failover_state` prints it. */
export type FailoverStateName =
  | "no-failover" // NO_FAILOVER
  | "waiting-for-sync" // FAILOVER_WAIT_FOR_SYNC: writes paused, waiting for a replica's ACK
  | "failover-in-progress"; // FAILOVER_IN_PROGRESS: demoted, PSYNC … FAILOVER sent to the target

/** A command held back by the write pause (`blockPostponeClient`), run again on unpause. */
export interface PostponedCommand {
  readonly client: Client;
  readonly argv: readonly ByteString[];
}

/** The coordinated failover of `FAILOVER` (`server.failover_*`, `target_replica_*`). */
export interface FailoverState {
  state: FailoverStateName;
  /** `failover_end_time`, unix ms; 0 without TIMEOUT. */
  endTimeMs: number;
  force: boolean;
  targetHost: string | null;
  targetPort: number;
  /** `PAUSE_DURING_FAILOVER` with `CLIENT_PAUSE_WRITE`: writes wait, reads go on. */
  writesPaused: boolean;
  /** `server.postponed_clients`, in the order they were paused. */
  readonly postponed: PostponedCommand[];
}

export function newFailoverState(): FailoverState {
  return {
    state: "no-failover",
    endTimeMs: 0,
    force: false,
    targetHost: null,
    targetPort: 0,
    writesPaused: false,
    postponed: [],
  };
}

/** Commands that may propagate without the `write` flag (`CMD_MAY_REPLICATE`). */
const MAY_REPLICATE: ReadonlySet<string> = new Set(["publish", "pfcount"]);

/**
 * The write pause check of `processCommand`: a command that may replicate
 * from a client that is not a replica waits until the pause ends. True when
 * the command was held back.
 */
export function postponeIfPaused(
  s: Server,
  client: Client,
  argv: readonly ByteString[],
  name: string,
  isWrite: boolean,
): boolean {
  const f = s.failover;
  if (!f.writesPaused || client.flag === "replica") return false;
  if (!isWrite && !MAY_REPLICATE.has(name)) return false;
  f.postponed.push({ client, argv: [...argv] });
  return true;
}

/** Whether a client waits in the write pause (it reads no further commands meanwhile). */
export function isPostponed(s: Server, client: Client): boolean {
  return s.failover.postponed.some((p) => p.client === client);
}

/** `findReplica`: by announced address (or peer address) and listening port. */
function findReplica(s: Server, host: string, port: number): Client | undefined {
  return s.replicas.find((r) => {
    const ip = r.replica?.announcedIp ?? r.peerIp;
    return ip.toLowerCase() === host.toLowerCase() && r.replica?.listeningPort === port;
  });
}

/**
 * `FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms]` (`failoverCommand`):
 * checks, then pauses writes and waits for a replica to catch up.
 */
export function failoverCommand(s: Server, _client: Client, argv: readonly ByteString[]): Reply {
  const f = s.failover;
  if (argv.length === 2 && (argv[1] ?? "").toLowerCase() === "abort") {
    if (f.state === "no-failover") return error("ERR No failover in progress.");
    abortFailover(s, "Failover manually aborted");
    return OK;
  }
  let timeoutMs = 0;
  let force = false;
  let port = 0;
  let host: string | null = null;
  for (let j = 1; j < argv.length; j++) {
    const word = (argv[j] ?? "").toLowerCase();
    if (word === "timeout" && j + 1 < argv.length && timeoutMs === 0) {
      const value = parseLong(argv[j + 1] ?? "");
      if (value === null) return error(ERR.notInteger);
      if (value <= 0) return error("ERR FAILOVER timeout must be greater than 0");
      timeoutMs = value;
      j++;
    } else if (word === "to" && j + 2 < argv.length && host === null) {
      const value = parseLong(argv[j + 2] ?? "");
      if (value === null) return error(ERR.notInteger);
      port = value;
      host = argv[j + 1] ?? "";
      j += 2;
    } else if (word === "force" && !force) {
      force = true;
    } else {
      return error(ERR.syntax);
    }
  }
  if (f.state !== "no-failover") return error("ERR FAILOVER already in progress.");
  if (s.isReplica) return error("ERR FAILOVER is not valid when server is a replica.");
  if (s.replicas.length === 0) return error("ERR FAILOVER requires connected replicas.");
  if (force && (timeoutMs === 0 || host === null)) {
    return error("ERR FAILOVER with force option requires both a timeout and target HOST and IP.");
  }
  if (host !== null) {
    const replica = findReplica(s, host, port);
    if (!replica) return error("ERR FAILOVER target HOST and PORT is not a replica.");
    if (replica.replica?.state !== "online") {
      return error("ERR FAILOVER target replica is not online.");
    }
    f.targetHost = host;
    f.targetPort = port;
    s.log(`FAILOVER requested to ${host}:${port}.`);
  } else {
    s.log("FAILOVER requested to any replica.");
  }
  if (timeoutMs) f.endTimeMs = s.unixTimeMs() + timeoutMs;
  f.force = force;
  setState(s, "waiting-for-sync");
  f.writesPaused = true;
  return OK;
}

/** `getLongFromObject`: a signed 64-bit decimal, else null. */
function parseLong(raw: ByteString): number | null {
  if (!/^-?\d+$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : null;
}

function setState(s: Server, state: FailoverStateName): void {
  if (s.failover.state === state) return;
  s.failover.state = state;
}

/**
 * `updateFailoverStatus` (replicationCron and beforeSleep): on timeout, fail
 * over anyway with FORCE or give up; otherwise hand over to the target (or the
 * first replica) once its acknowledged offset equals ours.
 */
export function updateFailoverStatus(s: Server): void {
  const f = s.failover;
  if (f.state !== "waiting-for-sync") return;
  if (f.endTimeMs && f.endTimeMs <= s.unixTimeMs()) {
    if (f.force && f.targetHost !== null) {
      s.log(`FAILOVER to ${f.targetHost}:${f.targetPort} time out exceeded, failing over.`);
      setState(s, "failover-in-progress");
      replicationSetMaster(s, f.targetHost, f.targetPort);
    } else {
      abortFailover(s, "Replica never caught up before timeout");
    }
    return;
  }
  let replica: Client | undefined;
  if (f.targetHost !== null) {
    replica = findReplica(s, f.targetHost, f.targetPort);
  } else {
    replica = s.replicas.find((r) => r.replica?.ackOffset === s.masterReplOffset);
    if (replica?.replica) {
      f.targetHost = replica.replica.announcedIp ?? replica.peerIp;
      f.targetPort = replica.replica.listeningPort;
    }
  }
  if (replica?.replica?.ackOffset !== s.masterReplOffset || f.targetHost === null) return;
  setState(s, "failover-in-progress");
  s.log(`Failover target ${f.targetHost}:${f.targetPort} is synced, failing over.`);
  replicationSetMaster(s, f.targetHost, f.targetPort);
}

/** `abortFailover`: back to master if already demoted, then clear the state. */
export function abortFailover(s: Server, reason: string): void {
  const f = s.failover;
  if (f.state === "no-failover") return;
  if (f.targetHost !== null) {
    s.log(`FAILOVER to ${f.targetHost}:${f.targetPort} aborted: ${reason}`);
  } else {
    s.log(`FAILOVER to any replica aborted: ${reason}`);
  }
  if (f.state === "failover-in-progress") replicationUnsetMaster(s);
  clearFailoverState(s);
}

/** `clearFailoverState`: forget the target and end the write pause. */
export function clearFailoverState(s: Server): void {
  const f = s.failover;
  f.endTimeMs = 0;
  f.force = false;
  f.targetHost = null;
  f.targetPort = 0;
  setState(s, "no-failover");
  f.writesPaused = false;
}

/**
 * The old master read the target's answer to `PSYNC … FAILOVER`: `+CONTINUE`
 * or `+FULLRESYNC` completes the failover, anything else aborts it (and it
 * becomes a master again).
 */
export function failoverPsyncAnswered(s: Server, accepted: boolean): void {
  if (s.failover.state !== "failover-in-progress") return;
  if (accepted) clearFailoverState(s);
  else abortFailover(s, "Failover target rejected psync request");
}

/**
 * `syncCommand` on the target: `PSYNC <replid> <offset> FAILOVER` from its
 * master, naming this replica's own replid, promotes it before the PSYNC is
 * served. Returns an error reply to send, or null to go on with the PSYNC.
 */
export function psyncFailoverRequest(s: Server, client: Client, replId: string): Reply | null {
  s.log(`Failover request received for replid ${replId}.`, "warning");
  if (!s.isReplica) return error("ERR PSYNC FAILOVER can't be sent to a master.");
  if (replId.toLowerCase() !== s.replId.toLowerCase()) {
    return error("ERR PSYNC FAILOVER replid must match my replid.");
  }
  replicationUnsetMaster(s);
  s.log(`MASTER MODE enabled (failover request from '${clientInfoString(s, client)}')`);
  return null;
}

/**
 * Runs, once the pause has ended, the commands it held back, in order; each
 * client then reads what it pipelined meanwhile (`unpauseClients`).
 */
export function resumePostponed(
  s: Server,
  run: (s: Server, client: Client, argv: readonly ByteString[]) => void,
): void {
  const f = s.failover;
  if (f.writesPaused || f.postponed.length === 0) return;
  const held = f.postponed.splice(0);
  for (const p of held) {
    if (!s.clients.has(p.client.id)) continue;
    run(s, p.client, p.argv);
    s.resumeClient(p.client);
  }
}
