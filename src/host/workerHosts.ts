/// <reference types="vite/client" />
import type { HostInit, HostSet } from "../sim/hostSet";
import type { HostAnswer, HostQuery, HostReport, HostStep } from "../sim/hostStep";
import type { HostOptions } from "../sim/processHost";
import NodeWorkerModule from "./node.worker.ts?worker&inline";
import { NodeWorker } from "./nodeWorker";

/** Starts the worker that hosts one process slot (`name`: the process's). */
export type WorkerFactory = (name: string) => Worker;

/**
 * The worker's code is bundled into the page and started from a blob: URL, so
 * starting a process (a restart, a new replica) never asks the network for
 * anything: the page keeps working offline and embedded (docs/security.md).
 */
export const nodeWorkerFactory: WorkerFactory = (name) =>
  // Named after its process, as devtools (and `self.name` inside) show it.
  new NodeWorkerModule({ name: `node ${name}` });

/**
 * One module worker per process slot, and one MessageChannel per pair of
 * them: the main thread creates each channel, transfers one port to each
 * worker and never sees what crosses it.
 */
export class WorkerHostSet implements HostSet {
  private readonly nodes = new Map<string, NodeWorker>();

  constructor(
    private readonly options: HostOptions,
    private readonly createWorker: WorkerFactory = nodeWorkerFactory,
    private readonly stepTimeoutMs = 15_000,
  ) {}

  spawn(init: HostInit): Promise<void> {
    const ports: Record<string, MessagePort> = {};
    for (const [peer, node] of this.nodes) {
      const channel = new MessageChannel();
      ports[peer] = channel.port1;
      node.post({ type: "channel", peer: init.name, port: channel.port2 }, [channel.port2]);
    }
    const node = new NodeWorker(init.name, this.createWorker(init.name), this.stepTimeoutMs);
    this.nodes.set(init.name, node);
    node.post(
      {
        type: "init",
        name: init.name,
        ip: init.ip,
        rank: init.rank,
        options: this.options,
        from: init.from,
        ports,
      },
      Object.values(ports),
    );
    return Promise.resolve();
  }

  terminate(name: string): void {
    this.nodes.get(name)?.terminate();
    this.nodes.delete(name);
  }

  async step(steps: ReadonlyMap<string, HostStep>): Promise<ReadonlyMap<string, HostReport>> {
    const entries = [...steps].map(async ([name, step]) => {
      const node = this.nodes.get(name);
      if (!node) throw new Error(`no worker for ${name}`);
      return [name, await node.step(step)] as const;
    });
    return new Map(await Promise.all(entries));
  }

  query(name: string, query: HostQuery): Promise<HostAnswer> {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`no worker for ${name}`);
    return node.query(query);
  }

  /** Terminates every worker. */
  dispose(): void {
    for (const node of this.nodes.values()) node.terminate();
    this.nodes.clear();
  }
}
