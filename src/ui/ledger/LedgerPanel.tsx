import { memo } from "react";
import { formatClock } from "../format/time";
import { usePlayground } from "../store/store";
import type { LedgerEntry } from "../../sim/ledger";
import { limitRows, useRenderLimit } from "../lists/useRenderLimit";
import { ledgerCounts } from "./ledgerState";

const MAX_ROWS = 50;
/** Rows rendered at first (the box shows a handful), more as the reader scrolls down. */
const ROWS_STEP = 20;

/**
 * The ledger of writes acknowledged to application clients: how many, how
 * many were lost (and between which moments), and the reads that answered an
 * older value. Shown once the run has an application client.
 */
export function LedgerPanel() {
  const ledger = usePlayground((s) => s.ledger);
  const hasClient = usePlayground((s) => s.order.some((n) => s.nodes[n]?.kind === "client"));
  const rendered = useRenderLimit(ROWS_STEP);
  if (!hasClient && ledger.entries.length === 0) return null;
  const counts = ledgerCounts(ledger);
  const rows = ledger.entries.slice(-MAX_ROWS).reverse();
  const shown = limitRows(rows, rendered.limit);
  return (
    <section className="card ledger-card" aria-labelledby="ledger-title" data-testid="ledger">
      <div className="card-head">
        <h2 id="ledger-title">Ledger</h2>
        <p className="ledger-counts" data-testid="ledger-counts" aria-live="polite">
          <span>{counts.acknowledged} acknowledged</span>
          <span className={counts.lost > 0 ? "ledger-lost-count" : undefined}>
            {counts.lost} lost
          </span>
          <span>
            {counts.staleReads} stale {counts.staleReads === 1 ? "read" : "reads"}
          </span>
        </p>
      </div>
      {rows.length === 0 ? (
        <p className="hint">
          Every write a client is told succeeded will be listed here, and marked lost if no server
          holds it any more.
        </p>
      ) : (
        // Newest first, in a box of its own height: it takes a row a tenth of a second under load.
        <div
          className="ledger-scroll"
          role="region"
          tabIndex={0}
          aria-label="Acknowledged writes"
          onScroll={rendered.onScroll}
        >
          <table className="ledger-table">
            <caption className="sr-only">Writes acknowledged to clients, newest first</caption>
            <thead>
              <tr>
                <th scope="col" className="col-write">
                  write
                </th>
                <th scope="col" className="col-accepted">
                  accepted by
                </th>
                <th scope="col" className="col-acknowledged">
                  acknowledged
                </th>
                <th scope="col">now</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <LedgerRow key={e.id} entry={e} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {ledger.stale.length > 0 && (
        <ul className="ledger-stale" aria-label="Stale reads">
          {ledger.stale.slice(-10).map((r, i) => (
            <li key={i}>
              {formatClock(r.at)} {r.client}&gt; {r.command.join(" ")} from {r.server}: got{" "}
              {show(r.got)}, the last acknowledged write said {show(r.expected)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A row is drawn again only when its entry changed (the ledger changes with every acknowledged write). */
const LedgerRow = memo(function LedgerRow({ entry: e }: { entry: LedgerEntry }) {
  const waited = e.waited === null ? "" : `, WAIT → ${e.waited}`;
  return (
    <tr className={e.lost ? "is-lost" : undefined} data-testid="ledger-row">
      <td>
        <code>
          {e.client}&gt; {e.command.join(" ")}
        </code>
      </td>
      <td>
        {e.node} @{e.offset}
      </td>
      <td>
        {formatClock(e.ackedAt)}
        {waited}
      </td>
      <td>
        {e.lost ? (
          <span className="ledger-lost">
            {e.lost.from === e.lost.to
              ? `lost at ${formatClock(e.lost.to)}`
              : `lost between ${formatClock(e.lost.from)} and ${formatClock(e.lost.to)}`}
          </span>
        ) : (
          "held"
        )}
      </td>
    </tr>
  );
});

function show(value: string | null): string {
  return value === null ? "(nil)" : `"${value}"`;
}
