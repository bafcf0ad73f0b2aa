import { installHarness } from "../host/harness";
import { installEmbed } from "./embed/installEmbed";
import type { PageParams } from "./embed/embedParams";
import { FIRST_NODES, seedFrom } from "./pageDefaults";
import { Runtime, createCluster, inProcess } from "./runtime";
import { WorkerPool } from "./workerPool";
import { builtinFrom } from "./session/builtins";
import { openSharedLink, sharedScript } from "./share/openShared";
import { shareTokenFrom } from "./share/shareLink";
import type { PlaygroundStore } from "./store/store";

export interface RuntimeStart {
  readonly search: string;
  readonly hash: string;
  readonly params: PageParams;
  /**
   * `?harness=1`: window.__playground for e2e/determinism.spec.ts, which runs scripts on
   * workers of its own; the runtime is then made on an in-process cluster and not started,
   * so it does not compete with them.
   */
  readonly harness: boolean;
}

/**
 * Everything that runs the simulation, in one chunk that src/ui/main.tsx
 * loads with import() while the page renders: the cluster (and its workers),
 * the runtime, the session and the scenario interpreter. Makes the cluster,
 * starts the run the address asks for (a share link, `?scenario=`, or the
 * first three nodes) and, in a frame, the host page's postMessage API.
 */
export async function startRuntime(store: PlaygroundStore, page: RuntimeStart): Promise<Runtime> {
  const { search, hash, params, harness } = page;
  if (harness) installHarness();
  const clusterSearch = harness ? "?cluster=inprocess" : search;
  // `?scenario=NAME` opens a built-in scenario; the guided panel says so when NAME is unknown.
  const asked = builtinFrom(search);
  // The first three nodes' workers start loading now, when they are the run the page opens.
  const pool =
    !inProcess(clusterSearch) && shareTokenFrom(hash) === null && asked.kind !== "found"
      ? new WorkerPool(FIRST_NODES.map((n) => n.name))
      : null;
  // A share link (`#share=v1.…`) opens its run, paused at its moment; a bad one, an empty playground.
  const shared = harness || shareTokenFrom(hash) === null ? null : await sharedScript(hash);

  const seed = seedFrom(search);
  const cluster = await createCluster(seed, clusterSearch, pool?.factory);
  const runtime = new Runtime(store, cluster, seed, (s) => createCluster(s, clusterSearch));
  if (harness) return runtime;
  const script =
    shared ??
    (asked.kind === "found" ? { text: asked.scenario.text, name: asked.scenario.name } : undefined);
  runtime.start(FIRST_NODES, script);
  if (shared !== null || !params.autoplay) runtime.setPaused(true);
  // A link pasted into the address bar of the open page.
  window.addEventListener("hashchange", () => openSharedLink(runtime));
  // In a frame, the host page hears `ready` once the run's first moment is in the store, so the
  // nodes `ready` names can take commands at once: a query runs after the run's loading.
  if (window.parent !== window)
    void runtime
      .traceEvents()
      .then(() => installEmbed(params, runtime, store, script?.name ?? null));
  return runtime;
}
