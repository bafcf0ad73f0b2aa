import type { NodeView } from "../../engine/server/view";
import { resolveHost } from "../topology/topologyLayout";
import type { PlaygroundState } from "./state";
import { pairKey } from "./state";

/** The node a replica replicates from (by name or IP), or null for a master or an unknown host. */
export function masterOf(
  s: Pick<PlaygroundState, "views" | "order" | "nodes">,
  name: string,
): string | null {
  const v = s.views[name];
  if (!v || v.role !== "slave") return null;
  return resolveHost(
    v.masterHost,
    s.order.map((n) => ({ name: n, ip: s.nodes[n]?.ip ?? "" })),
  );
}

/** Whether the path between a replica and its master is cut. */
export function masterLinkCut(
  s: Pick<PlaygroundState, "views" | "order" | "nodes" | "cuts">,
  name: string,
): boolean {
  const master = masterOf(s, name);
  return master !== null && s.cuts.includes(pairKey(name, master));
}

/** The master whose backlog the ring shows: the chosen one if it still is a master, else the first. */
export function ringMaster(s: PlaygroundState): string | null {
  const isMaster = (n: string | null): n is string => n !== null && s.views[n]?.role === "master";
  if (isMaster(s.ringMaster) && s.nodes[s.ringMaster]?.running) return s.ringMaster;
  return s.order.find((n) => isMaster(n) && s.nodes[n]?.running) ?? s.order.find(isMaster) ?? null;
}

/** Every running master, for menus. */
export function masters(s: PlaygroundState): string[] {
  return s.order.filter((n) => s.views[n]?.role === "master" && s.nodes[n]?.running);
}

export function viewOf(s: PlaygroundState, name: string): NodeView | undefined {
  return s.views[name];
}
