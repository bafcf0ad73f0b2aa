import type { CDPSession, Page } from "@playwright/test";

/**
 * The JavaScript heaps of a page's dedicated workers (the node workers), read
 * over the Chrome DevTools Protocol: the page's session auto-attaches to each
 * worker as it starts, and commands reach a worker through
 * `Target.sendMessageToTarget` (Playwright's CDPSession cannot address a
 * flattened child session). A worker that is terminated (a crash fault)
 * detaches; its replacement attaches under the same name.
 */

/** One worker's heap, after a forced GC. */
export interface WorkerHeap {
  /** The worker's name: `node m` for the master's (src/host/workerHosts.ts). */
  readonly name: string;
  readonly usedMB: number;
  readonly totalMB: number;
  /** ArrayBuffers and other memory the heap's objects hold outside it. */
  readonly backingMB: number;
}

interface Attached {
  readonly name: string;
  /** Whether its sampling heap profile runs (it started after `startSampling`, or was there then). */
  sampling: boolean;
}

interface CdpReply {
  readonly id: number;
  readonly result?: Record<string, unknown>;
  readonly error?: { readonly message: string };
}

/** How long a worker may take to answer before it is left out of a sample (it may be busy or gone). */
const ANSWER_TIMEOUT_MS = 20_000;
const MB = 2 ** 20;

export class WorkerHeaps {
  private readonly workers = new Map<string, Attached>();
  private readonly waiting = new Map<number, (reply: CdpReply | null) => void>();
  private nextId = 1;
  /** Set by `startSampling`: workers that attach later start sampling too. */
  private samplingInterval: number | null = null;

  private constructor(private readonly cdp: CDPSession) {
    cdp.on("Target.attachedToTarget", (e) => {
      if (e.targetInfo.type !== "worker") return;
      const w: Attached = { name: e.targetInfo.title, sampling: false };
      this.workers.set(e.sessionId, w);
      if (this.samplingInterval !== null) void this.startOne(e.sessionId, w);
    });
    cdp.on("Target.detachedFromTarget", (e) => {
      this.workers.delete(e.sessionId);
    });
    cdp.on("Target.receivedMessageFromTarget", (e) => {
      const reply = JSON.parse(e.message) as Partial<CdpReply>;
      if (typeof reply.id !== "number") return;
      const resolve = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      resolve?.(reply as CdpReply);
    });
  }

  /** Attaches to the page's workers, those running now and those it starts later. */
  static async attach(page: Page): Promise<WorkerHeaps> {
    const cdp = await page.context().newCDPSession(page);
    const heaps = new WorkerHeaps(cdp);
    await cdp.send("Target.setAutoAttach", {
      autoAttach: true,
      waitForDebuggerOnStart: false,
      flatten: false,
    });
    return heaps;
  }

  /** Every worker's heap after a GC, by name (a worker that does not answer in time is left out). */
  async sample(): Promise<WorkerHeap[]> {
    const out: WorkerHeap[] = [];
    for (const [sessionId, w] of [...this.workers]) {
      if ((await this.call(sessionId, "HeapProfiler.collectGarbage")) === null) continue;
      const usage = await this.call(sessionId, "Runtime.getHeapUsage");
      if (!usage) continue;
      const num = (k: string) => {
        const v = usage[k];
        return typeof v === "number" ? v / MB : 0;
      };
      out.push({
        name: w.name,
        usedMB: num("usedSize"),
        totalMB: num("totalSize"),
        backingMB: num("backingStorageSize"),
      });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Starts a sampling heap profile in every worker (and every worker started
   * later): without the collected objects, so its figures are what the
   * worker still holds when it stops, by allocating stack.
   */
  async startSampling(intervalBytes = 32_768): Promise<void> {
    this.samplingInterval = intervalBytes;
    for (const [sessionId, w] of this.workers) await this.startOne(sessionId, w);
  }

  /** Stops the profiles and returns them by worker name (the live workers only). */
  async stopSampling(): Promise<Map<string, unknown>> {
    const profiles = new Map<string, unknown>();
    for (const [sessionId, w] of [...this.workers]) {
      if (!w.sampling) continue;
      await this.call(sessionId, "HeapProfiler.collectGarbage");
      const reply = await this.call(sessionId, "HeapProfiler.stopSampling");
      if (reply) profiles.set(w.name, reply["profile"]);
      w.sampling = false;
    }
    this.samplingInterval = null;
    return profiles;
  }

  async detach(): Promise<void> {
    for (const resolve of this.waiting.values()) resolve(null);
    this.waiting.clear();
    await this.cdp.detach().catch(() => undefined);
  }

  private async startOne(sessionId: string, w: Attached): Promise<void> {
    if (w.sampling || this.samplingInterval === null) return;
    w.sampling = true;
    await this.call(sessionId, "HeapProfiler.startSampling", {
      samplingInterval: this.samplingInterval,
    });
  }

  /** Sends `method` to one worker; its result, or null when it failed, timed out or the worker left. */
  private call(
    sessionId: string,
    method: string,
    params: Record<string, unknown> = {},
  ): Promise<Record<string, unknown> | null> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(null);
      }, ANSWER_TIMEOUT_MS);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply && !reply.error ? (reply.result ?? {}) : null);
      });
      this.cdp
        .send("Target.sendMessageToTarget", {
          sessionId,
          message: JSON.stringify({ id, method, params }),
        })
        .catch(() => {
          this.waiting.get(id)?.(null);
          this.waiting.delete(id);
        });
    });
  }
}
