/**
 * What the page's address asks of it when it is embedded: `?embed=1` shows
 * only the playground, `panels=` adds panels, `scenario=` opens a built-in,
 * `autoplay=0` waits for a click, `origin=` pins the host page's origin for
 * the postMessage API (docs/embedding.md).
 */

/** The panels an embed can show under the diagram and its controls. */
export const EMBED_PANELS = ["narration", "ring", "console", "log", "chart", "timeline"] as const;
export type EmbedPanel = (typeof EMBED_PANELS)[number];

/** Panels shown when `panels=` is absent: the guided narration only. */
export const DEFAULT_EMBED_PANELS: readonly EmbedPanel[] = ["narration"];

export interface PageParams {
  /** `embed=1`: only the playground, no page around it. */
  readonly embed: boolean;
  /** The panels to show, in the order the address named them. */
  readonly panels: readonly EmbedPanel[];
  /** `scenario=NAME`: a built-in scenario to open. */
  readonly scenario: string | null;
  /** False for `autoplay=0`: the run waits for a click (or a `play` message). */
  readonly autoplay: boolean;
  /** `origin=https://host.example`: the only origin whose messages are obeyed and to which events go. */
  readonly origin: string | null;
  /** What in the address was not understood, one sentence each (the page warns in the console). */
  readonly warnings: readonly string[];
}

const PANEL_SET: ReadonlySet<string> = new Set(EMBED_PANELS);

/** Reads the page's query string; never throws, and says what it ignored. */
export function readPageParams(search: string): PageParams {
  const q = new URLSearchParams(search);
  const warnings: string[] = [];

  const embedText = q.get("embed");
  const embed = embedText === "1" || embedText === "true";
  if (embedText !== null && !embed && embedText !== "0" && embedText !== "false")
    warnings.push(`embed=${embedText} is not 1 or 0; showing the whole page`);

  let panels: readonly EmbedPanel[] = DEFAULT_EMBED_PANELS;
  const panelsText = q.get("panels");
  if (panelsText !== null) {
    const chosen: EmbedPanel[] = [];
    for (const word of panelsText.split(",").map((w) => w.trim())) {
      if (word === "") continue;
      if (!PANEL_SET.has(word)) {
        warnings.push(`panels: "${word}" is not a panel (known: ${EMBED_PANELS.join(", ")})`);
      } else if (!chosen.includes(word as EmbedPanel)) {
        chosen.push(word as EmbedPanel);
      }
    }
    panels = chosen;
  }

  const scenario = q.get("scenario");
  const autoplayText = q.get("autoplay");
  const autoplay = !(autoplayText === "0" || autoplayText === "false");
  if (autoplayText !== null && autoplay && autoplayText !== "1" && autoplayText !== "true")
    warnings.push(`autoplay=${autoplayText} is not 1 or 0; playing at once`);

  let origin: string | null = null;
  const originText = q.get("origin");
  if (originText !== null) {
    origin = originOf(originText);
    if (origin === null)
      warnings.push(
        `origin=${originText} is not an origin like https://example.org; messages from any parent are obeyed`,
      );
  }

  return {
    embed,
    panels,
    scenario: scenario === null || scenario === "" ? null : scenario,
    autoplay,
    origin,
    warnings,
  };
}

/** The origin of an http(s) address given as an origin, or null. */
function originOf(text: string): string | null {
  try {
    const url = new URL(text);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    return url.origin === text.replace(/\/$/, "") ? url.origin : null;
  } catch {
    return null;
  }
}

/** The same view as the full page: the address without the embed's own parameters. */
export function fullPageUrl(href: string): string {
  const url = new URL(href);
  for (const key of ["embed", "panels", "autoplay", "origin"]) url.searchParams.delete(key);
  return url.toString();
}
