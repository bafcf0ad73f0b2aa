import { memo, useId } from "react";
import { useActions } from "../actionsContext";
import { Console } from "../nodes/Console";
import { usePlayground } from "../store/store";

/**
 * One application client: what the ledger says of its writes, and a console
 * whose commands it routes as the script's `NAME>` lines are routed (writes to
 * the master Sentinel names, reads as configured). It has no dataset.
 */
export const ClientPanel = memo(function ClientPanel({ name }: { name: string }) {
  const actions = useActions();
  const baseId = useId();
  const running = usePlayground((s) => s.nodes[name]?.running ?? false);
  const ip = usePlayground((s) => s.nodes[name]?.ip ?? "");
  const acked = usePlayground((s) => s.ledger.entries.filter((e) => e.client === name).length);
  const lost = usePlayground(
    (s) => s.ledger.entries.filter((e) => e.client === name && e.lost !== null).length,
  );
  const stale = usePlayground((s) => s.ledger.stale.filter((r) => r.client === name).length);
  return (
    <article
      id={`panel-${name}`}
      className={`card node-card role-client${running ? "" : " is-down"}`}
      aria-labelledby={`${baseId}-title`}
      tabIndex={-1}
      data-testid={`node-panel-${name}`}
    >
      <header className="node-card-head">
        <h3 id={`${baseId}-title`}>
          <span className="role-mark role-client" aria-hidden="true" />
          {name}
        </h3>
        <span className="badge role-badge role-client" data-testid={`role-${name}`}>
          {running ? "client" : "crashed"}
        </span>
        <span
          className={`badge status-badge tone-${lost > 0 ? "bad" : "ok"}`}
          data-testid={`link-${name}`}
        >
          <span className="status-dot" aria-hidden="true" />
          {lost > 0 ? `${lost} lost` : "nothing lost"}
        </span>
      </header>
      <dl className="facts">
        <div>
          <dt>address</dt>
          <dd className="mono">{ip}</dd>
        </div>
        <div>
          <dt>acknowledged</dt>
          <dd className="num">{acked}</dd>
        </div>
        <div>
          <dt>stale reads</dt>
          <dd className="num">{stale}</dd>
        </div>
      </dl>
      <div className="actions">
        {running ? (
          <button
            type="button"
            className="button danger"
            onClick={() => actions.fault({ kind: "crash", node: name })}
          >
            Crash
          </button>
        ) : (
          <button
            type="button"
            className="button"
            onClick={() => actions.fault({ kind: "restart", node: name })}
          >
            Restart
          </button>
        )}
        <button
          type="button"
          className="button"
          title="Crash it and hide it from the page (recorded as a crash line)"
          onClick={() => actions.removeNode(name)}
        >
          Remove
        </button>
      </div>
      <Console node={name} />
    </article>
  );
});
