import type { SentinelView } from "../../engine/sentinel/view";
import type { NodeMeta } from "../store/state";
import type { LinkTone } from "./linkStatus";

export interface SentinelStatus {
  readonly tone: LinkTone;
  /** What it watches: `watches m (mymaster)`. */
  readonly watching: string;
  /** How it judges that master, in words (never by colour alone). */
  readonly text: string;
}

/**
 * A Sentinel's state in words, from its view: which master it watches (by the
 * address SENTINEL GET-MASTER-ADDR-BY-NAME would answer, named when it is a
 * node of the page) and whether it judges it up, subjectively down (+sdown),
 * objectively down (+odown) or is failing it over.
 */
export function sentinelStatus(
  meta: NodeMeta | undefined,
  view: SentinelView | undefined,
  nameOf: (ip: string) => string,
): SentinelStatus {
  if (!meta?.running) return { tone: "off", watching: "", text: "crashed" };
  const master = view?.masters[0];
  if (!master) return { tone: "wait", watching: "starting", text: "no master yet" };
  const watching = `watches ${nameOf(master.currentIp)} (${master.group})`;
  const flags = master.flags.split(",");
  if (view.tilt) return { tone: "wait", watching, text: "TILT mode" };
  if (master.failoverState !== "none")
    return { tone: "busy", watching, text: `failover: ${master.failoverState}` };
  if (flags.includes("o_down")) return { tone: "bad", watching, text: "master down (odown)" };
  if (flags.includes("s_down")) return { tone: "bad", watching, text: "master down (sdown)" };
  const replicas = master.replicas.length;
  return {
    tone: "ok",
    watching,
    text: `master ok · ${replicas} replica${replicas === 1 ? "" : "s"}`,
  };
}
