import { useEffect, useRef } from "react";

const SHORTCUTS: readonly [keys: string, what: string][] = [
  ["K or Space", "Play or pause"],
  [".", "Step to the next event (pauses)"],
  ["?", "Show this list"],
  ["Tab", "Move between nodes, links and controls"],
  ["Arrow keys on a node", "Move it"],
  ["Enter on a node", "Go to its panel"],
  ["Enter or Space on a link", "Cut or heal it"],
  ["Enter on a link's ⋯", "Its menu: latency, bandwidth, reset"],
  ["Replica of… in a node's panel", "REPLICAOF another node (or drag the node onto it)"],
  ["← → on tabs", "Switch tab"],
  ["↑ ↓ in a console", "Walk the command history"],
  ["Ctrl+L in a console", "Clear it"],
  ["Esc", "Close a packet's bytes or this list"],
];

/** The keyboard shortcuts, in a modal dialog (the `?` key or the header button opens it). */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="shortcuts" aria-labelledby="shortcuts-title" onClose={onClose}>
      <div className="dialog-head">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <table>
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={keys}>
              <th scope="row">
                <kbd>{keys}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </dialog>
  );
}
