import type { WorkerFactory } from "../host/workerHosts";
import { nodeWorkerFactory } from "../host/workerHosts";

/**
 * Node workers started before their processes, so that their code loads in
 * parallel: the cluster starts its processes one after the other, each
 * waiting for its worker to answer, and a worker spends about a tenth of a
 * second compiling the engine before it can. Starting the first run's three
 * workers at once, while the page sets the run up, takes that off the path
 * to a shown, working page. A worker is the same whenever it is created;
 * only when it starts loading changes.
 */
export class WorkerPool {
  private readonly waiting = new Map<string, Worker>();

  constructor(
    names: readonly string[],
    private readonly create: WorkerFactory = nodeWorkerFactory,
  ) {
    for (const name of names) this.waiting.set(name, create(name));
  }

  /** The worker started for `name`, once; any other process gets a new one. */
  readonly factory: WorkerFactory = (name) => {
    const worker = this.waiting.get(name);
    if (!worker) return this.create(name);
    this.waiting.delete(name);
    return worker;
  };

  /** Ends the workers no process took. */
  dispose(): void {
    for (const worker of this.waiting.values()) worker.terminate();
    this.waiting.clear();
  }
}
