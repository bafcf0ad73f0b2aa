import { useActions } from "../actionsContext";

/**
 * The buttons every process has, whatever it runs: sleep and crash it while
 * it runs, restart it once crashed, and remove it (a crash, then hidden: the
 * scenario language has no line that removes a process).
 */
export function ProcessActions({
  name,
  running,
  sleep = true,
}: {
  name: string;
  running: boolean;
  /** Offer `Sleep 5 s` (a stall, as DEBUG SLEEP). */
  sleep?: boolean;
}) {
  const actions = useActions();
  return (
    <>
      {running && sleep && (
        <button
          type="button"
          className="button"
          title="The process stalls for 5 s of virtual time, as with DEBUG SLEEP 5"
          onClick={() => actions.fault({ kind: "sleep", node: name, durationUs: 5_000_000 })}
        >
          Sleep 5 s
        </button>
      )}
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
        title="Crash it and hide it from the page (recorded as a crash line: the scenario language has no line that removes a process)"
        onClick={() => actions.removeNode(name)}
      >
        Remove
      </button>
    </>
  );
}
