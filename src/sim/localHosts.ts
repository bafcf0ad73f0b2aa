import { Random } from "../engine/random";
import type { HostInit, HostSet } from "./hostSet";
import { HostShell } from "./hostShell";
import type { HostAnswer, HostQuery, HostReport, HostStep } from "./hostStep";
import type { HostOptions } from "./processHost";
import { ProcessHost } from "./processHost";
import type { SegmentBatch } from "./segments";

/**
 * How the in-thread hosts are scheduled. The default runs them in rank order
 * and hands each message over at once. `shuffleSeed` instead runs the hosts
 * of every step in a random order and keeps messages on the wire, handing
 * them over at random moments (in order per channel, as a MessageChannel
 * does), each a structured copy: the determinism tests use it to show that
 * the outcome does not depend on scheduling.
 */
export interface Scheduling {
  readonly shuffleSeed?: number;
}

interface WireMessage {
  readonly from: string;
  readonly to: string;
  readonly batch: SegmentBatch;
}

/** Every host in this thread, behind the same HostSet the workers implement. */
export class LocalHostSet implements HostSet {
  private readonly shells = new Map<string, HostShell>();
  private readonly reports = new Map<string, HostReport>();
  private readonly random: Random | null;
  private wire: WireMessage[] = [];

  constructor(
    private readonly options: HostOptions,
    scheduling: Scheduling = {},
  ) {
    this.random = scheduling.shuffleSeed === undefined ? null : new Random(scheduling.shuffleSeed);
  }

  /** The host of a slot, for in-process views and checks. */
  host(name: string): ProcessHost | undefined {
    return this.shells.get(name)?.host;
  }

  spawn(init: HostInit): Promise<void> {
    const state = init.from ? this.copy(init.from.state) : undefined;
    const host = new ProcessHost(init, this.options, state);
    const shell = new HostShell(
      host,
      (peer, batch) => this.post(init.name, peer, batch),
      (report) => this.reports.set(init.name, report),
    );
    this.dropWire(init.name);
    for (const [name, other] of this.shells) if (name !== init.name) other.rewire(init.name);
    this.shells.set(init.name, shell);
    if (init.from) shell.postDeferred(this.copy(init.from.deferred));
    return Promise.resolve();
  }

  terminate(name: string): void {
    this.shells.delete(name);
    this.dropWire(name);
  }

  step(steps: ReadonlyMap<string, HostStep>): Promise<ReadonlyMap<string, HostReport>> {
    this.reports.clear();
    const names = [...steps.keys()];
    if (this.random) shuffle(names, this.random);
    for (const name of names) {
      const shell = this.shells.get(name);
      const step = steps.get(name);
      if (!shell || !step) continue;
      if (this.random) this.deliverSome(this.random.int(this.wire.length + 1));
      shell.step(this.random ? this.copy(step) : step);
      while (!this.reports.has(name)) {
        if (this.wire.length === 0) throw new Error(`${name} waits for messages nobody sent`);
        this.deliverSome(1);
      }
    }
    return Promise.resolve(new Map(this.reports));
  }

  query(name: string, query: HostQuery): Promise<HostAnswer> {
    const host = this.shells.get(name)?.host;
    if (!host) throw new Error(`no host for ${name}`);
    return Promise.resolve(host.query(query));
  }

  private post(from: string, to: string, batch: SegmentBatch): void {
    if (this.random) this.wire.push({ from, to, batch: this.copy(batch) });
    else this.shells.get(to)?.receive(from, batch);
  }

  /** Hands over `n` messages from the wire, each the oldest of a randomly chosen channel. */
  private deliverSome(n: number): void {
    const random = this.random;
    for (let i = 0; i < n && random && this.wire.length > 0; i++) {
      const heads: number[] = [];
      const seen = new Set<string>();
      this.wire.forEach((m, index) => {
        const channel = `${m.from}>${m.to}`;
        if (!seen.has(channel)) {
          seen.add(channel);
          heads.push(index);
        }
      });
      const index = heads[random.int(heads.length)] ?? 0;
      const [message] = this.wire.splice(index, 1);
      if (message) this.shells.get(message.to)?.receive(message.from, message.batch);
    }
  }

  private dropWire(name: string): void {
    this.wire = this.wire.filter((m) => m.from !== name && m.to !== name);
  }

  /** A copy as postMessage makes one, when scheduling is shuffled (so nothing is shared by accident). */
  private copy<T>(value: T): T {
    return this.random ? structuredClone(value) : value;
  }
}

function shuffle<T>(items: T[], random: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const a = items[i] as T;
    items[i] = items[j] as T;
    items[j] = a;
  }
}
