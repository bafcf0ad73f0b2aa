/**
 * Real redis-server processes for the conformance harness: found, started on
 * a free port of 127.0.0.1 in a directory of their own, and stopped by process
 * id, never by name. Every process started here is remembered until it exits,
 * so `killAllStarted` can stop them on any way out (failure, Ctrl+C).
 */
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { RespConnection } from "./respConnection";

export const INSTALL_COMMAND = "sudo apt-get install redis-server";

/** The redis-server to run: `$REDIS_SERVER`, else `redis-server` on the PATH. */
export function redisServerPath(): string {
  return process.env.REDIS_SERVER ?? "redis-server";
}

/** The version of a redis-server binary (`7.0.15`), or null when it cannot run. */
export function redisServerVersion(binary: string): string | null {
  const r = spawnSync(binary, ["--version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) return null;
  return /v=(\d+\.\d+\.\d+)/.exec(r.stdout)?.[1] ?? null;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; we release it at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const live = new Set<ChildProcess>();

/** SIGKILLs every process this module started that is still running, by its pid. */
export function killAllStarted(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  live.clear();
}

export interface StartOptions {
  readonly binary: string;
  readonly port: number;
  readonly dir: string;
  /** `--name value…` arguments after the fixed ones. */
  readonly args: readonly string[];
  /** How long to wait for the first PONG. */
  readonly readyTimeoutMs?: number;
}

/** One running redis-server process. */
export class RedisProcess {
  private exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly stderr: () => string,
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once("exit", () => resolve());
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Starts redis-server with persistence off and DEBUG allowed from 127.0.0.1,
   * then waits until it answers PING.
   */
  static async start(options: StartOptions): Promise<RedisProcess> {
    const args = [
      "--port",
      String(options.port),
      "--bind",
      "127.0.0.1",
      "--dir",
      options.dir,
      "--logfile",
      "redis.log",
      "--daemonize",
      "no",
      "--enable-debug-command",
      "local",
      ...options.args,
      // Last, so they win: the simulator models no persistence.
      "--save",
      "",
      "--appendonly",
      "no",
    ];
    const child = spawn(options.binary, args, {
      cwd: options.dir,
      stdio: ["ignore", "ignore", "pipe"],
    });
    live.add(child);
    child.once("exit", () => live.delete(child));
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const process = new RedisProcess(child, options.port, () => stderr);
    await process.waitReady(options.readyTimeoutMs ?? 5000);
    return process;
  }

  /** SIGKILL by pid, and wait until the process is gone (its sockets are closed then). */
  async kill(): Promise<void> {
    if (this.running) this.child.kill("SIGKILL");
    await this.exited;
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (!this.running) {
        throw new Error(
          `redis-server on port ${this.port} exited at start: ${this.stderr().trim() || "see redis.log"}`,
        );
      }
      try {
        const conn = await RespConnection.connect(this.port);
        const reply = await conn.call(["PING"]);
        conn.close();
        if (reply.type === "simple" && reply.value === "PONG") return;
      } catch {
        // not listening yet
      }
      if (performance.now() > deadline) {
        await this.kill();
        throw new Error(
          `redis-server on port ${this.port} did not answer PING within ${timeoutMs} ms`,
        );
      }
      await delay(5);
    }
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
