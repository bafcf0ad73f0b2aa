import { memo, useId } from "react";
import { useShallow } from "zustand/react/shallow";
import { playgroundStore, usePlayground } from "../store/store";
import { sentinelStatus } from "../topology/sentinelStatus";
import { Console } from "./Console";
import { ProcessActions } from "./ProcessActions";

/** The port a Sentinel listens on (redis-sentinel's default). */
const SENTINEL_PORT = 26379;

/**
 * One Sentinel: what it watches and how it judges it, the masters it
 * monitors as `SENTINEL MASTERS` would list them, and a console that answers
 * SENTINEL commands (`SENTINEL get-master-addr-by-name mymaster`). A Sentinel
 * has no dataset and no backlog.
 */
export const SentinelPanel = memo(function SentinelPanel({ name }: { name: string }) {
  const baseId = useId();
  const running = usePlayground((s) => s.nodes[name]?.running ?? false);
  const status = usePlayground(
    useShallow((s) => {
      const st = sentinelStatus(s.nodes[name], s.sentinels[name], (ip) => {
        return s.order.find((n) => s.nodes[n]?.ip === ip) ?? ip;
      });
      return { tone: st.tone, text: st.text, watching: st.watching };
    }),
  );
  const view = usePlayground((s) => s.sentinels[name]);
  const nameOf = (ip: string) => {
    const s = playgroundStore.getState();
    return s.order.find((n) => s.nodes[n]?.ip === ip) ?? ip;
  };

  return (
    <article
      id={`panel-${name}`}
      className={`card node-card role-sentinel${running ? "" : " is-down"}`}
      aria-labelledby={`${baseId}-title`}
      tabIndex={-1}
      data-testid={`node-panel-${name}`}
    >
      <header className="node-card-head">
        <h3 id={`${baseId}-title`}>
          <span className="role-mark role-sentinel" aria-hidden="true" />
          {name}
        </h3>
        <span className="badge role-badge role-sentinel" data-testid={`role-${name}`}>
          {running ? "sentinel" : "crashed"}
        </span>
        <span className={`badge status-badge tone-${status.tone}`} data-testid={`link-${name}`}>
          <span className="status-dot" aria-hidden="true" />
          {status.text}
        </span>
      </header>
      <dl className="facts">
        <div>
          <dt>watches</dt>
          <dd data-testid={`watches-${name}`}>{status.watching.replace(/^watches /, "") || "–"}</dd>
        </div>
        <div>
          <dt>epoch</dt>
          <dd className="num">{view?.currentEpoch ?? "–"}</dd>
        </div>
        <div>
          <dt>port</dt>
          <dd className="num">{SENTINEL_PORT}</dd>
        </div>
      </dl>
      <div className="actions">
        <ProcessActions name={name} running={running} />
      </div>
      {view && view.masters.length > 0 && (
        <ul
          className="monitors"
          aria-label={`Masters ${name} monitors`}
          data-testid={`monitors-${name}`}
        >
          {view.masters.map((m) => (
            <li key={m.group}>
              <strong>{m.group}</strong>: {nameOf(m.currentIp)}{" "}
              <span className="mono">{`${m.currentIp}:${m.currentPort}`}</span> · flags{" "}
              <span className="mono">{m.flags}</span> · quorum {m.quorum} · knows{" "}
              {m.replicas.length} replica{m.replicas.length === 1 ? "" : "s"} and{" "}
              {m.sentinels.length} other Sentinel
              {m.sentinels.length === 1 ? "" : "s"}
            </li>
          ))}
        </ul>
      )}
      <Console node={name} port={SENTINEL_PORT} sentinel />
    </article>
  );
});
