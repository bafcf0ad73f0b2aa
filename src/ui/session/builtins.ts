/** The built-in scenarios of `scenarios/`, bundled into the page as text. */
const FILES = import.meta.glob<string>("../../../scenarios/*.scenario", {
  query: "?raw",
  import: "default",
  eager: true,
});

export interface BuiltinScenario {
  /** The file name without `.scenario`: `first-full-sync`, as in `?scenario=first-full-sync`. */
  readonly name: string;
  /** Its `title` line. */
  readonly title: string;
  readonly text: string;
}

/** The lessons in the order a reader would take them; the others follow by name. */
const LESSONS = [
  "first-full-sync",
  "offset-counts",
  "partial-resync",
  "backlog-overflow",
  "ring-vs-blocks",
  "chain",
  "read-only-replicas",
  "promotion-psync2",
  "min-replicas-to-write",
  "slow-link-full-sync",
];

function byLesson(a: BuiltinScenario, b: BuiltinScenario): number {
  const rank = (s: BuiltinScenario) => {
    const i = LESSONS.indexOf(s.name);
    return i < 0 ? LESSONS.length : i;
  };
  // File names are ASCII: a plain comparison, not localeCompare, whose first call builds a
  // collator (a few dozen milliseconds on the page's way to its first run).
  return rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

export const BUILTINS: readonly BuiltinScenario[] = Object.entries(FILES)
  .map(([path, text]) => {
    const name = path.replace(/^.*\//, "").replace(/\.scenario$/, "");
    const title = /^title[ \t]+(.+)$/m.exec(text)?.[1]?.trim() ?? name;
    return { name, title, text };
  })
  .sort(byLesson);

export function builtin(name: string): BuiltinScenario | undefined {
  return BUILTINS.find((b) => b.name === name);
}

/** The built-in the page's address asks for (`?scenario=NAME`): found, unknown, or none asked. */
export function builtinFrom(
  search: string,
): { readonly kind: "none" } | { readonly kind: "unknown"; readonly name: string } | BuiltinFound {
  const name = new URLSearchParams(search).get("scenario");
  if (name === null || name === "") return { kind: "none" };
  const found = builtin(name);
  return found ? { kind: "found", scenario: found } : { kind: "unknown", name };
}

interface BuiltinFound {
  readonly kind: "found";
  readonly scenario: BuiltinScenario;
}
