// The proxy between two real local sockets: a "node" listening on 127.0.0.1
// and a client that reaches it only through the proxy.
import { createConnection, createServer } from "node:net";
import type { Server, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { PAUSE_BYTES, PathControl, TcpProxy } from "./proxy";

interface End {
  readonly socket: Socket;
  received: string;
  closed: boolean;
  error: string | null;
}

function track(socket: Socket): End {
  const end: End = { socket, received: "", closed: false, error: null };
  socket.on("data", (chunk: Buffer) => (end.received += chunk.toString("latin1")));
  socket.on("error", (e: NodeJS.ErrnoException) => (end.error = e.code ?? e.message));
  socket.on("close", () => (end.closed = true));
  return end;
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** A listening "node" whose accepted connections are handed to `accepted`. */
async function listen(): Promise<{ port: number; accepted: Promise<End> }> {
  let resolveAccepted: (end: End) => void = () => undefined;
  const accepted = new Promise<End>((resolve) => (resolveAccepted = resolve));
  const server: Server = createServer((socket) => resolveAccepted(track(socket)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  return { port: typeof address === "object" && address ? address.port : 0, accepted };
}

async function connect(port: number): Promise<End> {
  const socket = createConnection({ host: "127.0.0.1", port });
  await new Promise<void>((resolve) => socket.once("connect", resolve));
  cleanup.push(() => void socket.destroy());
  return track(socket);
}

/** Waits until `check` holds (or fails after a second). */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 1000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function setup(path = new PathControl()) {
  const node = await listen();
  const proxy = await TcpProxy.listen(node.port, path);
  cleanup.push(() => proxy.close());
  const client = await connect(proxy.port);
  return { path, proxy, client, server: () => node.accepted };
}

describe("TcpProxy", () => {
  it("forwards both ways", async () => {
    const { client, server } = await setup();
    client.socket.write("PING\r\n");
    const node = await server();
    await until(() => node.received === "PING\r\n");
    node.socket.write("+PONG\r\n");
    await until(() => client.received === "+PONG\r\n");
  });

  it("holds bytes during a cut, keeps both sockets open, and delivers them in order on heal", async () => {
    const { path, proxy, client, server } = await setup();
    client.socket.write("a");
    const node = await server();
    await until(() => node.received === "a");
    path.setCut(true);
    client.socket.write("b");
    node.socket.write("x");
    client.socket.write("c");
    await pause(50);
    expect(node.received).toBe("a");
    expect(client.received).toBe("");
    expect(node.closed || client.closed).toBe(false);
    expect(proxy.inFlight).toBe(false); // held bytes on a cut path are not "in flight"
    path.setCut(false);
    await until(() => node.received === "abc" && client.received === "x");
    expect(proxy.inFlight).toBe(false);
  });

  it("holds a close during a cut until heal, after the bytes sent before it", async () => {
    const { path, client, server } = await setup();
    client.socket.write("a");
    const node = await server();
    await until(() => node.received === "a");
    path.setCut(true);
    client.socket.end("bye");
    await pause(50);
    expect(node.closed).toBe(false);
    path.setCut(false);
    await until(() => node.received === "abye" && node.closed);
  });

  it("connects onward only on heal when the connection was opened during a cut", async () => {
    const path = new PathControl();
    path.setCut(true);
    const { client, server } = await setup(path);
    client.socket.write("hello");
    let accepted = false;
    void server().then(() => (accepted = true));
    await pause(50);
    expect(accepted).toBe(false);
    path.setCut(false);
    const node = await server();
    await until(() => node.received === "hello");
  });

  it("reset closes both sides at once and drops what was held", async () => {
    const { path, proxy, client, server } = await setup();
    client.socket.write("a");
    const node = await server();
    await until(() => node.received === "a");
    path.setCut(true);
    client.socket.write("lost");
    proxy.reset();
    await until(() => node.closed && client.closed);
    expect(node.received).toBe("a");
    expect(proxy.connections).toBe(0);
  });

  it("delays every chunk by the path's latency", async () => {
    const { path, client, server } = await setup();
    path.set({ latencyMs: 80 });
    const started = performance.now();
    client.socket.write("slow");
    const node = await server();
    await until(() => node.received === "slow");
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it("limits throughput to the path's bandwidth", async () => {
    const { path, client, server } = await setup();
    path.set({ bandwidthBytesPerSec: 100_000 });
    const started = performance.now();
    client.socket.write(Buffer.alloc(20_000, 120));
    const node = await server();
    await until(() => node.received.length === 20_000);
    // 20 kB at 100 kB/s: about 200 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(180);
  });

  it("closes a connection to a port nobody listens on, leaving nothing in flight", async () => {
    // A port that was free a moment ago, as a crashed node's is.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const address = closed.address();
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const port = typeof address === "object" && address ? address.port : 0;
    const proxy = await TcpProxy.listen(port, new PathControl());
    cleanup.push(() => proxy.close());
    const client = await connect(proxy.port);
    client.socket.write("PING\r\n");
    await until(() => client.closed);
    await until(() => !proxy.inFlight && proxy.connections === 0);
  });

  it("stops reading from the sender while too much waits on a slow path", async () => {
    const { path, proxy, client, server } = await setup();
    path.setCut(true);
    const big = Buffer.alloc(16 * 1024 * 1024, 120);
    client.socket.write(big);
    await pause(200);
    // The rest waits in the kernel's buffers and the sender's socket, as on a real network.
    expect(proxy.heldBytes).toBeGreaterThan(0);
    expect(proxy.heldBytes).toBeLessThanOrEqual(PAUSE_BYTES + 256 * 1024);
    path.setCut(false);
    const node = await server();
    await until(() => node.received.length === big.length);
    expect(proxy.heldBytes).toBe(0);
  });
});
