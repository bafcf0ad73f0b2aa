import type { VirtualTime } from "../../engine/io";
import type { Script } from "../../scenario/ast";
import { parseScenario } from "../../scenario/parse";
import { formatClock } from "../format/time";
import type { RecordedAction } from "../script/actionScript";
import { pruneTraffic, reduceTrace } from "../store/reduceTrace";
import type { PlaygroundState } from "../store/state";
import { initialState } from "../store/state";
import type { PlaygroundStore } from "../store/store";
import { createPlaygroundStore } from "../store/store";
import type { TraceEvent } from "../../sim/trace";
import { GatedCluster } from "./gatedCluster";
import type { PageCluster } from "./gatedCluster";
import type { PageAction, TimedAction } from "./pageActions";
import { applyAction } from "./pageActions";
import { RunState } from "./runState";
import { stepsOf } from "./scriptInfo";
import type { ScriptState } from "./sessionState";

/** A guided "Next" at virtual time `t`, after `seq` script blocks had run. */
export interface NextPress {
  readonly t: VirtualTime;
  readonly seq: number;
}

/** What the session needs of the page's runtime. */
export interface SessionHooks {
  /** Runs a task between two slices of the playback, after every task before it. */
  run(task: () => Promise<void>): void;
  /** Moves buffered trace events into the store. */
  flush(): void;
  /** Drops buffered trace events of a cluster that is being replaced. */
  discardPending(): void;
  refreshViews(): Promise<void>;
  createCluster(seed: number): Promise<PageCluster>;
  setPaused(paused: boolean): void;
}

/** A run kept so the reader can return to it: the script's run plus these actions. */
interface Branch {
  readonly id: number;
  readonly label: string;
  actions: TimedAction[];
  endUs: VirtualTime;
}

/** How far a replay goes: to a moment, or to the reader standing before the `barrier`-th step. */
type ReplayTarget = { readonly us: VirtualTime } | { readonly barrier: number };

/**
 * The page's run as "a script plus the reader's actions at their virtual
 * times". It carries the script out with the runner's interpreter at the
 * playback's pace (`GatedCluster` stops the clock where the script or a
 * recorded action is due), stands before each `step` until Next, records
 * every action with the moment it took effect, and travels in time by
 * replaying the script and the actions on a fresh cluster, as fast as it
 * goes, up to the moment asked for. A fork keeps the run it came from.
 */
export class Session {
  readonly gate: GatedCluster;
  private spare: { cluster: PageCluster; seed: number } | null;
  private script: Script | null = null;
  private live: RunState | null = null;
  private branches: Branch[] = [];
  private branch: Branch = { id: 0, label: "Original run", actions: [], endUs: 0 };
  private seekQueued = false;
  private seekTo: VirtualTime = 0;
  private nextBranchId = 1;

  constructor(
    private readonly store: PlaygroundStore,
    first: PageCluster,
    firstSeed: number,
    private readonly hooks: SessionHooks,
  ) {
    this.spare = { cluster: first, seed: firstSeed };
    this.gate = new GatedCluster(
      first,
      () => this.limit(),
      () => this.moved(),
    );
  }

  // ---- what the page asks -------------------------------------------------

  /**
   * Parses and loads a script; parse errors go to the store and the run goes
   * on. `nexts` are Next presses recorded earlier (a share link's), so a
   * guided run can be rebuilt past its steps up to `seekUs`.
   */
  load(
    text: string,
    name: string | null,
    seekUs?: number,
    nexts: readonly NextPress[] = [],
  ): boolean {
    const parsed = parseScenario(text, name ?? "<script>");
    if (!parsed.ok) {
      const errors = parsed.errors.map(({ line, column, message }) => ({ line, column, message }));
      this.store.setState({ scriptErrors: errors });
      return false;
    }
    const script = parsed.script;
    const state: ScriptState = {
      name,
      text,
      title: script.title ?? null,
      steps: stepsOf(script),
      currentStep: -1,
      status: "running",
      narration: [],
      failure: null,
      doneAtUs: null,
    };
    this.hooks.run(async () => {
      this.script = script;
      const at = Math.max(0, seekUs ?? 0);
      const actions = nexts.map((n) => ({ ...n, action: { kind: "next" } as const, line: null }));
      this.branch = { id: this.nextBranchId++, label: "Original run", actions, endUs: at };
      this.branches = [this.branch];
      this.store.setState({ scriptErrors: [], script: state, seed: script.seed });
      this.publishRuns();
      await this.rebuild({ us: at });
    });
    return true;
  }

