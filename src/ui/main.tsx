import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ActionsContext } from "./actionsContext";
import { App } from "./App";
import { FIRST_NODES, Runtime, createCluster, seedFrom } from "./runtime";
import { builtinFrom } from "./session/builtins";
import { playgroundStore } from "./store/store";
import "./styles.css";

async function boot(): Promise<void> {
  const search = window.location.search;
  // Only with ?harness=1: window.__playground for e2e/determinism.spec.ts, which runs scripts
  // on workers of its own; the page then starts no cluster, so it does not compete with them.
  const harness = new URLSearchParams(search).get("harness") === "1";
  if (harness) (await import("../host/harness")).installHarness();

  const seed = seedFrom(search);
  const clusterSearch = harness ? "?cluster=inprocess" : search;
  const cluster = await createCluster(seed, clusterSearch);
  const runtime = new Runtime(playgroundStore, cluster, seed, (s) =>
    createCluster(s, clusterSearch),
  );
  // `?scenario=NAME` opens a built-in scenario; the guided panel says so when NAME is unknown.
  const asked = builtinFrom(search);
  const script =
    asked.kind === "found" ? { text: asked.scenario.text, name: asked.scenario.name } : undefined;
  if (!harness) runtime.start(FIRST_NODES, script);

  const root = document.getElementById("root");
  if (!root) throw new Error("index.html has no #root");
  createRoot(root).render(
    <StrictMode>
      <ActionsContext.Provider value={runtime}>
        <App />
      </ActionsContext.Provider>
    </StrictMode>,
  );
}

void boot();
