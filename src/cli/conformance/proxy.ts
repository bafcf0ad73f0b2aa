/**
 * The harness's TCP proxy: every connection from one redis-server to another
 * runs through one, so the scenario's network faults act on real sockets.
 *
 * - `cut` stops forwarding but keeps both sockets open; bytes (and a close)
 *   wait in the proxy, in order, and cross on `heal`, as TCP retransmission
 *   would deliver them. A connection opened during a cut reaches its target
 *   only on heal (the simulator holds the SYN the same way).
 * - `reset` destroys both sockets of every connection with an RST; queued
 *   bytes are lost.
 * - latency delays each chunk; bandwidth serialises chunks of at most 16 KiB.
 *
 * One `PathControl` holds the state of the path between two nodes and is
 * shared by the proxies of both directions (A→B and B→A).
 */
import { createConnection, createServer } from "node:net";
import type { Server, Socket } from "node:net";

/** Largest piece forwarded at once on a bandwidth-limited path (as the simulator's `CHUNK_BYTES`). */
export const CHUNK_BYTES = 16 * 1024;

/**
 * Flow control: past this many queued bytes the proxy stops reading from the
 * sender, so a slow or cut path pushes back on the sending redis-server as a
 * real network would (its socket stops accepting bytes once the kernel's
 * buffers are full). Below `RESUME_BYTES` it reads again.
 */
export const PAUSE_BYTES = 64 * 1024;
export const RESUME_BYTES = 16 * 1024;

export interface ProxyPathSettings {
  /** Added one-way delay; 0 forwards at once. */
  latencyMs: number;
  /** Bytes per second; 0 for unlimited. */
  bandwidthBytesPerSec: number;
}

/** The state of the path between two nodes: cut or not, and its timing. */
export class PathControl {
  private isCut = false;
  private settings: ProxyPathSettings = { latencyMs: 0, bandwidthBytesPerSec: 0 };
  private readonly listeners = new Set<() => void>();

  get cut(): boolean {
    return this.isCut;
  }

  get latencyMs(): number {
    return this.settings.latencyMs;
  }

  get bandwidthBytesPerSec(): number {
    return this.settings.bandwidthBytesPerSec;
  }

  setCut(cut: boolean): void {
    if (this.isCut === cut) return;
    this.isCut = cut;
    this.notify();
  }

