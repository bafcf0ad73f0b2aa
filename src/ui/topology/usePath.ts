import type { PathSettings } from "../../sim/network";
import { effectivePath, isCustomPath } from "../store/pathSettings";
import { pairKey } from "../store/state";
import { usePlayground } from "../store/store";

/**
 * The settings the path between `a` and `b` runs with, whoever set them (the
 * reader, a `link` or a `network` line), and whether they differ from the
 * playground's defaults.
 */
export function usePath(a: string, b: string): { path: PathSettings; custom: boolean } {
  // Selected apart: each is a stable reference, where a merged object would be new every time.
  const own = usePlayground((s) => s.links[pairKey(a, b)]);
  const network = usePlayground((s) => s.network);
  return { path: effectivePath(own, network), custom: isCustomPath(own, network) };
}
