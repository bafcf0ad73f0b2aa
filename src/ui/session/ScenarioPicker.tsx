import { useMemo } from "react";
import { useActions } from "../actionsContext";
import { FIRST_NODES, NODE_CONFIG } from "../pageDefaults";
import { setupScript } from "../script/actionScript";
import { usePlayground } from "../store/store";
import { BUILTINS, builtinFrom } from "./builtins";

const DEFAULT = "";
/** The name a script run from the editor carries. */
export const EDITED = "edited";

/** Chooses a built-in scenario (or the default three nodes) and notes it in the address (`?scenario=`). */
export function ScenarioPicker() {
  const actions = useActions();
  const name = usePlayground((s) => s.script.name);
  const seed = usePlayground((s) => s.seed);
  const unknown = useMemo(() => {
    const asked = builtinFrom(window.location.search);
    return asked.kind === "unknown" ? asked.name : null;
  }, []);
  const choose = (value: string) => {
    const url = new URL(window.location.href);
    const found = BUILTINS.find((b) => b.name === value);
    if (found) {
      url.searchParams.set("scenario", found.name);
      actions.loadScript(found.text, { name: found.name, autoplay: true });
    } else {
      url.searchParams.delete("scenario");
      actions.loadScript(setupScript({ seed, config: NODE_CONFIG, nodes: FIRST_NODES }));
    }
    window.history.replaceState(null, "", url);
  };
  const builtinShown = BUILTINS.some((b) => b.name === name);
  const selected = builtinShown ? (name ?? DEFAULT) : name !== null ? EDITED : DEFAULT;
  return (
    <div className="scenario-picker">
      <label className="inline-field">
        <span className="sr-only">Scenario</span>
        <select
          className="button select"
          value={selected}
          onChange={(e) => choose(e.target.value)}
          data-testid="scenario-picker"
        >
          <option value={DEFAULT}>Three nodes (your own run)</option>
          {selected === EDITED && (
            <option value={EDITED} disabled>
              Your script
            </option>
          )}
          {BUILTINS.map((b) => (
            <option key={b.name} value={b.name}>
              {b.title}
            </option>
          ))}
        </select>
      </label>
      {unknown !== null && (
        <p className="picker-notice" role="status">
          There is no built-in scenario named “{unknown}”: the page runs three nodes instead.
        </p>
      )}
    </div>
  );
}