  /** A reader's action: applied now and recorded; in the past of a run, it forks first. */
  perform(action: PageAction): void {
    this.hooks.run(async () => {
      const live = this.live;
      if (!live) return;
      const now = live.cluster.now();
      const a = live.pending();
      if (action.kind === "next") {
        if (live.run.block?.kind !== "step") return;
        // Next where the run being replayed said Next: the same run goes on.
        if (a?.action.kind === "next" && a.seq === live.run.bursts) {
          await live.applyPending();
          this.afterBurst();
          return;
        }
      }
      if (live.cursor < live.actions.length || now < this.branch.endUs) this.forkHere();
      const seq = live.run.bursts;
      let line: string | null = null;
      if (action.kind === "next") await live.run.resume();
      else line = await applyAction(live.cluster, live.store, action);
      live.actions.push({ t: now, seq, action, line });
      live.cursor = live.actions.length;
      this.publishActions();
      this.afterBurst();
    });
  }

  /** The guided Back: rebuilds the run as it stood before the step shown now. */
  previousStep(): void {
    this.hooks.run(async () => {
      const run = this.live?.run;
      if (!run) return;
      const reached = run.stepsReached;
      const barrier = run.block?.kind === "step" ? reached - 1 : reached;
      await this.rebuild(barrier >= 1 ? { barrier } : { us: 0 });
    });
  }

  /** Rebuilds the run at virtual time `tUs` (the latest request wins while one is being built). */
  seek(tUs: number): void {
    this.seekTo = Math.max(0, Math.min(tUs, this.branch.endUs));
    if (this.seekQueued) return;
    this.seekQueued = true;
    this.hooks.run(async () => {
      this.seekQueued = false;
      await this.rebuild({ us: this.seekTo });
    });
  }

  /** Travels back to the latest moment before now at which something visible happened. */
  stepBack(): void {
    this.hooks.run(async () => {
      const live = this.live;
      if (!live) return;
      const now = live.cluster.now();
      const trace = live.cluster.trace();
      let t = 0;
      for (let i = trace.length - 1; i >= 0; i--) {
        const e = trace[i];
        if (e && e.t < now && e.type !== "command") {
          t = e.t;
          break;
        }
      }
      await this.rebuild({ us: t });
    });
  }

  fork(): void {
    this.hooks.run(() => {
      this.forkHere();
      this.publishRuns();
      return Promise.resolve();
    });
  }

  selectRun(id: number): void {
    const branch = this.branches.find((b) => b.id === id);
    if (!branch) return;
    this.hooks.run(async () => {
      this.branch = branch;
      await this.rebuild({ us: branch.endUs });
      this.publishRuns();
    });
  }

  /** The Next presses of the run shown, up to the moment shown (what a share link carries). */
  nextPresses(): readonly NextPress[] {
    const live = this.live;
    if (!live) return [];
    return live.actions
      .slice(0, live.cursor)
      .filter((a) => a.action.kind === "next")
      .map(({ t, seq }) => ({ t, seq }));
  }

  /** The timeline as the store shows it, at `now`. */
  timeline(now: VirtualTime): { endUs: VirtualTime; positionUs: VirtualTime } {
    return { endUs: Math.max(this.branch.endUs, now), positionUs: now };
  }

  // ---- driving the live run ------------------------------------------------

  /** How far the playback may move the clock now (see `GatedCluster`). */
  private limit(): VirtualTime | null {
    const live = this.live;
    if (!live) return null;
    const now = live.cluster.now();
    const block = live.run.block;
    let limit: VirtualTime | null =
      block === null || block.kind === "step" ? now : block.kind === "time" ? block.at : null;
    const a = live.pending();
    if (a && a.action.kind !== "next") limit = limit === null ? a.t : Math.min(limit, a.t);
    return limit;
  }

  /**
   * After the playback moved the clock (inside its slice, so between two
   * slices of nothing else): the run's end moves on, and whatever is due runs now.
   */
  private async moved(): Promise<void> {
    const live = this.live;
    if (!live) return;
    const now = live.cluster.now();
    if (now > this.branch.endUs && live.cursor >= live.actions.length) this.branch.endUs = now;
    if (!(live.run.due() || live.actionDue(false))) return;
    await live.catchUp(false);
    this.afterBurst();
  }

  /** The script's state after a burst: running, waiting for Next, done or failed. */
  private afterBurst(): void {
    const live = this.live;
    if (!live) return;
    const block = live.run.block;
    this.store.setState((s) => {
      const status: ScriptState["status"] =
        block === null || block.kind === "time"
          ? "running"
          : block.kind === "step"
            ? "waiting"
            : block.result.ok
              ? "done"
              : "failed";
      const failure =
        block?.kind === "done" && !block.result.ok
          ? { line: block.result.line, message: block.result.message }
          : null;
      if (s.script.status === status && s.script.failure?.message === failure?.message) return s;
      const doneAtUs = block?.kind === "done" ? live.cluster.now() : null;
      const script = { ...s.script, status, failure, doneAtUs };
      if (!failure) return { script };
      // A failed check is written in the log too, where the reader looks for what went wrong.
      const t = live.cluster.now();
      const text = `The script stopped: ${failure.message}`;
      const note = { id: s.nextId, t, node: null, kind: "fault" as const, level: null, text };
      return { script, log: [...s.log, note], nextId: s.nextId + 1 };
    });
    this.hooks.flush();
  }

