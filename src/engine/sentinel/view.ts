import { instanceFlags } from "./commands";
import type { FailoverState, Instance } from "./instance";
import { currentMasterAddress } from "./instance";
import type { Sentinel } from "./sentinel";

/** One replica as a Sentinel sees it. */
export interface SentinelReplicaView {
  readonly name: string;
  readonly ip: string;
  readonly port: number;
  readonly runId: string | null;
  /** As SENTINEL REPLICAS prints them: `slave,s_down,promoted,…`. */
  readonly flags: string;
  readonly priority: number;
  readonly replOffset: number;
  readonly masterHost: string | null;
  readonly masterLinkUp: boolean;
}

/** Another Sentinel watching the same master. */
export interface SentinelPeerView {
  readonly runId: string;
  readonly ip: string;
  readonly port: number;
  readonly flags: string;
  /** Its last vote as it answered us, or null. */
  readonly votedLeader: string | null;
  readonly votedLeaderEpoch: number;
}

export interface SentinelMasterView {
  readonly group: string;
  readonly ip: string;
  readonly port: number;
  /** What SENTINEL GET-MASTER-ADDR-BY-NAME answers (the promoted replica once it is master). */
  readonly currentIp: string;
  readonly currentPort: number;
  readonly flags: string;
  readonly quorum: number;
  readonly configEpoch: number;
  readonly failoverState: FailoverState;
  readonly failoverEpoch: number;
  /** The leader this Sentinel voted for, and in which epoch. */
  readonly leader: string | null;
  readonly leaderEpoch: number;
  readonly replicas: readonly SentinelReplicaView[];
  readonly sentinels: readonly SentinelPeerView[];
}

/** What the page draws of one Sentinel: plain data, posted from a worker or read in-process. */
export interface SentinelView {
  readonly name: string;
  readonly myId: string;
  readonly currentEpoch: number;
  readonly tilt: boolean;
  readonly masters: readonly SentinelMasterView[];
}

export function sentinelView(s: Sentinel): SentinelView {
  return {
    name: s.name,
    myId: s.myId,
    currentEpoch: s.currentEpoch,
    tilt: s.tilt,
    masters: [...s.masters.values()].map(masterView),
  };
}

function masterView(m: Instance): SentinelMasterView {
  const current = currentMasterAddress(m);
  return {
    group: m.name,
    ip: m.addr.ip,
    port: m.addr.port,
    currentIp: current.ip,
    currentPort: current.port,
    flags: instanceFlags(m),
    quorum: m.quorum,
    configEpoch: m.configEpoch,
    failoverState: m.failoverState,
    failoverEpoch: m.failoverEpoch,
    leader: m.leader,
    leaderEpoch: m.leaderEpoch,
    replicas: [...m.slaves.values()].map((r) => ({
      name: r.name,
      ip: r.addr.ip,
      port: r.addr.port,
      runId: r.runId,
      flags: instanceFlags(r),
      priority: r.slavePriority,
      replOffset: r.slaveReplOffset,
      masterHost: r.slaveMasterHost,
      masterLinkUp: r.slaveMasterLinkStatus === "up",
    })),
    sentinels: [...m.sentinels.values()].map((p) => ({
      runId: p.runId ?? p.name,
      ip: p.addr.ip,
      port: p.addr.port,
      flags: instanceFlags(p),
      votedLeader: p.leader,
      votedLeaderEpoch: p.leaderEpoch,
    })),
  };
}