  set(settings: Partial<ProxyPathSettings>): void {
    this.settings = { ...this.settings, ...settings };
    this.notify();
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

type Item = { bytes: Buffer; dueMs?: number } | { end: true; dueMs?: number };

/** One direction of one proxied connection: a FIFO of bytes and the final close. */
class Direction {
  private readonly queue: Item[] = [];
  private queuedBytes = 0;
  private paused = false;
  private busyUntilMs = 0;
  private lastDueMs = 0;
  private timer: NodeJS.Timeout | null = null;
  private ended = false;

  constructor(
    private readonly path: PathControl,
    /** The socket bytes are read from. */
    private readonly source: () => Socket | null,
    /** The socket bytes are written to, once it exists and is connected. */
    private readonly target: () => Socket | null,
    private readonly onEnded: () => void,
  ) {}

  get pending(): boolean {
    return this.queue.length > 0;
  }

  get queued(): number {
    return this.queuedBytes;
  }

  push(bytes: Buffer): void {
    if (this.ended) return;
    for (let pos = 0; pos < bytes.length; pos += CHUNK_BYTES) {
      this.queue.push({ bytes: bytes.subarray(pos, pos + CHUNK_BYTES) });
    }
    this.queuedBytes += bytes.length;
    if (this.queuedBytes > PAUSE_BYTES && !this.paused) {
      this.paused = true;
      this.source()?.pause();
    }
    this.pump();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue.push({ end: true });
    this.pump();
  }

  /** Forgets every due time (after a heal, delays count from the heal). */
  rebase(): void {
    for (const item of this.queue) delete item.dueMs;
    this.busyUntilMs = 0;
    this.lastDueMs = 0;
  }

  clear(): void {
    this.queue.length = 0;
    this.queuedBytes = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Forwards every item that is due, then sleeps until the next one is. */
  pump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const socket = this.target();
    if (socket?.destroyed) {
      // Nobody to deliver to any more: what waits is lost, and this direction is over.
      const ends = this.queue.some((item) => "end" in item);
      this.clear();
      if (ends) this.onEnded();
      return;
    }
    if (this.path.cut || socket === null || socket.connecting) return;
    for (;;) {
      const item = this.queue[0];
      if (!item) return;
      const now = performance.now();
      item.dueMs ??= this.dueTime(item, now);
      if (item.dueMs > now + 0.5) {
        this.timer = setTimeout(() => this.pump(), item.dueMs - now);
        return;
      }
      this.queue.shift();
      if ("end" in item) {
        if (!socket.destroyed) socket.end();
        this.onEnded();
        return;
      }
      if (!socket.destroyed) socket.write(item.bytes);
      this.queuedBytes -= item.bytes.length;
      if (this.paused && this.queuedBytes < RESUME_BYTES) {
        this.paused = false;
        this.source()?.resume();
      }
    }
  }

  private dueTime(item: Item, now: number): number {
    let sent = now;
    const bw = this.path.bandwidthBytesPerSec;
    if (bw > 0 && "bytes" in item) {
      sent = Math.max(now, this.busyUntilMs) + (item.bytes.length * 1000) / bw;
      this.busyUntilMs = sent;
    }
    const due = Math.max(sent + this.path.latencyMs, this.lastDueMs);
    this.lastDueMs = due;
    return due;
  }
}

/** A connection accepted by the proxy and its onward connection to the target. */
class Pipe {
  upstream: Socket | null = null;
  readonly toUpstream: Direction;
  readonly toClient: Direction;
  private endedDirections = 0;

  constructor(
    readonly client: Socket,
    private readonly targetPort: number,
    private readonly path: PathControl,
    private readonly onDone: (pipe: Pipe) => void,
  ) {
    this.toUpstream = new Direction(
      path,
      () => this.client,
      () => this.upstream,
      () => this.directionEnded(),
    );
    this.toClient = new Direction(
      path,
      () => this.upstream,
      () => this.client,
      () => this.directionEnded(),
    );
    client.setNoDelay(true);
    client.on("data", (chunk: Buffer) => this.toUpstream.push(chunk));
    client.on("end", () => this.toUpstream.end());
    client.on("error", () => this.toUpstream.end());
    client.on("close", () => {
      this.toUpstream.end();
      this.toClient.pump();
    });
    if (!path.cut) this.connectUpstream();
  }

  get queuedBytes(): number {
    return this.toUpstream.queued + this.toClient.queued;
  }

  get pending(): boolean {
    const connecting = this.upstream?.connecting === true && !this.upstream.destroyed;
    return this.toUpstream.pending || this.toClient.pending || connecting;
  }

  /** After a change of the path: open the onward connection if a cut held it back, and forward. */
  wake(rebase: boolean): void {
    if (rebase) {
      this.toUpstream.rebase();
      this.toClient.rebase();
    }
    if (!this.path.cut && this.upstream === null) this.connectUpstream();
    this.toUpstream.pump();
    this.toClient.pump();
  }

  reset(): void {
    this.toUpstream.clear();
    this.toClient.clear();
    for (const socket of [this.client, this.upstream]) {
      if (socket && !socket.destroyed) resetSocket(socket);
    }
    this.onDone(this);
  }

  private connectUpstream(): void {
    const upstream = createConnection({ host: "127.0.0.1", port: this.targetPort });
    this.upstream = upstream;
    upstream.setNoDelay(true);
    upstream.on("connect", () => this.toUpstream.pump());
    upstream.on("data", (chunk: Buffer) => this.toClient.push(chunk));
    upstream.on("end", () => this.toClient.end());
    upstream.on("error", () => this.toClient.end());
    upstream.on("close", () => {
      this.toClient.end();
      this.toUpstream.pump();
    });
  }

  private directionEnded(): void {
    this.endedDirections++;
    if (this.endedDirections < 2) return;
    this.client.destroy();
    this.upstream?.destroy();
    this.onDone(this);
  }
}

/**
 * Closes a socket with an RST, as `reset` must. libuv refuses an RST on a
 * socket already shutting down (we forwarded a FIN on it) and Node then leaks
 * its handle, which makes the process spin at exit; such a socket, or one
 * still connecting, is simply destroyed.
 */
function resetSocket(socket: Socket): void {
  if (socket.writableEnded || socket.connecting) {
    socket.destroy();
    return;
  }
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

/** A listening proxy that forwards every connection to one target port on 127.0.0.1. */
export class TcpProxy {
  private readonly pipes = new Set<Pipe>();
  private readonly unsubscribe: () => void;
  private wasCut: boolean;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    readonly targetPort: number,
    private readonly path: PathControl,
  ) {
    this.wasCut = path.cut;
    server.on("connection", (socket) => {
      const pipe = new Pipe(socket, targetPort, path, (p) => this.pipes.delete(p));
      this.pipes.add(pipe);
    });
    this.unsubscribe = path.subscribe(() => {
      const healed = this.wasCut && !path.cut;
      this.wasCut = path.cut;
      for (const pipe of this.pipes) pipe.wake(healed);
    });
  }

  /** Starts a proxy on a free port of 127.0.0.1 towards `targetPort`. */
  static listen(targetPort: number, path: PathControl): Promise<TcpProxy> {
    return new Promise((resolve, reject) => {
      const server = createServer({ allowHalfOpen: true });
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        const port = typeof address === "object" && address !== null ? address.port : 0;
        resolve(new TcpProxy(server, port, targetPort, path));
      });
    });
  }

  /** Whether bytes, a close or a connect are waiting to cross a path that is not cut. */
  get inFlight(): boolean {
    if (this.path.cut) return false;
    for (const pipe of this.pipes) if (pipe.pending) return true;
    return false;
  }

  /** Bytes waiting in the proxy, both directions of every connection. */
  get heldBytes(): number {
    let total = 0;
    for (const pipe of this.pipes) total += pipe.queuedBytes;
    return total;
  }

  /** Open connections through this proxy. */
  get connections(): number {
    return this.pipes.size;
  }

  /** Destroys every connection with an RST on both sides (`reset A B`). */
  reset(): void {
    for (const pipe of [...this.pipes]) pipe.reset();
  }

  close(): Promise<void> {
    this.unsubscribe();
    this.reset();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
