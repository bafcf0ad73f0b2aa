/**
 * The raw MessageChannel reference: a worker that either sends `n` messages on
 * its port, one per write, or counts what arrives and says when it has `n`.
 */

/** Main thread → channel worker. */
export type ToChannelWorker =
  | { readonly type: "ping" }
  | { readonly type: "port"; readonly port: MessagePort }
  | { readonly type: "expect"; readonly n: number }
  | { readonly type: "send"; readonly n: number; readonly payload: string };

/** Channel worker → main thread. */
export type FromChannelWorker = { readonly type: "pong" } | { readonly type: "received" };

interface WorkerScope {
  onmessage: ((e: MessageEvent<ToChannelWorker>) => void) | null;
  postMessage(message: FromChannelWorker): void;
}

const scope = self as unknown as WorkerScope;
let port: MessagePort | null = null;
let expected = 0;
let received = 0;

scope.onmessage = (e) => {
  const message = e.data;
  switch (message.type) {
    case "ping":
      scope.postMessage({ type: "pong" });
      return;
    case "port":
      port = message.port;
      port.onmessage = () => {
        if (++received === expected) scope.postMessage({ type: "received" });
      };
      return;
    case "expect":
      expected = message.n;
      received = 0;
      return;
    case "send":
      for (let i = 0; i < message.n; i++) port?.postMessage(message.payload);
      return;
  }
};
