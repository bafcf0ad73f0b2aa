import type { PlaygroundActions } from "../runtime";
import { BUILTINS } from "../session/builtins";
import { builtinText } from "../share/builtinText";
import type { PlaygroundStore } from "../store/store";
import { EmbedBridge } from "./bridge";
import type { PageParams } from "./embedParams";

/**
 * Starts the postMessage API when the page runs in a frame (docs/embedding.md),
 * and reports the content's height to the parent whenever it changes.
 * Returns null in a top-level window: there is no host page to talk to.
 */
export function installEmbed(
  params: PageParams,
  actions: PlaygroundActions,
  store: PlaygroundStore,
  scenario: string | null,
): EmbedBridge | null {
  if (window.parent === window) return null;
  const bridge = new EmbedBridge({
    win: window,
    origin: params.origin,
    actions,
    store,
    library: { names: () => BUILTINS.map((b) => b.name), text: builtinText },
    warn: (text) => console.warn(text),
  });
  bridge.start(scenario);
  const measure = () => bridge.reportHeight(document.body.getBoundingClientRect().height);
  new ResizeObserver(measure).observe(document.body);
  measure();
  return bridge;
}
