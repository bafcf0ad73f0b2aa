import type { NodeView } from "../../engine/server/view";
import type { NodeMeta } from "../store/state";

/** How a node's replication link looks: its colour class. */
export type LinkTone = "ok" | "busy" | "wait" | "bad" | "off" | "master";

export interface LinkStatus {
  readonly tone: LinkTone;
  /** Always shown next to the colour, so colour never carries the meaning alone. */
  readonly text: string;
}

/**
 * The state of a node's link to its master in words, from the engine's
 * `repl_state` (`connect … connected`), whether its path is cut, and whether
 * it runs at all. A master says how many replicas are online.
 */
export function linkStatus(
  meta: NodeMeta | undefined,
  view: NodeView | undefined,
  cut: boolean,
): LinkStatus {
  if (!meta?.running) return { tone: "off", text: "crashed" };
  const role = view?.role ?? meta.role;
  if (role === "master") {
    const replicas = view?.replicas ?? [];
    const online = replicas.filter((r) => r.state === "online").length;
    if (replicas.length === 0) return { tone: "master", text: "no replicas" };
    return {
      tone: "master",
      text: `${online}/${replicas.length} replica${replicas.length === 1 ? "" : "s"} online`,
    };
  }
  const state = view?.replState ?? meta.replState;
  if (cut) {
    // Redis notices a silent link only after repl-timeout; until then INFO still says up.
    return { tone: "bad", text: state === "connected" ? "link cut (Redis: up)" : "link cut" };
  }
  switch (state) {
    case "connected":
      return { tone: "ok", text: "link up" };
    case "transfer":
      return { tone: "busy", text: "full sync" };
    case "handshake":
      return { tone: "wait", text: "handshake" };
    case "connecting":
      return { tone: "wait", text: "connecting" };
    case "connect":
    case "none":
      return { tone: "bad", text: "link down" };
  }
}
