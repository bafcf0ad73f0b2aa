import type { HostAnswer, HostQuery, HostReport, HostStep } from "../sim/hostStep";
import type { FromNode, ToNode } from "./protocol";
import { packStep, unpackReport } from "./protocol";

/**
 * The main thread's side of one node worker: posts steps and queries and
 * resolves their answers. A worker that throws, fails to load or stops
 * answering is terminated and reported as failed; its pending step resolves
 * with a `failed` report so the rest of the cluster carries on.
 */
export class NodeWorker {
  private failure: string | null = null;
  /** Steps posted and not yet answered, oldest first (a worker answers in order). */
  private readonly waitingSteps: ((report: HostReport) => void)[] = [];
  private readonly waitingAnswers = new Map<
    number,
    { query: HostQuery; resolve: (a: HostAnswer) => void }
  >();
  private nextQueryId = 1;
  private watchdog: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly name: string,
    private readonly worker: Worker,
    private readonly stepTimeoutMs: number,
  ) {
    worker.onmessage = (e: MessageEvent<FromNode>) => this.onMessage(e.data);
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.fail(e.message || "the worker failed to load");
    };
    worker.onmessageerror = () => this.fail("a message could not be read");
  }

  post(message: ToNode, transfer: Transferable[] = []): void {
    if (this.failure === null) this.worker.postMessage(message, transfer);
  }

  step(step: HostStep): Promise<HostReport> {
    if (this.failure !== null) return Promise.resolve(failedReport(this.name, this.failure));
    return new Promise((resolve) => {
      this.waitingSteps.push(resolve);
      this.watchdog ??= this.startWatchdog();
      this.post({ type: "step", step: packStep(step) });
    });
  }

  /**
   * Asks the worker a question. A worker that does not answer within the step
   * timeout is failed as for a step: a query waits in the coordinator's queue
   * of operations, so one that never returned (a worker that closed itself
   * right before a view refresh) stopped the whole cluster, and the worker
   * was never found out.
   */
  query(query: HostQuery): Promise<HostAnswer> {
    if (this.failure !== null) return Promise.resolve(emptyAnswer(query));
    const id = this.nextQueryId++;
    return new Promise((resolve) => {
      const watchdog = setTimeout(
        () => this.fail(`no answer within ${this.stepTimeoutMs / 1000}s`),
        this.stepTimeoutMs,
      );
      this.waitingAnswers.set(id, {
        query,
        resolve: (answer) => {
          clearTimeout(watchdog);
          resolve(answer);
        },
      });
      this.post({ type: "query", id, query });
    });
  }

  terminate(): void {
    this.fail("terminated");
  }

  private onMessage(message: FromNode): void {
    switch (message.type) {
      case "report": {
        const resolve = this.waitingSteps.shift();
        this.clearWatchdog();
        // The next step, if one was posted ahead, gets its own time.
        if (this.waitingSteps.length > 0) this.watchdog = this.startWatchdog();
        resolve?.(unpackReport(message.report));
        return;
      }
      case "answer": {
        const waiting = this.waitingAnswers.get(message.id);
        this.waitingAnswers.delete(message.id);
        waiting?.resolve(message.answer);
        return;
      }
      case "failed":
        this.fail(message.message);
        return;
    }
  }

  private fail(message: string): void {
    if (this.failure !== null) return;
    this.failure = message;
    this.worker.terminate();
    this.clearWatchdog();
    for (const resolve of this.waitingSteps.splice(0)) resolve(failedReport(this.name, message));
    for (const { query, resolve: answer } of this.waitingAnswers.values())
      answer(emptyAnswer(query));
    this.waitingAnswers.clear();
  }

  private startWatchdog(): ReturnType<typeof setTimeout> {
    return setTimeout(
      () => this.fail(`no answer within ${this.stepTimeoutMs / 1000}s`),
      this.stepTimeoutMs,
    );
  }

  private clearWatchdog(): void {
    if (this.watchdog !== null) clearTimeout(this.watchdog);
    this.watchdog = null;
  }
}

function failedReport(name: string, message: string): HostReport {
  return {
    name,
    now: 0,
    running: false,
    sent: {},
    nextAt: null,
    minSentAt: null,
    quiet: { stalledUntil: 0, queuedFrom: {}, sentTo: {}, server: null },
    records: [],
    failed: message,
  };
}

function emptyAnswer(query: HostQuery): HostAnswer {
  switch (query.kind) {
    case "view":
      return { kind: "view", view: null };
    case "sentinelView":
      return { kind: "sentinelView", view: null };
    case "info":
      return { kind: "info", text: null };
    case "fields":
      return { kind: "fields", fields: null };
    case "digest":
      return { kind: "digest", digest: null };
    case "rdb":
      return { kind: "rdb", rdb: null };
  }
}
