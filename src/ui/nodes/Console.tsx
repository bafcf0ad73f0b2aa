import { memo, useRef, useState } from "react";
import type { FormEvent, KeyboardEvent } from "react";
import { useActions } from "../actionsContext";
import { useStickToBottom } from "../lists/useStickToBottom";
import { usePlayground } from "../store/store";

const HISTORY_LIMIT = 100;
const EMPTY: readonly never[] = [];

/**
 * A redis-cli for one node: type a command, Enter sends it; Up and Down walk
 * the history; replies print exactly as redis-cli prints them. The output is
 * an aria-live log, so screen readers read each reply as it arrives.
 */
export const Console = memo(function Console({
  node,
  port = 6379,
  sentinel = false,
}: {
  node: string;
  port?: number;
  /** A Sentinel's console suggests SENTINEL commands. */
  sentinel?: boolean;
}) {
  const actions = useActions();
  const lines = usePlayground((s) => s.consoles[node]?.lines ?? EMPTY);
  const pending = usePlayground((s) => (s.consoles[node]?.pending ?? 0) > 0);
  const paused = usePlayground((s) => s.paused);
  const [input, setInput] = useState("");
  const history = useRef<string[]>([]);
  const cursor = useRef<number | null>(null);
  const draft = useRef("");
  const output = useStickToBottom<HTMLDivElement>(lines);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const line = input;
    if (line.trim() !== "") {
      const h = history.current;
      if (h[h.length - 1] !== line) h.push(line);
      if (h.length > HISTORY_LIMIT) h.shift();
    }
    cursor.current = null;
    output.follow();
    setInput("");
    actions.submitLine(node, line);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const h = history.current;
    if (e.key === "ArrowUp" && h.length > 0) {
      e.preventDefault();
      if (cursor.current === null) {
        draft.current = input;
        cursor.current = h.length - 1;
      } else {
        cursor.current = Math.max(0, cursor.current - 1);
      }
      setInput(h[cursor.current] ?? "");
    } else if (e.key === "ArrowDown" && cursor.current !== null) {
      e.preventDefault();
      const next = cursor.current + 1;
      if (next >= h.length) {
        cursor.current = null;
        setInput(draft.current);
      } else {
        cursor.current = next;
        setInput(h[next] ?? "");
      }
    } else if (e.key === "l" && e.ctrlKey) {
      e.preventDefault();
      actions.submitLine(node, "clear");
    }
  };

  const prompt = `${node}:${port}>`;
  const inputId = `console-input-${node}`;
  return (
    <div className="console" data-testid={`console-${node}`}>
      <div
        ref={output.ref}
        onScroll={output.onScroll}
        className="console-output"
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        aria-label={`${node} console output`}
        tabIndex={0}
      >
        <ol className="console-lines">
          {lines.length === 0 && (
            <li className="console-hint" aria-hidden="true">
              {sentinel ? (
                <>
                  Try <code>SENTINEL masters</code>,{" "}
                  <code>SENTINEL get-master-addr-by-name mymaster</code> or{" "}
                  <code>INFO sentinel</code>.
                </>
              ) : (
                <>
                  Try <code>SET k v</code>, <code>GET k</code>, <code>INFO replication</code> or{" "}
                  <code>ROLE</code>.
                </>
              )}
            </li>
          )}
          {lines.map((l) =>
            l.kind === "input" ? (
              <li key={l.id} className="console-line is-input">
                <span className="prompt" aria-hidden="true">
                  {prompt}{" "}
                </span>
                {l.text}
              </li>
            ) : (
              <li key={l.id} className={`console-line is-${l.kind}`} data-testid="console-reply">
                {l.text}
              </li>
            ),
          )}
          {pending && (
            <li className="console-line is-pending" aria-hidden="true">
              {paused ? "waiting: time is paused" : "…"}
            </li>
          )}
        </ol>
      </div>
      <form className="console-form" onSubmit={submit}>
        <label htmlFor={inputId} className="prompt">
          {prompt}
          <span className="sr-only"> command for {node}</span>
        </label>
        <input
          id={inputId}
          className="console-input"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          onKeyDown={onKeyDown}
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          enterKeyHint="send"
          data-testid={`console-input-${node}`}
        />
      </form>
    </div>
  );
});
