import type { EmbedPanel } from "./embedParams";
import { DEFAULT_EMBED_PANELS } from "./embedParams";

export interface SnippetRequest {
  /** The playground's own address (any query or fragment is dropped). */
  readonly pageUrl: string;
  /** A built-in scenario's name, opened with `scenario=`. */
  readonly scenario: string | null;
  /** A share link's text (`v1.…`) for anything else: the reader's own script or actions. */
  readonly shareToken: string | null;
  readonly title: string;
  readonly panels: readonly EmbedPanel[];
  readonly heightPx: number;
}

/**
 * A ready `<iframe>` for a course page or a blog post. Every value is
 * escaped for an HTML attribute, so a scenario's title cannot break out of it.
 */
export function embedSnippet(r: SnippetRequest): string {
  const url = new URL(r.pageUrl);
  url.search = "";
  url.hash = "";
  url.searchParams.set("embed", "1");
  if (r.scenario !== null && r.shareToken === null) url.searchParams.set("scenario", r.scenario);
  const defaults = DEFAULT_EMBED_PANELS.join(",");
  if (r.panels.join(",") !== defaults) url.searchParams.set("panels", r.panels.join(","));
  if (r.shareToken !== null) url.hash = `share=${r.shareToken}`;
  const attrs: [string, string][] = [
    ["src", url.toString()],
    ["title", `Redis Replication Playground: ${r.title}`],
    ["width", "100%"],
    ["height", String(Math.round(r.heightPx))],
    ["style", "border: 0"],
    ["loading", "lazy"],
  ];
  return `<iframe ${attrs.map(([k, v]) => `${k}="${escapeAttribute(v)}"`).join(" ")}></iframe>`;
}

function escapeAttribute(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/"/g, "&quot;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}
