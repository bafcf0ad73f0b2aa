import { describe, expect, it } from "vitest";
import type { VirtualTime } from "../engine/io";
import { InProcessCluster } from "../sim/inProcessCluster";
import type { FrameClock, PlaybackCluster, Visibility } from "./playback";
import { Playback } from "./playback";

/** Frames fired by hand, with a wall clock the test moves. */
class FakeClock implements FrameClock {
  wall = 0;
  private callbacks = new Map<number, (wall: number) => void>();
  private nextHandle = 1;

  request(callback: (wall: number) => void): number {
    this.callbacks.set(this.nextHandle, callback);
    return this.nextHandle++;
  }

  cancel(handle: number): void {
    this.callbacks.delete(handle);
  }

  now(): number {
    return this.wall;
  }

  /** Moves the wall clock by `ms`, fires the pending frame and lets it finish. */
  async frame(ms: number): Promise<void> {
    this.wall += ms;
    const pending = [...this.callbacks.values()];
    this.callbacks.clear();
    for (const callback of pending) callback(this.wall);
    for (let i = 0; i < 50; i++) await Promise.resolve();
  }
}

/** A cluster whose events happen at fixed times; it records each advance. */
class FakeCluster implements PlaybackCluster {
  time = 0;
  readonly advances: VirtualTime[] = [];
  constructor(private readonly eventTimes: VirtualTime[] = []) {}

  now(): VirtualTime {
    return this.time;
  }

  nextEventTime(): VirtualTime | null {
    return this.eventTimes.find((t) => t > this.time) ?? null;
  }

  advance(us: VirtualTime): Promise<void> {
    this.advances.push(us);
    this.time += us;
    return Promise.resolve();
  }
}

class FakeVisibility implements Visibility {
  hidden = false;
  private listener: (() => void) | null = null;
  addEventListener(_type: "visibilitychange", listener: () => void): void {
    this.listener = listener;
  }
  removeEventListener(): void {
    this.listener = null;
  }
  set(hidden: boolean): void {
    this.hidden = hidden;
    this.listener?.();
  }
}

function setup(eventTimes: VirtualTime[] = []) {
  const clock = new FakeClock();
  const cluster = new FakeCluster(eventTimes);
  const visibility = new FakeVisibility();
  const playback = new Playback(cluster, { clock, visibility });
  playback.start();
  return { clock, cluster, visibility, playback };
}

describe("playback", () => {
  it("runs virtual time at the chosen multiple of wall time, sliced where events happen", async () => {
    const { clock, cluster, playback } = setup([5_000, 12_000]);
    await clock.frame(0); // the first frame only notes the time
    await clock.frame(16);
    expect(cluster.time).toBe(16_000);
    expect(cluster.advances).toEqual([5_000, 7_000, 4_000]);
    playback.setSpeed(10);
    await clock.frame(16);
    expect(cluster.time).toBe(16_000 + 160_000);
  });

  it("while the pace is steady, a frame's time goes in one slice, events or not", async () => {
    const clock = new FakeClock();
    const cluster = new FakeCluster([5_000, 12_000]);
    let steady = true;
    const playback = new Playback(cluster, { clock, visibility: null, steady: () => steady });
    playback.start();
    await clock.frame(0);
    await clock.frame(16);
    expect(cluster.advances).toEqual([16_000]);
    steady = false;
    await clock.frame(16);
    expect(cluster.advances).toEqual([16_000, 16_000]);
    expect(cluster.time).toBe(32_000);
  });

  it("keeps speeds between 0.1x and 100x", () => {
    const { playback } = setup();
    playback.setSpeed(0.01);
    expect(playback.state.speed).toBe(0.1);
    playback.setSpeed(1000);
    expect(playback.state.speed).toBe(100);
  });

  it("stands still while paused, and a step runs exactly to the next event", async () => {
    const { clock, cluster, playback } = setup([30_000, 90_000]);
    await clock.frame(0);
    playback.pause();
    await clock.frame(16);
    expect(cluster.time).toBe(0);
    await playback.step();
    expect(cluster.time).toBe(30_000);
    await playback.step();
    expect(cluster.time).toBe(90_000);
    playback.resume();
    await clock.frame(16); // after resuming, the first frame only notes the time
    await clock.frame(16);
    expect(cluster.time).toBe(90_000 + 16_000);
  });

  it("pauses while the page is hidden and does not make up for it", async () => {
    const { clock, cluster, visibility } = setup();
    await clock.frame(0);
    visibility.set(true);
    await clock.frame(5_000);
    expect(cluster.time).toBe(0);
    visibility.set(false);
    await clock.frame(16);
    await clock.frame(16);
    expect(cluster.time).toBe(16_000);
  });

  it("as fast as possible, grows its slices while the cluster keeps up", async () => {
    const { clock, cluster, playback } = setup();
    playback.setSpeed("max");
    await clock.frame(0);
    await clock.frame(16);
    // The fake cluster takes no wall time: the frame ends at its slice limit, slices doubling.
    expect(cluster.advances.length).toBeGreaterThan(1);
    expect(cluster.advances[1]).toBe(2 * (cluster.advances[0] ?? 0));
  });

  it("never changes what happens: a run played in frames is the run advanced at once", async () => {
    const played = await startCluster();
    const clock = new FakeClock();
    const playback = new Playback(played, { clock, visibility: null });
    playback.start();
    playback.setSpeed(7);
    await clock.frame(0);
    while (played.now() < 3_000_000) await clock.frame(17);
    playback.stop();

    const direct = await startCluster();
    await direct.advance(played.now());
    expect(played.trace()).toEqual(direct.trace());
  });
});

async function startCluster(): Promise<InProcessCluster> {
  const cluster = new InProcessCluster({ seed: 3 });
  const config = new Map([["repl-diskless-sync-delay", "0"]]);
  await cluster.startNode({ name: "m", config });
  await cluster.startNode({ name: "r1", replicaOf: "m", config });
  await cluster.submit("m", "c", ["SET", "k", "v"]);
  return cluster;
}