  private forkHere(): void {
    const live = this.live;
    if (!live) return;
    const now = live.cluster.now();
    const kept = live.actions.slice(0, live.cursor);
    const n = this.branches.length;
    this.branch = {
      id: this.nextBranchId++,
      label: `Fork ${n} at ${formatClock(now)}`,
      actions: kept,
      endUs: now,
    };
    this.branches.push(this.branch);
    live.actions = kept;
    this.publishRuns();
  }

  // ---- replays -------------------------------------------------------------

  /**
   * Builds the current branch afresh up to `target`: a new cluster, the
   * script from its first line and the recorded actions at their moments,
   * as fast as possible, into a scratch store; then it becomes the page's run.
   */
  private async rebuild(target: ReplayTarget): Promise<void> {
    const script = this.script;
    if (!script) return;
    const cluster = await this.freshCluster(script.seed);
    const page = this.store.getState();
    const scratch = createPlaygroundStore();
    scratch.setState({
      ...initialState(),
      seed: page.seed,
      script: {
        ...page.script,
        currentStep: -1,
        narration: [],
        status: "running",
        failure: null,
        doneAtUs: null,
      },
    });
    const pending: TraceEvent[] = [];
    const unsubscribe = cluster.onTrace((events) => {
      for (const e of events) pending.push(e);
    });
    const reduce = () => {
      if (pending.length === 0) return;
      const events = pending.splice(0);
      scratch.setState((s) => reduceTrace(s, events));
    };
    const state = new RunState(script, cluster, scratch, this.branch.actions);
    try {
      await state.run.start();
      await this.replay(state, target, reduce);
    } finally {
      unsubscribe();
    }
    reduce();
    const now = cluster.now();
    scratch.setState((s) => pruneTraffic({ ...s, now }, now));
    this.gate.replace(cluster);
    this.hooks.discardPending();
    state.store = this.store;
    this.live = state;
    const built = scratch.getState();
    this.store.setState((s) => adoptRun(s, built, this.timeline(now), visibleActions(state)));
    this.afterBurst();
    await this.hooks.refreshViews();
  }

  private async replay(state: RunState, target: ReplayTarget, reduce: () => void): Promise<void> {
    const { run, cluster } = state;
    for (;;) {
      if ("barrier" in target && run.block?.kind === "step" && run.stepsReached >= target.barrier)
        return;
      if (state.actionDue(true)) {
        await state.applyPending();
      } else if (run.due()) {
        await run.resume();
      } else {
        const now = cluster.now();
        if ("us" in target && now >= target.us) return;
        let stop = "us" in target ? target.us : Infinity;
        const block = run.block;
        if (block?.kind === "step") return; // no recorded Next: the run stood here
        if (block?.kind === "time") stop = Math.min(stop, block.at);
        const a = state.pending();
        if (a) stop = Math.min(stop, a.t);
        if (!Number.isFinite(stop) || stop <= now) return;
        await cluster.advance(stop - now);
      }
      reduce();
    }
  }

  private async freshCluster(seed: number): Promise<PageCluster> {
    const spare = this.spare;
    this.spare = null;
    if (spare && spare.seed === seed && spare.cluster.nodes().length === 0) return spare.cluster;
    if (spare && "dispose" in spare.cluster && typeof spare.cluster.dispose === "function")
      (spare.cluster as { dispose(): void }).dispose();
    return this.hooks.createCluster(seed);
  }

  private publishRuns(): void {
    this.store.setState({
      runs: this.branches.map((b) => ({ id: b.id, label: b.label, endUs: b.endUs })),
      currentRun: this.branch.id,
      timeline: this.timeline(this.gate.now()),
    });
  }

  private publishActions(): void {
    const live = this.live;
    if (live) this.store.setState({ actions: visibleActions(live) });
  }
}

/** The actions applied so far, as "Your actions" lists them. */
function visibleActions(state: RunState): RecordedAction[] {
  const out: RecordedAction[] = [];
  for (const a of state.actions.slice(0, state.cursor)) {
    if (a.line !== null) out.push({ t: a.t, line: a.line });
  }
  return out;
}

/**
 * The page's state with a rebuilt run: everything the cluster and the script
 * produced comes from `built`; what the reader set (speed, pause, where nodes
 * were dragged, the script and its errors, the runs) stays.
 */
function adoptRun(
  page: PlaygroundState,
  built: PlaygroundState,
  timeline: PlaygroundState["timeline"],
  actions: RecordedAction[],
): PlaygroundState {
  return {
    ...built,
    seed: page.seed,
    paused: page.paused,
    speed: page.speed,
    ringMaster: page.ringMaster,
    pinned: page.pinned,
    error: page.error,
    scriptErrors: page.scriptErrors,
    runs: page.runs,
    currentRun: page.currentRun,
    script: {
      ...page.script,
      currentStep: built.script.currentStep,
      narration: built.script.narration,
    },
    timeline,
    actions,
  };
}
