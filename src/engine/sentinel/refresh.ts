import type { Reply } from "../reply";
import type { AsyncConn } from "./asyncConn";
import { discardReply } from "./asyncConn";
import { sendSlaveOf } from "./failover";
import { forceHelloUpdateForMaster } from "./hello";
import type { Instance } from "./instance";
import { INFO_PERIOD_MS, PUBLISH_PERIOD_MS, noDownFor } from "./instance";
import type { Sentinel } from "./sentinel";

/**
 * What the Sentinel learns from PING and INFO replies
 * (`sentinelPingReplyCallback`, `sentinelRefreshInstanceInfo`), and what it
 * does about it: discover replicas, notice a promotion, follow replicas
 * being reconfigured, demote a returning old master.
 */

/** `atoi`/`strtoll`: the leading decimal number, 0 if there is none. */
export function atoi(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  return m?.[1] ? Number(m[1]) : 0;
}

/** `sentinelPingReplyCallback`: +PONG, -LOADING and -MASTERDOWN prove the instance alive. */
export function pingReplyCallback(
  s: Sentinel,
  ri: Instance,
  c: AsyncConn,
  reply: Reply | null,
): void {
  const link = c.data;
  if (!reply || !link) return;
  link.pendingCommands--;
  if (reply.type === "simple" || reply.type === "error") {
    const text = reply.value;
    if (text.startsWith("PONG") || text.startsWith("LOADING") || text.startsWith("MASTERDOWN")) {
      link.lastAvailTimeMs = s.ms();
      link.actPingTimeMs = 0;
    } else if (text.startsWith("BUSY") && ri.sDown && !ri.scriptKillSent && link.cc) {
      // A script keeps it busy: try to kill it, once.
      s.asyncCommand(link.cc, ["SCRIPT", "KILL"], ri, discardReply);
      link.pendingCommands++;
      ri.scriptKillSent = true;
    }
  }
  link.lastPongTimeMs = s.ms();
}

/** `sentinelInfoReplyCallback`. */
export function infoReplyCallback(
  s: Sentinel,
  ri: Instance,
  c: AsyncConn,
  reply: Reply | null,
): void {
  const link = c.data;
  if (!reply || !link) return;
  link.pendingCommands--;
  if (reply.type === "bulk" && reply.value !== null) refreshInstanceInfo(s, ri, reply.value);
}

/**
 * `sentinelMasterLooksSane`: a master by our configuration and by its own
 * report, not down, with INFO less than 20 s old.
 */
export function masterLooksSane(s: Sentinel, master: Instance): boolean {
  return (
    master.kind === "master" &&
    master.roleReported === "master" &&
    !master.sDown &&
    !master.oDown &&
    s.ms() - master.infoRefreshMs < INFO_PERIOD_MS * 2
  );
}

