/**
 * A tiny RESP2 client over node:net: one TCP connection to one redis-server,
 * commands pipelined in order, replies parsed with the engine's own streaming
 * parser so they come back as the same `Reply` values the simulator produces.
 * Byte strings travel as latin1: one char per byte, both ways.
 */
import { createConnection } from "node:net";
import type { Socket } from "node:net";
import type { ByteString } from "../../engine/bytes";
import type { Reply } from "../../engine/reply";
import { encodeCommand } from "../../engine/resp/encode";
import { ReplyParser } from "../../engine/resp/parser";

/** The connection closed (or failed) before a reply arrived. */
export class ConnectionClosedError extends Error {
  override readonly name = "ConnectionClosedError";
}

interface Waiter {
  readonly resolve: (reply: Reply) => void;
  readonly reject: (error: Error) => void;
}

export class RespConnection {
  private readonly parser = new ReplyParser();
  private readonly waiting: Waiter[] = [];
  private closedError: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (e) => this.fail(new ConnectionClosedError(e.message)));
    socket.on("close", () => this.fail(new ConnectionClosedError("connection closed")));
  }

  /** Connects to 127.0.0.1:port; rejects if nobody listens there. */
  static connect(port: number): Promise<RespConnection> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: "127.0.0.1", port });
      const onError = (e: Error) => reject(new ConnectionClosedError(e.message));
      socket.once("error", onError);
      socket.once("connect", () => {
        socket.off("error", onError);
        resolve(new RespConnection(socket));
      });
    });
  }

  get closed(): boolean {
    return this.closedError !== null;
  }

  /** Sends one command and resolves with its reply (error replies included). */
  call(argv: readonly ByteString[]): Promise<Reply> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.socket.write(Buffer.from(encodeCommand(argv), "latin1"));
    });
  }

  /** Sends several commands at once and resolves with their replies, in order. */
  pipeline(commands: readonly (readonly ByteString[])[]): Promise<Reply[]> {
    if (commands.length === 0) return Promise.resolve([]);
    if (this.closedError) return Promise.reject(this.closedError);
    const replies = commands.map(
      () =>
        new Promise<Reply>((resolve, reject) => {
          this.waiting.push({ resolve, reject });
        }),
    );
    this.socket.write(Buffer.from(commands.map(encodeCommand).join(""), "latin1"));
    return Promise.all(replies);
  }

  /** Sends a command whose reply nobody waits for (it is read and dropped). */
  send(argv: readonly ByteString[]): void {
    this.call(argv).catch(() => undefined);
  }

  close(): void {
    this.socket.destroy();
    this.fail(new ConnectionClosedError("connection closed"));
  }

  private onData(chunk: Buffer): void {
    this.parser.feed(chunk.toString("latin1"));
    for (;;) {
      const parsed = this.parser.next();
      if (parsed === undefined) return;
      if ("error" in parsed) {
        this.socket.destroy();
        this.fail(new ConnectionClosedError(`bad reply stream: ${parsed.error}`));
        return;
      }
      this.waiting.shift()?.resolve(parsed.reply);
    }
  }

  private fail(error: Error): void {
    if (!this.closedError) this.closedError = error;
    for (const w of this.waiting.splice(0)) w.reject(error);
  }
}
