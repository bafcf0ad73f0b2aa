import { useId, useRef } from "react";
import { bytesToUint8, uint8ToBytes } from "../../engine/bytes";
import { useActions } from "../actionsContext";

/**
 * Download the node's dataset as `dump.rdb` (a query: the run does not move),
 * and load a `dump.rdb` into it (an input at the current virtual time: the
 * node flushes its data and loads the file's keys, as DEBUG RELOAD does; a
 * file that is not an RDB changes nothing and the node logs why).
 */
export function RdbFile({ name }: { name: string }) {
  const actions = useActions();
  const inputId = useId();
  const input = useRef<HTMLInputElement | null>(null);

  const download = () => {
    void actions.dumpRdb(name).then((rdb) => {
      const data = bytesToUint8(rdb);
      const copy = new Uint8Array(data.length);
      copy.set(data);
      const url = URL.createObjectURL(new Blob([copy], { type: "application/octet-stream" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `${name}-dump.rdb`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });
  };

  const load = (file: File | undefined) => {
    if (!file) return;
    void file.arrayBuffer().then((buffer) => {
      actions.loadRdb(name, uint8ToBytes(new Uint8Array(buffer)));
      if (input.current) input.current.value = "";
    });
  };

  return (
    <>
      <button
        type="button"
        className="button"
        title={`Download ${name}'s dataset as an RDB file (what SAVE would write now)`}
        onClick={download}
      >
        Download dump.rdb
      </button>
      <label
        className="button file-button"
        htmlFor={inputId}
        title={`Flush ${name}'s data and load the keys of an RDB file`}
      >
        Load dump.rdb…
        <input
          ref={input}
          id={inputId}
          type="file"
          accept=".rdb,application/octet-stream"
          className="sr-only"
          data-testid={`load-rdb-${name}`}
          onChange={(e) => load(e.target.files?.[0])}
        />
      </label>
    </>
  );
}
