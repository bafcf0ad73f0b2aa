import { useEffect, useId, useRef, useState } from "react";
import { useActions } from "../actionsContext";
import { usePath } from "./usePath";
import { pairKey } from "../store/state";
import { usePlayground } from "../store/store";
import type { LinkMenuRequest } from "./Edge";

/** The longest one-way latency the menu accepts: longer than any Redis timeout worth watching. */
const MAX_LATENCY_MS = 60_000;
const MENU_WIDTH = 260;

/**
 * The menu of a link between two processes: cut or heal it, reset its
 * connections, and set its latency and bandwidth (a `link A B latency …
 * bandwidth …` line). Opened from the link's ⋯ button; Escape closes it and
 * gives the focus back to that button.
 */
export function LinkMenu({ request, onClose }: { request: LinkMenuRequest; onClose: () => void }) {
  const { a, b } = request;
  const actions = useActions();
  const id = useId();
  const cut = usePlayground((s) => s.cuts.includes(pairKey(a, b)));
  const { path } = usePath(a, b);
  const [latency, setLatency] = useState(String(path.latencyUs / 1000));
  const [bandwidth, setBandwidth] = useState(
    path.bandwidthBytesPerSec > 0 ? String(path.bandwidthBytesPerSec / 1000) : "",
  );
  const [problem, setProblem] = useState<string | null>(null);
  const firstRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    firstRef.current?.focus({ preventScroll: true });
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const apply = () => {
    const latencyMs = Number(latency);
    if (latency.trim() === "" || !Number.isFinite(latencyMs) || latencyMs <= 0) {
      setProblem(`Latency must be a number of milliseconds above 0 (got '${latency}').`);
      return;
    }
    if (latencyMs > MAX_LATENCY_MS) {
      setProblem(`Latency must be at most ${MAX_LATENCY_MS} ms.`);
      return;
    }
    const kBps = bandwidth.trim() === "" ? 0 : Number(bandwidth);
    if (!Number.isFinite(kBps) || kBps < 0) {
      setProblem(`Bandwidth must be kB per second, or empty for unlimited (got '${bandwidth}').`);
      return;
    }
    setProblem(null);
    actions.fault({
      kind: "link",
      a,
      b,
      settings: {
        latencyUs: Math.round(latencyMs * 1000),
        // The menu has no field for jitter: a `link … jitter` line's stays.
        jitterUs: path.jitterUs,
        bandwidthBytesPerSec: Math.round(kBps * 1000),
      },
    });
    onClose();
  };

  return (
    <div
      className="link-menu"
      role="dialog"
      aria-labelledby={`${id}-title`}
      // Centred under its button, kept inside the frame on a narrow screen.
      style={{
        left: `clamp(0px, calc(${request.x}px - ${MENU_WIDTH / 2}px), calc(100% - ${MENU_WIDTH}px))`,
        top: request.y + 14,
        width: MENU_WIDTH,
      }}
      data-testid="link-menu"
    >
      <div className="inspector-head">
        <strong id={`${id}-title`}>
          Link {a} ⇄ {b}
        </strong>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <div className="link-menu-actions">
        <button
          ref={firstRef}
          type="button"
          className="button"
          aria-pressed={cut}
          onClick={() => {
            actions.fault(cut ? { kind: "heal", a, b } : { kind: "cut", a, b });
            onClose();
          }}
        >
          {cut ? "Heal" : "Cut"}
        </button>
        <button
          type="button"
          className="button"
          title={`Close every TCP connection between ${a} and ${b}, as a reset does`}
          onClick={() => {
            actions.fault({ kind: "reset", a, b });
            onClose();
          }}
        >
          Reset connections
        </button>
      </div>
      <form
        className="link-menu-form"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <label className="field">
          <span>Latency (ms, one way)</span>
          <input
            className="text-input"
            inputMode="decimal"
            value={latency}
            onChange={(e) => setLatency(e.target.value)}
            aria-invalid={problem?.startsWith("Latency") ?? false}
          />
        </label>
        <label className="field">
          <span>Bandwidth (kB/s, empty: unlimited)</span>
          <input
            className="text-input"
            inputMode="decimal"
            value={bandwidth}
            onChange={(e) => setBandwidth(e.target.value)}
            aria-invalid={problem?.startsWith("Bandwidth") ?? false}
          />
        </label>
        {problem && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="button primary">
          Apply
        </button>
      </form>
    </div>
  );
}
