import type { VirtualTime } from "../engine/io";

/** What playback drives: a clock it can only move forward. */
export interface PlaybackCluster {
  now(): VirtualTime;
  advance(durationUs: VirtualTime): Promise<void>;
  nextEventTime(): VirtualTime | null;
}

/** Animation frames and wall time (requestAnimationFrame in the page, a fake in tests). */
export interface FrameClock {
  request(callback: (wallMs: number) => void): number;
  cancel(handle: number): void;
  now(): number;
}

/** Whether the page is visible (`document` in the page). */
export interface Visibility {
  readonly hidden: boolean;
  addEventListener(type: "visibilitychange", listener: () => void): void;
  removeEventListener(type: "visibilitychange", listener: () => void): void;
}

/** A multiple of real time, or as fast as the machine goes. */
export type Speed = number | "max";

export const MIN_SPEED = 0.1;
export const MAX_SPEED = 100;
/** Virtual µs per wall ms at 1×: real time. */
export const REAL_TIME_RATE = 1000;

export interface PlaybackOptions {
  readonly clock?: FrameClock;
  /** Null: never pause for a hidden page. */
  readonly visibility?: Visibility | null;
  /** Virtual µs per wall ms at 1× at virtual time `now` (the page slows time while packets fly). */
  readonly rate?: (now: VirtualTime) => number;
  /** The next time, besides the cluster's next event, where `rate` may change (a packet's arrival). */
  readonly boundary?: (now: VirtualTime) => VirtualTime | null;
  /**
   * While true, `rate` does not change at the cluster's events either (the
   * page's streams run at the chosen speed): a frame's time then goes in one
   * slice instead of one per event, which is what lets a busy cluster keep up.
   */
  readonly steady?: (now: VirtualTime) => boolean;
  /** After each slice of time: the page moves trace events into its store. */
  readonly onAdvance?: () => void;
  readonly onError?: (error: unknown) => void;
  /** Wall time one frame may make up for after the page stalled. */
  readonly maxFrameMs?: number;
  /** Wall time "as fast as possible" spends in the cluster per frame. */
  readonly fastFrameMs?: number;
  /** Slices per frame at most, so a frame always ends. */
  readonly maxSlicesPerFrame?: number;
}

const browserClock: FrameClock = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => cancelAnimationFrame(handle),
  now: () => performance.now(),
};

/**
 * Maps virtual time to wall time: once per animation frame it advances the
 * cluster by what the elapsed wall time is worth at the chosen speed, in
 * slices that end where something happens. Pause, single step, speed from
 * 0.1× to 100× or as fast as possible: none of it changes what happens, only
 * when the reader sees it (advancing in slices fires the same events in the
 * same order as advancing at once). It stands still while the page is hidden.
 */
export class Playback {
  private paused = false;
  private speed: Speed = 1;
  private hidden = false;
  private running = false;
  private handle: number | null = null;
  private lastWall: number | null = null;
  private chain: Promise<void> = Promise.resolve();
  /** "As fast as possible": virtual time per slice, adapted to the machine. */
  private fastChunkUs = 10_000;
  private readonly clock: FrameClock;
  private readonly visibility: Visibility | null;
  private readonly onVisibility = () => {
    this.hidden = this.visibility?.hidden ?? false;
    this.lastWall = null; // no catching up on the time spent hidden
  };

  constructor(
    private readonly cluster: PlaybackCluster,
    private readonly options: PlaybackOptions = {},
  ) {
    this.clock = options.clock ?? browserClock;
    this.visibility =
      options.visibility !== undefined
        ? options.visibility
        : typeof document === "undefined"
          ? null
          : document;
  }

  get state(): { readonly paused: boolean; readonly speed: Speed; readonly hidden: boolean } {
    return { paused: this.paused, speed: this.speed, hidden: this.hidden };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.visibility?.addEventListener("visibilitychange", this.onVisibility);
    this.onVisibility();
    this.requestFrame();
  }

  stop(): void {
    this.running = false;
    this.visibility?.removeEventListener("visibilitychange", this.onVisibility);
    if (this.handle !== null) this.clock.cancel(this.handle);
    this.handle = null;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.lastWall = null;
  }

  /** 0.1× to 100× real time (clamped), or "max". */
  setSpeed(speed: Speed): void {
    this.speed = speed === "max" ? speed : Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
  }

  /** Pauses, then runs every event of the next instant at which anything happens. */
  step(): Promise<void> {
    this.pause();
    return this.run(async () => {
      const next = this.cluster.nextEventTime();
      if (next === null) return;
      await this.cluster.advance(Math.max(0, next - this.cluster.now()));
      this.options.onAdvance?.();
    });
  }

  /** Runs a cluster call between two slices, never during one. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.chain.then(task);
    this.chain = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private requestFrame(): void {
    if (!this.running) return;
    this.handle = this.clock.request((wall) => {
      this.handle = null;
      this.run(() => this.frame(wall))
        .catch((e: unknown) => this.options.onError?.(e))
        .finally(() => this.requestFrame());
    });
  }

  private async frame(wall: number): Promise<void> {
    const last = this.lastWall;
    this.lastWall = wall;
    if (this.paused || this.hidden || last === null) return;
    const elapsed = Math.min(this.options.maxFrameMs ?? 100, Math.max(0, wall - last));
    if (this.speed === "max") await this.fastFrame();
    else await this.pacedFrame(elapsed * this.speed);
  }

  /** Spends `budgetMs` of wall time at 1×, slice by slice. */
  private async pacedFrame(budgetMs: number): Promise<void> {
    const rateOf = this.options.rate ?? (() => REAL_TIME_RATE);
    const maxSlices = this.options.maxSlicesPerFrame ?? 400;
    let budget = budgetMs;
    for (let i = 0; i < maxSlices && budget > 1e-9; i++) {
      const now = this.cluster.now();
      const rate = rateOf(now);
      const reach = budget * rate;
      const boundary =
        this.options.steady?.(now) === true
          ? (this.options.boundary?.(now) ?? null)
          : this.nextBoundary(now);
      let advanceUs: number;
      if (boundary !== null && boundary - now <= reach) {
        advanceUs = Math.max(0, boundary - now);
        budget -= advanceUs / rate;
      } else {
        advanceUs = Math.floor(reach);
        budget = 0;
      }
      await this.cluster.advance(advanceUs);
      this.options.onAdvance?.();
    }
  }

  /** As fast as possible: slices sized so a frame spends about `fastFrameMs` in the cluster. */
  private async fastFrame(): Promise<void> {
    const budget = this.options.fastFrameMs ?? 12;
    const started = this.clock.now();
    const maxSlices = this.options.maxSlicesPerFrame ?? 400;
    for (let i = 0; i < maxSlices && this.clock.now() - started < budget; i++) {
      const sliceStart = this.clock.now();
      await this.cluster.advance(this.fastChunkUs);
      this.options.onAdvance?.();
      const spent = this.clock.now() - sliceStart;
      if (spent < budget / 8) this.fastChunkUs = Math.min(60_000_000, this.fastChunkUs * 2);
      else if (spent > budget / 2)
        this.fastChunkUs = Math.max(1000, Math.floor(this.fastChunkUs / 2));
    }
  }

  private nextBoundary(now: VirtualTime): VirtualTime | null {
    const candidates = [this.cluster.nextEventTime(), this.options.boundary?.(now) ?? null];
    let next: VirtualTime | null = null;
    for (const t of candidates) if (t !== null && t >= now && (next === null || t < next)) next = t;
    return next;
  }
}
