import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import type { ReactNode } from "react";
import { ActionsContext } from "./actionsContext";
import { DeferredActions } from "./deferredActions";
import { fullPageUrl, readPageParams } from "./embed/embedParams";
import type { PageParams } from "./embed/embedParams";
import { playgroundStore } from "./store/store";
import "./styles.css";

function boot(): void {
  // The simulator's code is asked for first, so it loads alongside the page's, never after it;
  // the first render does not wait for it (issue 9: the embed's load budget).
  const simulator = import("./startRuntime");
  const search = window.location.search;
  // ?harness=1: the page is a harness for e2e/determinism.spec.ts (src/ui/startRuntime.ts).
  const harness = new URLSearchParams(search).get("harness") === "1";
  const params = readPageParams(search);
  for (const w of params.warnings) console.warn(`Redis Replication Playground: ${w}.`);
  const actions = new DeferredActions();
  // Until the runtime starts, the controls show the run as it will start (`?autoplay=0`: paused).
  playgroundStore.setState({ paused: !params.autoplay });
  const hash = window.location.hash;
  void render(params, actions);

  void simulator
    .then(({ startRuntime }) => startRuntime(playgroundStore, { search, hash, params, harness }))
    .then(
      (runtime) => actions.attach(runtime),
      (e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        playgroundStore.setState({ error: `the simulator did not start (${message})` });
      },
    );
}

async function render(params: PageParams, actions: DeferredActions): Promise<void> {
  const root = document.getElementById("root");
  if (!root) throw new Error("index.html has no #root");
  createRoot(root).render(
    <StrictMode>
      <ActionsContext.Provider value={actions}>{await view(params)}</ActionsContext.Provider>
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

boot();