/** `sentinelRefreshInstanceInfo`: parse one INFO reply, then act on it. */
export function refreshInstanceInfo(s: Sentinel, ri: Instance, info: string): void {
  ri.info = info;
  // Reset unless INFO prints it.
  ri.masterLinkDownTimeMs = 0;
  let role: "master" | "slave" | null = null;

  for (const l of info.split("\r\n")) {
    if (l.length >= 47 && l.startsWith("run_id:")) {
      const runId = l.slice(7, 47);
      if (ri.runId === null) {
        ri.runId = runId;
      } else if (ri.runId !== runId) {
        s.event("notice", "+reboot", ri);
        ri.runId = runId;
      }
    }

    // slave0:ip=10.0.0.2,port=6379,state=online,offset=…  (old form: slave0:<ip>,<port>,<state>)
    if (ri.kind === "master" && l.length >= 7 && l.startsWith("slave") && isDigit(l[5])) {
      const address = slaveAddress(l);
      if (address && !s.lookupSlave(ri, address.ip, address.port)) {
        const slave = s.createInstance(null, "slave", address.ip, address.port, ri.quorum, ri);
        if (slave) s.event("notice", "+slave", slave);
      }
    }

    if (l.length >= 32 && l.startsWith("master_link_down_since_seconds")) {
      ri.masterLinkDownTimeMs = atoi(l.slice(31)) * 1000;
    }

    if (l.length >= 11 && l.startsWith("role:master")) role = "master";
    else if (l.length >= 10 && l.startsWith("role:slave")) role = "slave";

    if (role === "slave") {
      if (l.length >= 12 && l.startsWith("master_host:")) {
        const host = l.slice(12);
        if (
          ri.slaveMasterHost === null ||
          host.toLowerCase() !== ri.slaveMasterHost.toLowerCase()
        ) {
          ri.slaveMasterHost = host;
          ri.slaveConfChangeTimeMs = s.ms();
        }
      }
      if (l.length >= 12 && l.startsWith("master_port:")) {
        const port = atoi(l.slice(12));
        if (ri.slaveMasterPort !== port) {
          ri.slaveMasterPort = port;
          ri.slaveConfChangeTimeMs = s.ms();
        }
      }
      if (l.length >= 19 && l.startsWith("master_link_status:")) {
        ri.slaveMasterLinkStatus = l.slice(19).toLowerCase() === "up" ? "up" : "down";
      }
      if (l.length >= 15 && l.startsWith("slave_priority:")) ri.slavePriority = atoi(l.slice(15));
      if (l.length >= 18 && l.startsWith("slave_repl_offset:")) {
        ri.slaveReplOffset = atoi(l.slice(18));
      }
      if (l.length >= 18 && l.startsWith("replica_announced:")) {
        ri.replicaAnnounced = atoi(l.slice(18)) !== 0;
      }
    }
  }
  ri.infoRefreshMs = s.ms();

  // ---- acting half: some of it is skipped in TILT mode ----
  const now = s.ms();
  if (role !== null && role !== ri.roleReported) {
    ri.roleReportedTimeMs = now;
    ri.roleReported = role;
    if (role === "slave") ri.slaveConfChangeTimeMs = now;
    s.event(
      "verbose",
      ri.kind === role ? "+role-change" : "-role-change",
      ri,
      ` new reported role is ${role}`,
    );
  }
  if (s.tilt) return;
  const master = ri.master;
  if (ri.kind !== "slave" || !master) return; // a master reporting role:slave just ends up SDOWN

  if (role === "master") {
    if (master.failoverInProgress && ri.promoted && master.failoverState === "wait_promotion") {
      // The promotion worked: this epoch's configuration is now the one to spread.
      master.configEpoch = master.failoverEpoch;
      master.failoverState = "reconf_slaves";
      master.failoverStateChangeTimeMs = now;
      s.event("warning", "+promoted-slave", ri);
      s.event("warning", "+failover-state-reconf-slaves", master);
      forceHelloUpdateForMaster(s, master);
    } else {
      // A replica turned master on its own (or an old master came back): give a
      // newer configuration time to arrive, then make it a replica again.
      const waitTimeMs = PUBLISH_PERIOD_MS * 4;
      if (
        !ri.promoted &&
        masterLooksSane(s, master) &&
        noDownFor(ri, now, waitTimeMs) &&
        now - ri.roleReportedTimeMs > waitTimeMs &&
        sendSlaveOf(s, ri, master.addr)
      ) {
        s.event("notice", "+convert-to-slave", ri);
      }
    }
  }

  if (
    role === "slave" &&
    (ri.slaveMasterPort !== master.addr.port ||
      ri.slaveMasterHost === null ||
      !s.addrEqualsHostname(master.addr, ri.slaveMasterHost))
  ) {
    // Replicating from the wrong address: fix it, once the master has been sane for a while.
    const waitTimeMs = master.failoverTimeoutMs;
    if (
      masterLooksSane(s, master) &&
      noDownFor(ri, now, waitTimeMs) &&
      now - ri.slaveConfChangeTimeMs > waitTimeMs &&
      sendSlaveOf(s, ri, master.addr)
    ) {
      s.event("notice", "+fix-slave-config", ri);
    }
  }

  if (role === "slave" && (ri.reconf === "sent" || ri.reconf === "inprog")) {
    const promoted = master.promotedSlave;
    if (
      ri.reconf === "sent" &&
      promoted &&
      ri.slaveMasterHost !== null &&
      s.addrEqualsHostname(promoted.addr, ri.slaveMasterHost) &&
      ri.slaveMasterPort === promoted.addr.port
    ) {
      ri.reconf = "inprog";
      s.event("notice", "+slave-reconf-inprog", ri);
    }
    if (ri.reconf === "inprog" && ri.slaveMasterLinkStatus === "up") {
      ri.reconf = "done";
      s.event("notice", "+slave-reconf-done", ri);
    }
  }
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

/** The address of a `slaveN:` line of a master's INFO, in either format. */
function slaveAddress(line: string): { ip: string; port: number } | null {
  if (!line.includes("ip=")) {
    const colon = line.indexOf(":");
    if (colon < 0) return null;
    const [ip, port, state] = line.slice(colon + 1).split(",");
    if (ip === undefined || port === undefined || state === undefined) return null;
    return { ip, port: atoi(port) };
  }
  const ipAt = line.indexOf("ip=") + 3;
  const portAt = line.indexOf("port=");
  if (portAt < 0) return null;
  const ip = line.slice(ipAt).split(",")[0] ?? "";
  const port = line.slice(portAt + 5).split(",")[0] ?? "";
  return { ip, port: atoi(port) };
}
