import { useShallow } from "zustand/react/shallow";
import { DEFAULT_EPOCH_MS } from "../../sim/coordinator";
import { bytesToUtf8 } from "../../engine/bytes";
import { formatTtl } from "../format/time";
import { masterOf } from "../store/selectors";
import { usePlayground } from "../store/store";
import { keyDiff } from "./keyDiff";

const STATUS_TEXT = {
  same: "",
  master: "",
  differs: "differs from master",
  extra: "not on master",
  missing: "missing here",
} as const;

/**
 * A node's keyspace: key, type, value and TTL, with every key that differs
 * from its master's marked in words (and colour).
 */
export function KeysTable({ node }: { node: string }) {
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
      <div className="table-scroll">
        <table className="keys-table" data-testid={`keys-${node}`}>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Type</th>
              <th scope="col">Value</th>
              <th scope="col">TTL</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ key, status }) => (
              <tr
                key={`${key.db}:${key.key}:${status}`}
                className={`key-row is-${status}`}
                data-key={key.key}
              >
                <th scope="row">
                  <code>{bytesToUtf8(key.key)}</code>
                  {key.db !== 0 && <span className="db">db{key.db}</span>}
                  {STATUS_TEXT[status] && <span className="diff-tag">{STATUS_TEXT[status]}</span>}
                </th>
                <td>{key.type}</td>
                <td className="value">
                  <code>{key.preview}</code>
                </td>
                <td className="ttl">
                  {key.expiresAtMs === null ? "—" : formatTtl(key.expiresAtMs - nowMs)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
