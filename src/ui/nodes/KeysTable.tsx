import { memo } from "react";
import { useShallow } from "zustand/react/shallow";
import type { KeyView } from "../../engine/server/view";
import { DEFAULT_EPOCH_MS } from "../../sim/coordinator";
import { bytesToUtf8 } from "../../engine/bytes";
import { formatTtl } from "../format/time";
import { masterOf } from "../store/selectors";
import { usePlayground } from "../store/store";
import { limitRows, useRenderLimit } from "../lists/useRenderLimit";
import { keyDiff } from "./keyDiff";
import type { KeyRow } from "./keyDiff";

const STATUS_TEXT = {
  same: "",
  master: "",
  differs: "differs from master",
  extra: "not on master",
  missing: "missing here",
} as const;

/**
 * Rows rendered at first, and added each time the reader scrolls to the last
 * (the view holds up to 200). The box shows a handful; every row rendered is
 * styled and laid out again each time the tab is shown.
 */
const KEY_ROWS_STEP = 20;

/**
 * A node's keyspace: key, type, value and TTL, with every key that differs
 * from its master's marked in words (and colour).
 */
export const KeysTable = memo(function KeysTable({ node }: { node: string }) {
  const { keys, dbsize, master, masterKeys } = usePlayground(
    useShallow((s) => {
      const m = masterOf(s, node);
      return {
        keys: s.views[node]?.keys,
        dbsize: s.views[node]?.dbsize ?? 0,
        master: m,
        masterKeys: m ? s.views[m]?.keys : undefined,
      };
    }),
  );
  // TTLs are shown at the last view refresh, a few times a second.
  const nowMs = usePlayground((s) => DEFAULT_EPOCH_MS + Math.floor(s.now / 1e6) * 1000);
  const { limit, onScroll } = useRenderLimit(KEY_ROWS_STEP);
  if (!keys) return <p className="empty">No view yet.</p>;
  const rows = keyDiff(keys, master ? (masterKeys ?? []) : null);
  if (rows.length === 0) return <p className="empty">The keyspace is empty.</p>;
  const differing = rows.filter((r) => r.status !== "same" && r.status !== "master").length;
  return (
    <div className="keys">
      <p className="keys-summary">
        {dbsize} key{dbsize === 1 ? "" : "s"}
        {master &&
          (differing === 0 ? `, same as ${master}` : `, ${differing} differ from ${master}`)}
      </p>
      <div className="table-scroll" onScroll={onScroll}>
        <table className="keys-table" data-testid={`keys-${node}`}>
          <thead>
            <tr>
              <th scope="col" className="col-key">
                Key
              </th>
              <th scope="col" className="col-type">
                Type
              </th>
              <th scope="col">Value</th>
              <th scope="col" className="col-ttl">
                TTL
              </th>
            </tr>
          </thead>
          <tbody>
            {limitRows(rows, limit).map(({ key, status }) => (
              <KeyRowView
                key={`${key.db}:${key.key}`}
                keyView={key}
                status={status}
                ttl={key.expiresAtMs === null ? "—" : formatTtl(key.expiresAtMs - nowMs)}
              />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
});

interface KeyRowProps {
  readonly keyView: KeyView;
  readonly status: KeyRow["status"];
  readonly ttl: string;
}

/**
 * One key's row. Every view refresh brings new key objects, mostly with the
 * same contents: a row is drawn again only when what it shows changed, and it
 * keeps its element when its status flips (a replica catching up).
 */
const KeyRowView = memo(
  function KeyRowView({ keyView: key, status, ttl }: KeyRowProps) {
    return (
      <tr className={`key-row is-${status}`} data-key={key.key}>
        <th scope="row">
          <code>{bytesToUtf8(key.key)}</code>
          {key.db !== 0 && <span className="db">db{key.db}</span>}
          {STATUS_TEXT[status] && <span className="diff-tag">{STATUS_TEXT[status]}</span>}
        </th>
        <td>{key.type}</td>
        <td className="value">
          <code>{key.preview}</code>
        </td>
        <td className="ttl">{ttl}</td>
      </tr>
    );
  },
  (a, b) =>
    a.status === b.status &&
    a.ttl === b.ttl &&
    a.keyView.key === b.keyView.key &&
    a.keyView.db === b.keyView.db &&
    a.keyView.type === b.keyView.type &&
    a.keyView.preview === b.keyView.preview,
);
