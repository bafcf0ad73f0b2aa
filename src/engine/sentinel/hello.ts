import type { Reply } from "../reply";
import { resetMasterAndChangeAddress, releaseInstance } from "./failover";
import type { Instance } from "./instance";
import { HELLO_CHANNEL, PUBLISH_PERIOD_MS, currentMasterAddress } from "./instance";
import { atoi } from "./refresh";
import type { Sentinel } from "./sentinel";

/**
 * Hello messages: how Sentinels find each other and spread a new master
 * configuration. Every 2 s each Sentinel publishes, on `__sentinel__:hello`
 * of every master and replica and directly to every known Sentinel,
 *
 *     ip,port,runid,current_epoch,master_name,master_ip,master_port,master_config_epoch
 */

/** `sentinelSendHello`: false if the link is down. */
export function sendHello(s: Sentinel, ri: Instance): boolean {
  const master = ri.group;
  const masterAddr = currentMasterAddress(master);
  const cc = ri.link.cc;
  if (ri.link.disconnected || !cc) return false;
  const payload = [
    s.ip,
    s.port,
    s.myId,
    s.currentEpoch,
    master.name,
    masterAddr.ip,
    masterAddr.port,
    master.configEpoch,
  ].join(",");
  s.asyncCommand(cc, ["PUBLISH", HELLO_CHANNEL, payload], ri, (c, reply) => {
    const link = c.data;
    if (!reply || !link) return;
    link.pendingCommands--;
    // Published: wait a period. Refused: try again at the next timer run.
    if (reply.type !== "error") ri.lastPubTimeMs = s.ms();
  });
  ri.link.pendingCommands++;
  return true;
}

/** `sentinelForceHelloUpdateForMaster`: publish to everything at the next timer run. */
export function forceHelloUpdateForMaster(s: Sentinel, master: Instance): void {
  const force = (ri: Instance): void => {
    if (ri.lastPubTimeMs >= PUBLISH_PERIOD_MS + 1) ri.lastPubTimeMs -= PUBLISH_PERIOD_MS + 1;
  };
  force(master);
  for (const ri of master.sentinels.values()) force(ri);
  for (const ri of master.slaves.values()) force(ri);
}

/**
 * `sentinelReceiveHelloMessages`: a push on a Pub/Sub link. Any push counts
 * as activity on the link; our own hellos are skipped.
 */
export function receiveHello(s: Sentinel, ri: Instance, reply: Reply): void {
  ri.link.pcLastActivityMs = s.ms();
  if (reply.type !== "array" || reply.value?.length !== 3) return;
  const [kind, channel, message] = reply.value;
  if (
    kind?.type !== "bulk" ||
    channel?.type !== "bulk" ||
    message?.type !== "bulk" ||
    kind.value !== "message" ||
    channel.value === null ||
    message.value === null
  ) {
    return;
  }
  if (message.value.includes(s.myId)) return;
  processHelloMessage(s, message.value);
}

/**
 * `sentinelProcessHelloMessage`: learn (or re-address) the Sentinel that sent
 * it, adopt a higher current epoch, and switch the master when the hello
 * carries a newer configuration with another address.
 */
export function processHelloMessage(s: Sentinel, hello: string): void {
  const token = hello.split(",");
  if (token.length !== 8) return;
  const [ip = "", portText = "", runId = "", epochText = "", name = "", masterIp = ""] = token;
  const master = s.masters.get(name);
  if (!master) return;
  const port = atoi(portText);
  const masterPort = atoi(token[6] ?? "");
  const currentEpoch = atoi(epochText);
  const masterConfigEpoch = atoi(token[7] ?? "");
  let si = s.findByAddrAndRunId(master.sentinels, ip, port, runId) ?? null;

  if (!si) {
    // Same run id at another address: it moved. Same address, other run id: the old one is gone.
    const removed = removeMatchingSentinelFromMaster(s, master, runId);
    if (removed) {
      s.event("notice", "+sentinel-address-switch", master, ` ip ${ip} port ${port} for ${runId}`);
    } else {
      const other = s.findByAddrAndRunId(master.sentinels, ip, port, null);
      if (other) {
        s.event("notice", "+sentinel-invalid-addr", other);
        const obsolete = other.runId;
        for (const m of s.masters.values()) removeMatchingSentinelFromMaster(s, m, obsolete);
      }
    }
    si = s.createInstance(runId, "sentinel", ip, port, master.quorum, master);
    if (si) {
      if (!removed) s.event("notice", "+sentinel", si);
      si.runId = runId;
      s.tryConnectionSharing(si);
      if (removed) updateSentinelAddressInAllMasters(s, si);
    }
  }

  if (currentEpoch > s.currentEpoch) {
    s.currentEpoch = currentEpoch;
    s.event("warning", "+new-epoch", null, String(s.currentEpoch));
  }

  if (si && master.configEpoch < masterConfigEpoch) {
    master.configEpoch = masterConfigEpoch;
    if (masterPort !== master.addr.port || !s.addrEqualsHostname(master.addr, masterIp)) {
      s.event("warning", "+config-update-from", si);
      s.event(
        "warning",
        "+switch-master",
        null,
        `${master.name} ${master.addr.ip} ${master.addr.port} ${masterIp} ${masterPort}`,
      );
      resetMasterAndChangeAddress(s, master, masterIp, masterPort);
    }
  }
  if (si) si.lastHelloTimeMs = s.ms();
}

/** `removeMatchingSentinelFromMaster`: how many entries with that run id were dropped. */
function removeMatchingSentinelFromMaster(
  s: Sentinel,
  master: Instance,
  runId: string | null,
): number {
  if (runId === null) return 0;
  let removed = 0;
  for (const [name, ri] of [...master.sentinels]) {
    if (ri.runId === runId) {
      master.sentinels.delete(name);
      releaseInstance(s, ri);
      removed++;
    }
  }
  return removed;
}

/**
 * `sentinelUpdateSentinelAddressInAllMasters`: the same Sentinel seen under
 * other masters takes the new address too; their links reconnect.
 */
function updateSentinelAddressInAllMasters(s: Sentinel, ri: Instance): void {
  let reconfigured = 0;
  for (const master of s.masters.values()) {
    const match = s.findByAddrAndRunId(master.sentinels, null, 0, ri.runId);
    if (!match) continue;
    if (match.link.cc) s.closeLinkConnection(match.link, match.link.cc);
    if (match.link.pc) s.closeLinkConnection(match.link, match.link.pc);
    if (match === ri) continue;
    match.addr = ri.addr;
    reconfigured++;
  }
  if (reconfigured) {
    s.event(
      "notice",
      "+sentinel-address-update",
      ri,
      ` ${reconfigured} additional matching instances`,
    );
  }
}
