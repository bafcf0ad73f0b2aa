import { memo, useId, useRef, useState } from "react";
import type { KeyboardEvent } from "react";
import { useShallow } from "zustand/react/shallow";
import { useActions } from "../actionsContext";
import { masterOf, masterLinkCut } from "../store/selectors";
import { usePlayground } from "../store/store";
import { linkStatus } from "../topology/linkStatus";
import { Console } from "./Console";
import { KeysTable } from "./KeysTable";
import { RdbFile } from "./RdbFile";
import { formatBytes } from "../format/bytes";
import { ProcessActions } from "./ProcessActions";
import { SentinelPanel } from "./SentinelPanel";
import { ClientPanel } from "../ledger/ClientPanel";
import { settingsText } from "../topology/Edge";
import { KeptPanel } from "../tabs/KeptPanel";
import { usePath } from "../topology/usePath";

const TABS = [
  { id: "console", label: "Console" },
  { id: "keys", label: "Keys" },
  { id: "info", label: "INFO" },
] as const;
type TabId = (typeof TABS)[number]["id"];

/** One process's panel: a Sentinel's, an application client's, or a redis-server's. */
export const NodePanel = memo(function NodePanel({ name }: { name: string }) {
  const kind = usePlayground((s) => s.nodes[name]?.kind);
  if (kind === "client") return <ClientPanel name={name} />;
  return kind === "sentinel" ? <SentinelPanel name={name} /> : <ServerPanel name={name} />;
});

/**
 * One redis-server: its role, offset and link in words, the actions that
 * break or mend it, and tabs for its console, keyspace and `INFO replication`.
 * It draws again whenever the node's offset moves (a few times a second under
 * load); its parts are memoised so that only the figures change, not the
 * console, the keys or the buttons (React rewrites an input's name and type
 * each time it renders one).
 */
