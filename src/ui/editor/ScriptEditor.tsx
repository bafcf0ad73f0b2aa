import { useEffect, useRef, useState } from "react";
import { parseScenario } from "../../scenario/parse";
import { useActions } from "../actionsContext";
import { actionLines } from "../script/actionScript";
import type { RecordedAction } from "../script/actionScript";
import type { ScriptError } from "../session/sessionState";
import { EDITED } from "../session/ScenarioPicker";
import { usePlayground } from "../store/store";

/** How long typing must pause before the script is parsed again. */
const PARSE_DEBOUNCE_MS = 250;

/**
 * The script of the run, editable: parse errors at their line and column as
 * one types, Run to replace the run with it. The reader's clicks are
 * appended to it as script lines, with the `advance` before each.
 */
export function ScriptEditor() {
  const text = usePlayground((s) => s.script.text);
  return (
    <details className="script-editor" data-testid="script-editor">
      <summary>Script editor</summary>
      {/* A new script starts a new draft. */}
      <EditorBody key={text} text={text} />
    </details>
  );
}

function EditorBody({ text }: { readonly text: string }) {
  const actions = useActions();
  const recorded = usePlayground((s) => s.actions);
  const doneAtUs = usePlayground((s) => s.script.doneAtUs);
  const [draft, setDraft] = useState(text);
  const [errors, setErrors] = useState<readonly ScriptError[]>([]);
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const appended = useRef<readonly RecordedAction[]>([]);

  // The reader's new actions become lines at the end of the draft. When the
  // run went back in time (fewer actions, or others), the draft is the script
  // with the actions of the moment shown.
  useEffect(() => {
    const before = appended.current;
    appended.current = recorded;
    const extends_ = before.every((a, i) => recorded[i]?.t === a.t && recorded[i]?.line === a.line);
    const fresh = extends_ ? recorded.slice(before.length) : recorded;
    if (extends_ && fresh.length === 0) return;
    const last = extends_ ? before[before.length - 1] : undefined;
    const lines = actionLines(fresh, last?.t ?? doneAtUs ?? fresh[0]?.t ?? 0);
    const tail = lines.length > 0 ? `${lines.join("\n")}\n` : "";
    setDraft((d) => `${(extends_ ? d : text).replace(/\n*$/, "\n")}${tail}`);
  }, [recorded, doneAtUs, text]);

  useEffect(() => {
    const timer = setTimeout(() => {
      const parsed = parseScenario(draft, "script");
      setErrors(
        parsed.ok
          ? []
          : parsed.errors.map(({ line, column, message }) => ({ line, column, message })),
      );
    }, PARSE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draft]);

  const goTo = (e: ScriptError) => {
    const el = area.current;
    if (!el) return;
    const lines = draft.split("\n");
    let offset = 0;
    for (let i = 0; i < e.line - 1 && i < lines.length; i++) offset += (lines[i]?.length ?? 0) + 1;
    offset += Math.max(0, e.column - 1);
    el.focus();
    el.setSelectionRange(offset, offset);
  };

  const lineCount = draft.split("\n").length;
  const bad = new Set(errors.map((e) => e.line));
  return (
    <>
      <div className="editor-frame">
        <div className="editor-gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => (
            <div key={i} className={bad.has(i + 1) ? "gutter-line bad" : "gutter-line"}>
              {i + 1}
            </div>
          ))}
        </div>
        <textarea
          ref={area}
          className="editor-text"
          value={draft}
          spellCheck={false}
          aria-label="Scenario script"
          aria-invalid={errors.length > 0}
          aria-describedby="editor-errors"
          data-testid="editor-text"
          onChange={(e) => setDraft(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
        />
      </div>
      <div id="editor-errors" className="editor-errors" aria-live="polite">
        {errors.length === 0 ? (
          <p className="editor-ok">The script parses.</p>
        ) : (
          <ul>
            {errors.slice(0, 8).map((e, i) => (
              <li key={i}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => goTo(e)}
                  data-testid="editor-error"
                >
                  Line {e.line}, column {e.column}
                </button>
                : {e.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="editor-buttons">
        <button
          type="button"
          className="button primary"
          disabled={errors.length > 0}
          onClick={() => actions.loadScript(draft, { name: EDITED, autoplay: true })}
          data-testid="editor-run"
        >
          Run
        </button>
        <button type="button" className="button" onClick={() => setDraft(text)}>
          Revert
        </button>
      </div>
    </>
  );
}
