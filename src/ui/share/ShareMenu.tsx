import { useEffect, useId, useRef, useState } from "react";
import { useActions } from "../actionsContext";
import { ExportPanel } from "../export/ExportPanel";
import { EMBED_PANELS } from "../embed/embedParams";
import type { EmbedPanel } from "../embed/embedParams";
import { embedSnippet } from "../embed/embedSnippet";
import { playgroundStore } from "../store/store";
import { builtinText } from "./builtinText";
import { encodeShare, shareUrl } from "./shareLink";
import { sharedRunOf } from "./sharedRun";

type Open = "share" | "embed" | "export" | null;

/**
 * Share, Embed and Export in the page's header. Share makes a link to the
 * view shown now; Embed makes an `<iframe>` for the scenario; Export
 * downloads the scenario, the trace and the diagram. Each copies to the
 * clipboard when the browser lets it, and always shows the text in a field.
 */
export function ShareMenu() {
  const [open, setOpen] = useState<Open>(null);
  const toggle = (which: Exclude<Open, null>) => setOpen((o) => (o === which ? null : which));
  return (
    <div className="share-menu">
      <div className="share-buttons" role="group" aria-label="Share, embed and export">
        {(["share", "embed", "export"] as const).map((which) => (
          <button
            key={which}
            type="button"
            className="button"
            aria-expanded={open === which}
            aria-controls={`share-panel-${which}`}
            onClick={() => toggle(which)}
            data-testid={`${which}-button`}
          >
            {which === "share" ? "Share" : which === "embed" ? "Embed" : "Export"}
          </button>
        ))}
      </div>
      {open !== null && (
        <div
          className="card share-panel"
          id={`share-panel-${open}`}
          role="region"
          aria-label={open === "share" ? "Share link" : open === "embed" ? "Embed" : "Export"}
        >
          {open === "share" && <SharePanel />}
          {open === "embed" && <EmbedPanel />}
          {open === "export" && <ExportPanel />}
          <button
            type="button"
            className="button share-close"
            onClick={() => setOpen(null)}
            aria-label="Close"
          >
            ×
          </button>
        </div>
      )}
    </div>
  );
}

/** The link to what the page shows now, made when the panel opens. */
function SharePanel() {
  const actions = useActions();
  const [link, setLink] = useState<string | null>(null);
  // Actions taken before the script's own lines had all run are replayed after its end.
  const [early] = useState(() => {
    const s = playgroundStore.getState();
    return s.actions.length > 0 && s.script.doneAtUs === null;
  });
  useEffect(() => {
    let live = true;
    const run = sharedRunOf(playgroundStore.getState(), actions.nextPresses());
    void encodeShare(run, builtinText).then((token) => {
      if (live) setLink(shareUrl(window.location.href, token));
    });
    return () => {
      live = false;
    };
  }, [actions]);
  return (
    <CopyField
      label="Link to this view"
      text={link}
      note={(n) =>
        `${n} characters: the script, your actions, the seed and the moment shown. Whoever opens it sees this run at this moment, paused.` +
        (early
          ? " The script had not finished when you acted: the link replays your actions after its end, so the view it opens may differ."
          : "")
      }
      testId="share-link"
    />
  );
}

/** An `<iframe>` snippet for the scenario, with the panels the reader ticks. */
function EmbedPanel() {
  const actions = useActions();
  const [panels, setPanels] = useState<readonly EmbedPanel[]>(["narration"]);
  const [snippet, setSnippet] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const state = playgroundStore.getState();
    const run = sharedRunOf(state, actions.nextPresses());
    const plainBuiltin =
      run.name !== null && run.actions.length === 0 && builtinText(run.name) === run.script;
    const make = (token: string | null) =>
      embedSnippet({
        pageUrl: window.location.href,
        scenario: plainBuiltin ? run.name : null,
        shareToken: token,
        title: state.script.title ?? run.name ?? "a session",
        panels,
        heightPx: 520 + panels.length * 160,
      });
    // A built-in opens by name; anything else travels as a share link, from the start of the run.
    const token = plainBuiltin ? null : encodeShare({ ...run, positionUs: 0 }, builtinText);
    void Promise.resolve(token).then((t) => {
      if (live) setSnippet(make(t));
    });
    return () => {
      live = false;
    };
  }, [actions, panels]);
  const toggle = (p: EmbedPanel) =>
    setPanels((ps) => (ps.includes(p) ? ps.filter((x) => x !== p) : [...ps, p]));
  return (
    <>
      <fieldset className="embed-panels">
        <legend>Panels under the diagram</legend>
        {EMBED_PANELS.map((p) => (
          <label key={p} className="inline-field">
            <input type="checkbox" checked={panels.includes(p)} onChange={() => toggle(p)} />
            {p}
          </label>
        ))}
      </fieldset>
      <CopyField
        label="HTML to paste into your page"
        text={snippet}
        note={() =>
          "The embed reports its height to your page and can be driven by postMessage: see docs/embedding.md."
        }
        testId="embed-snippet"
        multiline
      />
    </>
  );
}

/**
 * A read-only field holding `text`, copied to the clipboard once it is
 * ready; when the clipboard is refused (no permission, not a secure page),
 * it says so and selects the text for the reader to copy.
 */
function CopyField({
  label,
  text,
  note,
  testId,
  multiline = false,
}: {
  label: string;
  text: string | null;
  note: (length: number) => string;
  testId: string;
  multiline?: boolean;
}) {
  const id = useId();
  const fieldRef = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [status, setStatus] = useState<CopyStatus>("copying");
  const copy = (value: string) => copyText(value, fieldRef.current, setStatus);
  useEffect(() => {
    if (text !== null) copyText(text, fieldRef.current, setStatus);
  }, [text]);
  if (text === null) return <p className="muted">Making it…</p>;
  const Field = multiline ? "textarea" : "input";
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <Field
          id={id}
          ref={fieldRef}
          className="copy-text"
          readOnly
          value={text}
          rows={multiline ? 4 : undefined}
          onFocus={(e) => e.currentTarget.select()}
          data-testid={testId}
        />
        <button type="button" className="button" onClick={() => copy(text)}>
          Copy
        </button>
      </div>
      <p className="copy-status" role="status" data-testid={`${testId}-status`}>
        {status === "copied"
          ? "Copied to the clipboard."
          : status === "manual"
            ? "The browser did not let the page copy: the text is selected, copy it with Ctrl+C or ⌘C."
            : ""}
      </p>
      <p className="muted copy-note">{note(text.length)}</p>
    </div>
  );
}

type CopyStatus = "copying" | "copied" | "manual";

/** Copies to the clipboard, or selects the field's text for the reader when the browser refuses. */
function copyText(
  value: string,
  field: HTMLInputElement | HTMLTextAreaElement | null,
  setStatus: (s: CopyStatus) => void,
): void {
  const select = () => {
    setStatus("manual");
    field?.focus();
    field?.select();
  };
  // Undefined outside secure contexts (an http:// course server), whatever the types say.
  const clipboard = navigator.clipboard as Clipboard | undefined;
  if (!clipboard) {
    select();
    return;
  }
  clipboard.writeText(value).then(() => setStatus("copied"), select);
}