const ServerPanel = memo(function ServerPanel({ name }: { name: string }) {
  const [tab, setTab] = useState<TabId>("console");
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const baseId = useId();
  const s = usePlayground(
    useShallow((st) => {
      const view = st.views[name];
      const meta = st.nodes[name];
      const cut = masterLinkCut(st, name);
      const status = linkStatus(meta, view, cut);
      return {
        running: meta?.running ?? false,
        role: view?.role ?? meta?.role ?? "master",
        offset: view?.masterReplOffset ?? 0,
        dbsize: view?.dbsize ?? 0,
        replId: view?.replId ?? "",
        replId2: view?.replId2 ?? "",
        secondReplOffset: view?.secondReplOffset ?? -1,
        replicas: view?.replicas.length ?? 0,
        replicasOnline: view?.replicas.filter((r) => r.state === "online").length ?? 0,
        master: masterOf(st, name),
        cut,
        tone: status.tone,
        statusText: status.text,
      };
    }),
  );

  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const delta = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (delta === 0) return;
    e.preventDefault();
    const next = (index + delta + TABS.length) % TABS.length;
    const t = TABS[next];
    if (t) setTab(t.id);
    tabRefs.current[next]?.focus();
  };

  const roleText = s.role === "master" ? "master" : "replica";
  return (
    <article
      id={`panel-${name}`}
      className={`card node-card role-${s.role}${s.running ? "" : " is-down"}`}
      aria-labelledby={`${baseId}-title`}
      tabIndex={-1}
      data-testid={`node-panel-${name}`}
    >
      <header className="node-card-head">
        <h3 id={`${baseId}-title`}>
          <span className={`role-mark role-${s.role}`} aria-hidden="true" />
          {name}
        </h3>
        <span className={`badge role-badge role-${s.role}`} data-testid={`role-${name}`}>
          {s.running ? roleText : "crashed"}
        </span>
        <span className={`badge status-badge tone-${s.tone}`} data-testid={`link-${name}`}>
          <span className="status-dot" aria-hidden="true" />
          {s.statusText}
        </span>
      </header>
      <dl className="facts">
        <div>
          <dt>offset</dt>
          <dd className="num" data-testid={`offset-${name}`}>
            {s.offset}
          </dd>
        </div>
        <div>
          <dt>keys</dt>
          <dd className="num" data-testid={`dbsize-${name}`}>
            {s.dbsize}
          </dd>
        </div>
        <div>
          <dt>{s.role === "master" ? "replicas online" : "replica of"}</dt>
          <dd className={s.role === "master" ? "num" : undefined} data-testid={`master-of-${name}`}>
            {s.role === "master" ? `${s.replicasOnline}/${s.replicas}` : (s.master ?? "?")}
          </dd>
        </div>
      </dl>
      <p className="ids mono">
        <span title={`master_replid ${s.replId}`} data-testid={`replid-${name}`}>
          <span className="id-label">replid</span> {s.replId.slice(0, 8)}…
        </span>
        <span
          title={`master_replid2 ${s.replId2}, valid up to second_repl_offset ${s.secondReplOffset}`}
          data-testid={`replid2-${name}`}
        >
          <span className="id-label">replid2</span>{" "}
          {/^0+$/.test(s.replId2) || s.replId2 === ""
            ? "none"
            : `${s.replId2.slice(0, 8)}… ≤ ${s.secondReplOffset}`}
        </span>
      </p>
      <SyncProgress name={name} />
      <NodeActions name={name} running={s.running} role={s.role} master={s.master} cut={s.cut} />
      <div className="tabs" role="tablist" aria-label={`${name} views`}>
        {TABS.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${baseId}-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`${baseId}-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className="tab"
            onClick={() => setTab(t.id)}
            onKeyDown={(e) => onTabKey(e, i)}
          >
            {t.label}
            {t.id === "keys" && <span className="tab-count">{s.dbsize}</span>}
          </button>
        ))}
      </div>
      {TABS.map((t) => (
        <div
          key={t.id}
          role="tabpanel"
          id={`${baseId}-panel-${t.id}`}
          aria-labelledby={`${baseId}-tab-${t.id}`}
          className="tab-panel"
          hidden={tab !== t.id}
        >
          <KeptPanel shown={tab === t.id}>
            {t.id === "console" && <Console node={name} />}
            {t.id === "keys" && <KeysTable node={name} />}
            {t.id === "info" && <InfoReplication node={name} />}
          </KeptPanel>
        </div>
      ))}
    </article>
  );
});

/** A full sync on its way to this node: how many bytes of the RDB have arrived. */
const SyncProgress = memo(function SyncProgress({ name }: { name: string }) {
  const rdb = usePlayground(
    useShallow((s) => {
      const p = s.packets.find((q) => q.to === name && q.kind === "rdb");
      return p ? { from: p.from, delivered: p.deliveredBytes, size: p.sizeBytes } : null;
    }),
  );
  if (!rdb) return null;
  const text = `Full sync from ${rdb.from}: ${formatBytes(rdb.delivered)} of ${formatBytes(rdb.size)} received`;
  return (
    <div className="sync-progress" data-testid={`sync-progress-${name}`}>
      <progress max={rdb.size} value={rdb.delivered} aria-label={text} />
      <span>{text}</span>
    </div>
  );
});

const InfoReplication = memo(function InfoReplication({ node }: { node: string }) {
  const text = usePlayground((s) => s.views[node]?.infoReplication ?? "");
  return (
    <pre
      className="info"
      tabIndex={0}
      aria-label={`INFO replication of ${node}`}
      data-testid={`info-${node}`}
    >
      {text.trimEnd()}
    </pre>
  );
});

interface NodeActionsProps {
  readonly name: string;
  readonly running: boolean;
  readonly role: "master" | "slave";
  readonly master: string | null;
  readonly cut: boolean;
}

let writeCounter = 0;

/** The break-it buttons of one node. Every one of them is a real command or fault. */
const NodeActions = memo(function NodeActions({
  name,
  running,
  role,
  master,
  cut,
}: NodeActionsProps) {
  const actions = useActions();
  const targets = usePlayground(
    useShallow((s) =>
      s.order.filter(
        (n) => n !== name && n !== master && s.nodes[n]?.running && s.nodes[n]?.kind !== "sentinel",
      ),
    ),
  );
  if (!running) {
    return (
      <div className="actions">
        <ProcessActions name={name} running={false} />
      </div>
    );
  }
  return (
    <div className="actions">
      {role === "master" ? (
        <>
          <button
            type="button"
            className="button primary"
            onClick={() => {
              writeCounter++;
              actions.runCommand(name, ["SET", `key:${writeCounter}`, `value-${writeCounter}`]);
            }}
          >
            Write a key
          </button>
          <button type="button" className="button" onClick={() => actions.addReplica(name)}>
            Add replica
          </button>
          <button
            type="button"
            className="button"
            title={`Start a Sentinel that monitors ${name} (sentinel line, Redis's default timeouts: down after 30 s)`}
            onClick={() => actions.addSentinel(name)}
          >
            Add Sentinel
          </button>
        </>
      ) : (
        <>
          <button
            type="button"
            className="button"
            onClick={() => actions.runCommand(name, ["REPLICAOF", "NO", "ONE"])}
            title="REPLICAOF NO ONE"
          >
            Promote
          </button>
          {master && (
            <button
              type="button"
              className="button"
              aria-pressed={cut}
              onClick={() =>
                actions.fault(
                  cut ? { kind: "heal", a: name, b: master } : { kind: "cut", a: name, b: master },
                )
              }
            >
              {cut ? "Heal link" : "Cut link"}
            </button>
          )}
          {master && (
            <button
              type="button"
              className="button"
              onClick={() => actions.fault({ kind: "reset", a: name, b: master })}
              title={`Reset the TCP connections between ${name} and ${master}`}
            >
              Reset
            </button>
          )}
        </>
      )}
      <ProcessActions name={name} running />
      <RdbFile name={name} />
      {targets.length > 0 && (
        <select
          className="button select"
          aria-label={`Make ${name} a replica of another node (REPLICAOF)`}
          value=""
          onChange={(e) => {
            if (e.target.value) actions.runCommand(name, ["REPLICAOF", e.target.value, "6379"]);
          }}
        >
          <option value="">Replica of…</option>
          {targets.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      )}
      {master && <LinkPreset replica={name} master={master} />}
    </div>
  );
});

