import { describe, expect, it } from "vitest";
import { InProcessCluster } from "../sim/inProcessCluster";
import { DeferredActions } from "./deferredActions";
import { Runtime } from "./runtime";
import { createPlaygroundStore } from "./store/store";
import type { PlaygroundStore } from "./store/store";

/** A runtime that is made but not started: its actions still reach the store and the cluster. */
function runtimeOn(store: PlaygroundStore): Runtime {
  return new Runtime(store, new InProcessCluster({ seed: 1 }), 1, (seed) =>
    Promise.resolve(new InProcessCluster({ seed })),
  );
}

/** Lets every promise that can settle now settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the page's actions before the simulator has loaded", () => {
  it("keeps actions until the runtime is attached, then carries them out in the order they came", () => {
    const store = createPlaygroundStore();
    const deferred = new DeferredActions();
    deferred.setSpeed(5);
    deferred.setPaused(false);
    deferred.submitLine("m", "SET k v");
    deferred.setPaused(true);
    expect(store.getState()).toMatchObject({ speed: 1, paused: false, consoles: {} });

    deferred.attach(runtimeOn(store));
    expect(store.getState()).toMatchObject({ speed: 5, paused: true });
    expect(store.getState().consoles["m"]?.lines.map((l) => l.text)).toEqual([
      "SET k v",
      "Could not connect to Redis at m:6379: Connection refused",
    ]);
  });

  it("makes a query wait for the runtime, then answers it from there", async () => {
    const store = createPlaygroundStore();
    const deferred = new DeferredActions();
    let answered = false;
    const trace = deferred.traceEvents().then((events) => {
      answered = true;
      return events;
    });
    await settle();
    expect(answered).toBe(false);

    deferred.attach(runtimeOn(store));
    expect(await trace).toEqual([]);
  });

  it("reports no Next presses before the runtime is attached, and the runtime's after", () => {
    const store = createPlaygroundStore();
    const deferred = new DeferredActions();
    expect(deferred.nextPresses()).toEqual([]);
    const runtime = runtimeOn(store);
    deferred.attach(runtime);
    expect(deferred.nextPresses()).toEqual(runtime.nextPresses());
  });

  it("passes actions straight to the runtime once attached", () => {
    const store = createPlaygroundStore();
    const deferred = new DeferredActions();
    deferred.attach(runtimeOn(store));
    deferred.setSpeed(10);
    expect(store.getState().speed).toBe(10);
  });

  it("refuses a second runtime", () => {
    const deferred = new DeferredActions();
    deferred.attach(runtimeOn(createPlaygroundStore()));
    expect(() => deferred.attach(runtimeOn(createPlaygroundStore()))).toThrow(/already attached/);
  });
});
