import type { Fault } from "../../sim/cluster";
import type { PathSettings } from "../../sim/network";
import { DEFAULT_PATH } from "../../sim/network";
import type { PlaygroundState } from "./state";
import { pairKey } from "./state";

/**
 * The store after a fault, for what it changes of the paths' settings: a
 * `link` sets one path (all of its settings, as the network model keeps
 * them), a `network` sets the default of every path not set on its own. The
 * trace does not carry these settings, so the page and a script's lines both
 * come through here, and the links and their menus show what the run set.
 */
export function afterPathFault(
  s: PlaygroundState,
  fault: Fault,
): Pick<PlaygroundState, "links" | "network"> | null {
  switch (fault.kind) {
    case "link":
      return {
        links: { ...s.links, [pairKey(fault.a, fault.b)]: fault.settings },
        network: s.network,
      };
    case "network":
      return { links: s.links, network: { ...s.network, ...fault.settings } };
    default:
      return null;
  }
}

/**
 * The settings the path between two processes runs with, as the network
 * model resolves them: its own if it was set (a path keeps what it was given,
 * defaults changed later aside), else the defaults.
 */
export function effectivePath(
  own: Partial<PathSettings> | undefined,
  network: Partial<PathSettings>,
): PathSettings {
  return own ? { ...DEFAULT_PATH, ...network, ...own } : { ...DEFAULT_PATH, ...network };
}

/** Whether a path runs with anything but the playground's defaults (its link then says how). */
export function isCustomPath(
  own: Partial<PathSettings> | undefined,
  network: Partial<PathSettings>,
): boolean {
  const path = effectivePath(own, network);
  return (
    path.latencyUs !== DEFAULT_PATH.latencyUs ||
    path.jitterUs !== DEFAULT_PATH.jitterUs ||
    path.bandwidthBytesPerSec !== DEFAULT_PATH.bandwidthBytesPerSec
  );
}
