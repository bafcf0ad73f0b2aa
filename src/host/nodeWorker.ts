import type { HostAnswer, HostQuery, HostReport, HostStep } from "../sim/hostStep";
import type { FromNode, ToNode } from "./protocol";
import { packStep, unpackReport } from "./protocol";

/**
 * The main thread's side of one node worker: posts steps and queries and
 * resolves their answers. A worker that throws, fails to load or stops
 * answering (no report or answer for `stepTimeoutMs` while a step or a query
 * waits) is terminated and reported as failed; its pending step resolves
 * with a `failed` report so the rest of the cluster carries on.
 */
export class NodeWorker {
  private failure: string | null = null;
  private waitingStep: ((report: HostReport) => void) | null = null;
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
      this.waitingStep = resolve;
      this.watchdog ??= this.startWatchdog();
      this.post({ type: "step", step: packStep(step) });
    });
  }

  query(query: HostQuery): Promise<HostAnswer> {
    if (this.failure !== null) return Promise.resolve(emptyAnswer(query));
    const id = this.nextQueryId++;
    return new Promise((resolve) => {
      this.waitingAnswers.set(id, { query, resolve });
      // A query to a worker that stopped answering must not wait forever either.
      this.watchdog ??= this.startWatchdog();
      this.post({ type: "query", id, query });
    });
  }

  terminate(): void {
    this.fail("terminated");
  }

  private onMessage(message: FromNode): void {
    switch (message.type) {
      case "report": {
        const resolve = this.waitingStep;
        this.waitingStep = null;
        this.answered();
        resolve?.(unpackReport(message.report));
        return;
      }
      case "answer": {
        const waiting = this.waitingAnswers.get(message.id);
        this.waitingAnswers.delete(message.id);
        this.answered();
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
    const resolve = this.waitingStep;
    this.waitingStep = null;
    this.clearWatchdog();
    resolve?.(failedReport(this.name, message));
    for (const { query, resolve: answer } of this.waitingAnswers.values())
      answer(emptyAnswer(query));
    this.waitingAnswers.clear();
  }

  /** The worker answered: what still waits (a step, a query) gets its own time. */
  private answered(): void {
    this.clearWatchdog();
    if (this.waitingStep !== null || this.waitingAnswers.size > 0)
      this.watchdog = this.startWatchdog();
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
