/**
 * Spins until terminated: loads a core so tests can show that a busy machine
 * changes only how long a run takes, never what happens in it.
 */
declare const self: DedicatedWorkerGlobalScope;

self.onmessage = () => {
  let x = 0;
  for (;;) x = (x + 1) % 1_000_003;
};
self.postMessage("ready");
