import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import type { ReactNode } from "react";
import { ActionsContext } from "./actionsContext";
import { fullPageUrl, readPageParams } from "./embed/embedParams";
import type { PageParams } from "./embed/embedParams";
import { FIRST_NODES, Runtime, createCluster, seedFrom } from "./runtime";
import { builtinFrom } from "./session/builtins";
import { shareTokenFrom } from "./share/shareLink";
import { playgroundStore } from "./store/store";
import "./styles.css";

async function boot(): Promise<void> {
  const search = window.location.search;
  // Only with ?harness=1: window.__playground for e2e/determinism.spec.ts, which runs scripts
  // on workers of its own; the page then starts no cluster, so it does not compete with them.
  const harness = new URLSearchParams(search).get("harness") === "1";
  if (harness) (await import("../host/harness")).installHarness();

  const params = readPageParams(search);
  for (const w of params.warnings) console.warn(`Redis Replication Playground: ${w}.`);
  // A share link (`#share=v1.…`) opens its run, paused at its moment; a bad one, an empty playground.
  const shared =
    harness || shareTokenFrom(window.location.hash) === null
      ? null
      : await (await import("./share/openShared")).sharedScript(window.location.hash);

  const seed = seedFrom(search);
  const clusterSearch = harness ? "?cluster=inprocess" : search;
  const cluster = await createCluster(seed, clusterSearch);
  const runtime = new Runtime(playgroundStore, cluster, seed, (s) =>
    createCluster(s, clusterSearch),
  );
  // `?scenario=NAME` opens a built-in scenario; the guided panel says so when NAME is unknown.
  const asked = builtinFrom(search);
  const script =
    shared ??
    (asked.kind === "found" ? { text: asked.scenario.text, name: asked.scenario.name } : undefined);
  if (!harness) {
    runtime.start(FIRST_NODES, script);
    if (shared !== null || !params.autoplay) runtime.setPaused(true);
    // Loaded only when needed: a link pasted into the address bar, a host page around the frame.
    window.addEventListener("hashchange", () => {
      void import("./share/openShared").then((m) => m.openSharedLink(runtime));
    });
    if (window.parent !== window) {
      const { installEmbed } = await import("./embed/installEmbed");
      installEmbed(params, runtime, playgroundStore, script?.name ?? null);
    }
  }

  const root = document.getElementById("root");
  if (!root) throw new Error("index.html has no #root");
  createRoot(root).render(
    <StrictMode>
      <ActionsContext.Provider value={runtime}>{await view(params)}</ActionsContext.Provider>
    </StrictMode>,
  );
}

/** The full page, or only the playground for `?embed=1`: each loads its own code, so an embed stays small. */
async function view(params: PageParams): Promise<ReactNode> {
  if (params.embed) {
    const { EmbedApp } = await import("./embed/EmbedApp");
    return <EmbedApp params={params} fullPageUrl={fullPageUrl(window.location.href)} />;
  }
  const { App } = await import("./App");
  return <App />;
}

void boot();
