import type { ByteString } from "../engine/bytes";
import type { Speed } from "../host/playback";
import type { Fault } from "../sim/cluster";
import type { TraceEvent } from "../sim/trace";
import type { LoadScriptOptions, PlaygroundActions } from "./runtime";
import type { NextPress } from "./session/session";

/**
 * The page's actions before the simulator has loaded: the first render does
 * not wait for the runtime's code (issue 9's load budget), so the components
 * get this forwarder. Until `attach` gives it the runtime, actions are kept
 * in the order they came and queries wait; then the kept actions run, in
 * that order, and every later call goes straight through.
 */
export class DeferredActions implements PlaygroundActions {
  private target: PlaygroundActions | null = null;
  private kept: ((target: PlaygroundActions) => void)[] = [];
  private readonly attached: Promise<PlaygroundActions>;
  private resolveAttached: (target: PlaygroundActions) => void = () => undefined;

  constructor() {
    this.attached = new Promise((resolve) => {
      this.resolveAttached = resolve;
    });
  }

  /** Hands over to the runtime, which has started: the kept actions run first, in order. */
  attach(target: PlaygroundActions): void {
    if (this.target !== null) throw new Error("DeferredActions: a runtime is already attached");
    this.target = target;
    const kept = this.kept;
    this.kept = [];
    for (const action of kept) action(target);
    this.resolveAttached(target);
  }

  private act(action: (target: PlaygroundActions) => void): void {
    if (this.target !== null) action(this.target);
    else this.kept.push(action);
  }

  private ask<T>(query: (target: PlaygroundActions) => Promise<T>): Promise<T> {
    return this.target !== null ? query(this.target) : this.attached.then(query);
  }

  submitLine(node: string, line: string): void {
    this.act((t) => t.submitLine(node, line));
  }
  runCommand(node: string, argv: readonly string[]): void {
    this.act((t) => t.runCommand(node, argv));
  }
  fault(fault: Fault): void {
    this.act((t) => t.fault(fault));
  }
  addReplica(master: string): void {
    this.act((t) => t.addReplica(master));
  }
  removeNode(node: string): void {
    this.act((t) => t.removeNode(node));
  }
  addSentinel(master: string): void {
    this.act((t) => t.addSentinel(master));
  }
  writeBurst(master: string, count: number, valueBytes: number): void {
    this.act((t) => t.writeBurst(master, count, valueBytes));
  }
  dumpRdb(node: string): Promise<ByteString> {
    return this.ask((t) => t.dumpRdb(node));
  }
  traceEvents(): Promise<readonly TraceEvent[]> {
    return this.ask((t) => t.traceEvents());
  }
  /** No run has been shown yet, so no Next has been pressed in it. */
  nextPresses(): readonly NextPress[] {
    return this.target !== null ? this.target.nextPresses() : [];
  }
  loadRdb(node: string, bytes: ByteString): void {
    this.act((t) => t.loadRdb(node, bytes));
  }
  setPaused(paused: boolean): void {
    this.act((t) => t.setPaused(paused));
  }
  setSpeed(speed: Speed): void {
    this.act((t) => t.setSpeed(speed));
  }
  step(): void {
    this.act((t) => t.step());
  }
  loadScript(text: string, options?: LoadScriptOptions): void {
    this.act((t) => t.loadScript(text, options));
  }
  nextStep(): void {
    this.act((t) => t.nextStep());
  }
  previousStep(): void {
    this.act((t) => t.previousStep());
  }
  seek(tUs: number): void {
    this.act((t) => t.seek(tUs));
  }
  stepBack(): void {
    this.act((t) => t.stepBack());
  }
  fork(): void {
    this.act((t) => t.fork());
  }
  selectRun(id: number): void {
    this.act((t) => t.selectRun(id));
  }
}
