/**
 * Real redis-server processes for the reference figures: started on free
 * loopback ports, each in its own temporary directory, spoken to by a small
 * RESP client, and stopped by PID.
 */
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const REDIS_SERVER = process.env.REDIS_SERVER ?? "/usr/bin/redis-server";
export const REDIS_BENCHMARK = process.env.REDIS_BENCHMARK ?? "/usr/bin/redis-benchmark";

/** A reply as this client reads it: errors are values, not exceptions. */
export type RedisReply = string | number | null | RedisError | RedisReply[];

export class RedisError {
  constructor(readonly message: string) {}
}

/** A free TCP port on 127.0.0.1, above 20000 (asked of the OS, then released). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 40000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error("no free port found");
}

/** A minimal pipelining RESP2 client: replies come back in request order. */
export class RedisClient {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly waiting: {
    resolve: (r: RedisReply) => void;
    reject: (e: Error) => void;
  }[] = [];
  private closedError: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    const fail = (e: Error) => {
      this.closedError = e;
      for (const w of this.waiting.splice(0)) w.reject(e);
    };
    socket.on("error", fail);
    socket.on("close", () => fail(new Error("connection closed")));
  }

  static connect(port: number): Promise<RedisClient> {
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      socket.once("error", reject);
      socket.connect(port, "127.0.0.1", () => {
        socket.off("error", reject);
        resolve(new RedisClient(socket));
      });
    });
  }

  command(...argv: readonly (string | number)[]): Promise<RedisReply> {
    if (this.closedError) return Promise.reject(this.closedError);
    let out = `*${argv.length}\r\n`;
    for (const a of argv) {
      const s = String(a);
      out += `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.socket.write(out);
    });
  }

  /** A command whose reply must not be an error; returns it as text. */
  async call(...argv: readonly (string | number)[]): Promise<string> {
    const reply = await this.command(...argv);
    if (reply instanceof RedisError) throw new Error(`${argv.join(" ")}: ${reply.message}`);
    return Array.isArray(reply) ? JSON.stringify(reply) : String(reply);
  }

  /** INFO SECTION as a field map. */
  async info(section: string): Promise<Map<string, string>> {
    const text = await this.call("INFO", section);
    const fields = new Map<string, string>();
    for (const line of text.split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0 && !line.startsWith("#"))
        fields.set(line.slice(0, colon), line.slice(colon + 1));
    }
    return fields;
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const parsed = parseReply(this.buffer, 0);
      if (!parsed) return;
      this.buffer = this.buffer.subarray(parsed.end);
      this.waiting.shift()?.resolve(parsed.value);
    }
  }
}

/** Parses one RESP2 reply at `pos`; null when the buffer does not hold all of it yet. */
function parseReply(buf: Buffer, pos: number): { value: RedisReply; end: number } | null {
  const lineEnd = buf.indexOf("\r\n", pos);
  if (lineEnd < 0) return null;
  const type = String.fromCharCode(buf[pos] ?? 0);
  const line = buf.toString("latin1", pos + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case "+":
      return { value: line, end: next };
    case "-":
      return { value: new RedisError(line), end: next };
    case ":":
      return { value: Number(line), end: next };
    case "$": {
      const len = Number(line);
      if (len < 0) return { value: null, end: next };
      if (buf.length < next + len + 2) return null;
      return { value: buf.toString("utf8", next, next + len), end: next + len + 2 };
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: RedisReply[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, at);
        if (!item) return null;
        items.push(item.value);
        at = item.end;
      }
      return { value: items, end: at };
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)}`);
  }
}

/** One redis-server process in its own directory. */
export class RedisProcess {
  private exited = false;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly child: ChildProcess,
  ) {
    child.once("exit", () => {
      this.exited = true;
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Starts `redis-server` on a free port with persistence off and waits until it answers PING. */
  static async start(extraArgs: readonly string[] = []): Promise<RedisProcess> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "rrp-bench-"));
    const args = [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--daemonize",
      "no",
      "--dir",
      dir,
      "--logfile",
      join(dir, "redis.log"),
      ...extraArgs,
    ];
    const child = spawn(REDIS_SERVER, args, { stdio: "ignore" });
    const proc = new RedisProcess(port, dir, child);
    const spawnError = new Promise<never>((_, reject) => child.once("error", reject));
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        const client = await Promise.race([RedisClient.connect(port), spawnError]);
        const pong = await client.command("PING");
        client.close();
        if (pong === "PONG") return proc;
      } catch (e) {
        if (proc.exited || Date.now() > deadline) {
          proc.stop();
          throw new Error(`redis-server on port ${port} did not start`, { cause: e });
        }
      }
      await sleep(20);
    }
  }

  client(): Promise<RedisClient> {
    return RedisClient.connect(this.port);
  }

  /** Kills the process by its PID (SIGKILL: nothing to save) and removes its directory. */
  stop(): void {
    const pid = this.child.pid;
    if (!this.exited && pid !== undefined) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Starts processes through `start`, hands them to `body`, and stops every one by PID afterwards. */
export async function withRedis<T>(
  body: (start: (args?: readonly string[]) => Promise<RedisProcess>) => Promise<T>,
): Promise<T> {
  const started: RedisProcess[] = [];
  try {
    return await body(async (args = []) => {
      const p = await RedisProcess.start(args);
      started.push(p);
      return p;
    });
  } finally {
    for (const p of started) p.stop();
  }
}

/** Polls `check` until it returns true; throws after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
  pollMs = 1,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    if (pollMs > 0) await sleep(pollMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