const LINK_PRESETS = [
  { id: "lan", label: "LAN: 1 ms", settings: { latencyUs: 1000, bandwidthBytesPerSec: 0 } },
  { id: "wan", label: "WAN: 40 ms", settings: { latencyUs: 40_000, bandwidthBytesPerSec: 0 } },
  {
    id: "slow",
    label: "Slow: 40 ms, 100 kB/s",
    settings: { latencyUs: 40_000, bandwidthBytesPerSec: 102_400 },
  },
] as const;

/** Latency and bandwidth of the path between a replica and its master. */
function LinkPreset({ replica, master }: { replica: string; master: string }) {
  const actions = useActions();
  const { path } = usePath(replica, master);
  const preset =
    (path.jitterUs === 0 &&
      LINK_PRESETS.find(
        (p) =>
          p.settings.latencyUs === path.latencyUs &&
          p.settings.bandwidthBytesPerSec === path.bandwidthBytesPerSec,
      )?.id) ||
    "custom";
  return (
    <select
      className="button select"
      aria-label={`Latency and bandwidth between ${replica} and ${master}`}
      value={preset}
      onChange={(e) => {
        const p = LINK_PRESETS.find((x) => x.id === e.target.value);
        if (!p) return;
        actions.fault({
          kind: "link",
          a: replica,
          b: master,
          settings: { ...p.settings, jitterUs: 0 },
        });
      }}
    >
      {preset === "custom" && <option value="custom">{settingsText(path)}</option>}
      {LINK_PRESETS.map((p) => (
        <option key={p.id} value={p.id}>
          {p.label}
        </option>
      ))}
    </select>
  );
}
