/**
 * One process slot in its own worker: a ProcessHost in a HostShell, wired to
 * a MessagePort per peer. Everything deterministic lives in the host; this
 * file only moves messages (etcd's `node.go` around `rawnode.go`).
 */
import { HostShell } from "../sim/hostShell";
import { ProcessHost } from "../sim/processHost";
import type { FromNode, PeerMessage, ToNode } from "./protocol";
import { packReport, unpackStep } from "./protocol";

declare const self: DedicatedWorkerGlobalScope;

let shell: HostShell | null = null;
const ports = new Map<string, MessagePort>();
/**
 * What a step sent to peers, posted after its report: the coordinator builds
 * the next step while these go out (a peer waits for them by the counts the
 * report carries). A burst's step posts a few hundred kB to each replica,
 * which otherwise held the report back.
 */
const outbox: [MessagePort, PeerMessage][] = [];

function flushOutbox(): void {
  for (const [port, message] of outbox) port.postMessage(message);
  outbox.length = 0;
}

function send(message: FromNode): void {
  self.postMessage(message);
}

/** Runs `fn`; an exception here is a bug in the runtime: report it, the coordinator replaces us. */
function guard(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    send({ type: "failed", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
}

function attach(peer: string, port: MessagePort): void {
  ports.get(peer)?.close();
  ports.set(peer, port);
  shell?.rewire(peer);
  port.onmessage = (e: MessageEvent<PeerMessage>) =>
    guard(() => shell?.receive(peer, e.data.batch));
}

function handle(message: ToNode): void {
  switch (message.type) {
    case "init": {
      const host = new ProcessHost(message, message.options, message.from?.state);
      shell = new HostShell(
        host,
        (peer, batch) => {
          const port = ports.get(peer);
          if (!port) throw new Error(`${message.name}: no channel to ${peer}`);
          outbox.push([port, { type: "segments", batch }]);
        },
        (report) => {
          send({ type: "report", report: packReport(report) });
          flushOutbox();
        },
      );
      for (const [peer, port] of Object.entries(message.ports)) attach(peer, port);
      if (message.from) shell.postDeferred(message.from.deferred);
      flushOutbox();
      return;
    }
    case "channel":
      attach(message.peer, message.port);
      return;
    case "step":
      if (!shell) throw new Error("step before init");
      shell.step(unpackStep(message.step));
      return;
    case "query":
      if (!shell) throw new Error("query before init");
      send({ type: "answer", id: message.id, answer: shell.host.query(message.query) });
      return;
  }
}

self.onmessage = (e: MessageEvent<ToNode>) => guard(() => handle(e.data));
