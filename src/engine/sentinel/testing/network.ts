import type { ByteString } from "../../bytes";
import type {
  ClientKey,
  ConnId,
  ProcessEvent,
  ProcessInput,
  ProcessOutput,
  VirtualTime,
} from "../../io";
import { hashString } from "../../random";
import type { Reply } from "../../reply";
import { Server } from "../../server/server";
import type { SentinelConfig, SentinelMonitor } from "../sentinel";
import { Sentinel } from "../sentinel";

/**
 * A tiny network for the Sentinel tests: Server and Sentinel processes wired
 * by connection id, one event loop in virtual time, a fixed one-way latency,
 * FIFO delivery per connection. Crash, restart, cut and heal behave as the
 * scenario language describes them. It keeps only the essentials of
 * src/sim (no bandwidth, jitter, workers or trace).
 */

type Process = Server | Sentinel;

interface Host {
  readonly name: string;
  readonly ip: string;
  readonly port: number;
  readonly make: (incarnation: number, startTime: VirtualTime) => Process;
  incarnation: number;
  process: Process | null;
  timerGen: number;
}

interface End {
  readonly host: string;
  readonly incarnation: number;
  open: boolean;
}

interface Conn {
  readonly id: ConnId;
  readonly a: End; // the side that connected
  readonly b: End;
  readonly peerPort: number;
}

type Message =
  | { readonly kind: "syn" }
  | { readonly kind: "synAck"; readonly ok: boolean }
  | { readonly kind: "data"; readonly bytes: ByteString }
  | { readonly kind: "fin" };

type Item =
  | {
      readonly kind: "message";
      readonly conn: Conn;
      readonly from: string;
      readonly to: string;
      readonly message: Message;
    }
  | {
      readonly kind: "timer";
      readonly host: string;
      readonly incarnation: number;
      readonly gen: number;
    }
  | {
      readonly kind: "input";
      readonly host: string;
      readonly incarnation: number;
      readonly input: ProcessInput;
    };

interface Queued {
  readonly at: VirtualTime;
  readonly seq: number;
  readonly item: Item;
}

/** One log line a process emitted. */
export interface LoggedEvent {
  readonly t: VirtualTime;
  readonly host: string;
  readonly event: ProcessEvent;
}

export interface ServerSpec {
  readonly replicaOf?: string;
  readonly config?: Readonly<Record<string, string>>;
}

export interface SentinelSpec {
  readonly monitors: readonly SentinelMonitor[];
  readonly config?: SentinelConfig;
}

export const EPOCH_MS = 1767225600000;

export class TestNetwork {
  now: VirtualTime = 0;
  readonly events: LoggedEvent[] = [];
  readonly replies: { t: VirtualTime; host: string; client: ClientKey; reply: Reply }[] = [];
  private readonly hosts = new Map<string, Host>();
  private readonly conns = new Map<ConnId, Conn>();
  private readonly heap: Queued[] = [];
  private seq = 0;
  private nextPort = 40000;
  private readonly cuts = new Set<string>();
  private held: Queued[] = [];

  constructor(
    readonly latencyUs: VirtualTime = 1000,
    private readonly seed = 1,
  ) {}

  /** Starts a redis-server; with `replicaOf`, as `--replicaof HOST 6379`. */
  addServer(name: string, ip: string, spec: ServerSpec = {}): void {
    this.addHost(name, ip, 6379, (incarnation, startTime) => {
      const replicaOf = spec.replicaOf;
      return new Server({
        name,
        ip,
        port: 6379,
        incarnation,
        seed: hashString(`${this.seed}/${name}/${incarnation}`),
        startTime,
        epochMs: EPOCH_MS,
        version: "7.0",
        config: new Map(Object.entries(spec.config ?? {})),
        ...(replicaOf !== undefined ? { replicaOf: { host: replicaOf, port: 6379 } } : {}),
      });
    });
  }

  addSentinel(name: string, ip: string, spec: SentinelSpec): void {
    this.addHost(name, ip, 26379, (incarnation, startTime) => {
      return new Sentinel({
        name,
        ip,
        incarnation,
        seed: hashString(`${this.seed}/${name}/${incarnation}`),
        startTime,
        epochMs: EPOCH_MS,
        monitors: spec.monitors,
        ...(spec.config ? { config: spec.config } : {}),
        resolveHost: (host) => this.hosts.get(host)?.ip,
      });
    });
  }

  server(name: string): Server {
    const p = this.hosts.get(name)?.process;
    if (!(p instanceof Server)) throw new Error(`${name} is not a running server`);
    return p;
  }

  sentinel(name: string): Sentinel {
    const p = this.hosts.get(name)?.process;
    if (!(p instanceof Sentinel)) throw new Error(`${name} is not a running sentinel`);
    return p;
  }

  /** The process dies: every connection it had is closed, and its peers see a FIN. */
  crash(name: string): void {
    const host = this.host(name);
    if (!host.process) return;
    host.process = null;
    for (const conn of this.conns.values()) {
      for (const [mine, peer] of [
        [conn.a, conn.b],
        [conn.b, conn.a],
      ] as const) {
        if (mine.host !== name || !mine.open) continue;
        mine.open = false;
        if (peer.open) this.transmit(conn, name, peer.host, { kind: "fin" });
      }
    }
  }

  /** Starts the process again at the same address (empty, new run id). */
  restart(name: string): void {
    const host = this.host(name);
    if (host.process) throw new Error(`${name} is running`);
    host.incarnation++;
    this.boot(host);
  }

  /** Nothing crosses between a and b until `heal`; bytes wait, as TCP's would. */
  cut(a: string, b: string): void {
    this.cuts.add(pairKey(a, b));
  }

  heal(a: string, b: string): void {
    this.cuts.delete(pairKey(a, b));
    const release = this.held.filter((q) => q.item.kind === "message" && isPair(q.item, a, b));
    this.held = this.held.filter((q) => !release.includes(q));
    // At once: anything still in flight on those paths arrives later, so order holds.
    for (const q of release) this.push(this.now, q.item);
  }

  /** Lets `us` of virtual time pass. */
  advance(us: VirtualTime): void {
    this.runUntil(this.now + us);
  }

  /** Runs every event up to `t` (inclusive). Stops early when `until` says so. */
  runUntil(t: VirtualTime, until?: () => boolean): boolean {
    for (;;) {
      if (until?.()) return true;
      const top = this.heap[0];
      if (!top || top.at > t) break;
      this.pop();
      this.now = Math.max(this.now, top.at);
      this.fire(top.item);
    }
    this.now = Math.max(this.now, t);
    return until?.() ?? false;
  }

  /** A console on the process's own host sends a command; waits (virtually) for the reply. */
  command(name: string, argv: readonly ByteString[], client: ClientKey = "console"): Reply {
    const host = this.host(name);
    const before = this.replies.length;
    this.push(this.now, {
      kind: "input",
      host: name,
      incarnation: host.incarnation,
      input: { kind: "clientCommand", client, argv },
    });
    const answered = (): boolean =>
      this.replies.slice(before).some((r) => r.host === name && r.client === client);
    this.runUntil(this.now + 10_000_000, answered);
    const reply = this.replies.slice(before).find((r) => r.host === name && r.client === client);
    if (!reply) throw new Error(`${name} did not answer ${argv.join(" ")}`);
    return reply.reply;
  }

  /** The log lines of one process (or of all), in order. */
  logs(name?: string): string[] {
    return this.events.flatMap((e) =>
      (name === undefined || e.host === name) && e.event.type === "log" ? [e.event.text] : [],
    );
  }

  // ---- internals -------------------------------------------------------------------

  private host(name: string): Host {
    const host = this.hosts.get(name);
    if (!host) throw new Error(`no process named ${name}`);
    return host;
  }

  private addHost(
    name: string,
    ip: string,
    port: number,
    make: (incarnation: number, startTime: VirtualTime) => Process,
  ): void {
    const host: Host = { name, ip, port, make, incarnation: 0, process: null, timerGen: 0 };
    this.hosts.set(name, host);
    this.boot(host);
  }

  private boot(host: Host): void {
    host.process = host.make(host.incarnation, this.now);
    // The first serverCron, 1 ms after start.
    this.setTimer(host, this.now + 1000);
  }

  private setTimer(host: Host, at: VirtualTime): void {
    host.timerGen++;
    this.push(at, {
      kind: "timer",
      host: host.name,
      incarnation: host.incarnation,
      gen: host.timerGen,
    });
  }

  private resolve(name: string, port: number): Host | undefined {
    for (const host of this.hosts.values()) {
      if ((host.name === name || host.ip === name) && host.port === port) return host;
    }
    return undefined;
  }

  private fire(item: Item): void {
    switch (item.kind) {
      case "timer": {
        const host = this.hosts.get(item.host);
        if (!host?.process || host.incarnation !== item.incarnation || host.timerGen !== item.gen) {
          return;
        }
        this.deliver(host, { kind: "timerFired" });
        return;
      }
      case "input": {
        const host = this.hosts.get(item.host);
        if (host?.process && host.incarnation === item.incarnation) this.deliver(host, item.input);
        return;
      }
      case "message":
        this.receive(item.conn, item.from, item.to, item.message);
        return;
    }
  }

  private receive(conn: Conn, from: string, to: string, message: Message): void {
    if (this.cuts.has(pairKey(from, to))) {
      this.held.push({
        at: this.now,
        seq: this.seq++,
        item: { kind: "message", conn, from, to, message },
      });
      return;
    }
    const end = conn.a.host === to ? conn.a : conn.b;
    const host = this.hosts.get(to);
    const alive = host?.process && host.incarnation === end.incarnation;
    switch (message.kind) {
      case "syn": {
        if (!host || !alive) {
          end.open = false;
          this.transmit(conn, to, from, { kind: "synAck", ok: false });
          return;
        }
        this.transmit(conn, to, from, { kind: "synAck", ok: true });
        const peer = this.host(from);
        this.deliver(host, {
          kind: "accepted",
          conn: conn.id,
          peerIp: peer.ip,
          peerPort: conn.peerPort,
        });
        return;
      }
      case "synAck":
        if (!host || !alive || !end.open) return;
        if (!message.ok) {
          end.open = false;
          this.deliver(host, { kind: "connectFailed", conn: conn.id });
          return;
        }
        this.deliver(host, { kind: "connected", conn: conn.id });
        return;
      case "data":
        if (host && alive && end.open) {
          this.deliver(host, { kind: "bytesReceived", conn: conn.id, bytes: message.bytes });
        }
        return;
      case "fin":
        if (!host || !alive || !end.open) return;
        end.open = false;
        this.deliver(host, { kind: "connectionClosed", conn: conn.id });
        return;
    }
  }

  private deliver(host: Host, input: ProcessInput): void {
    const process = host.process;
    if (!process) return;
    this.apply(host, process.handle(this.now, input));
  }

  private apply(host: Host, outputs: readonly ProcessOutput[]): void {
    for (const out of outputs) {
      if (host.process === null) return;
      switch (out.kind) {
        case "send": {
          const conn = this.conns.get(out.conn);
          if (!conn) break;
          const [mine, peer] = conn.a.host === host.name ? [conn.a, conn.b] : [conn.b, conn.a];
          if (mine.open)
            this.transmit(conn, host.name, peer.host, { kind: "data", bytes: out.bytes });
          break;
        }
        case "connect": {
          const target = this.resolve(out.host, out.port);
          const conn: Conn = {
            id: out.conn,
            a: { host: host.name, incarnation: host.incarnation, open: true },
            b: { host: target?.name ?? "", incarnation: target?.incarnation ?? -1, open: true },
            peerPort: this.nextPort++,
          };
          this.conns.set(conn.id, conn);
          if (!target) {
            // Nobody listens there: refused after a round trip.
            conn.a.open = false;
            this.push(this.now + 2 * this.latencyUs, {
              kind: "input",
              host: host.name,
              incarnation: host.incarnation,
              input: { kind: "connectFailed", conn: conn.id },
            });
            break;
          }
          this.transmit(conn, host.name, target.name, { kind: "syn" });
          break;
        }
        case "close": {
          const conn = this.conns.get(out.conn);
          if (!conn) break;
          const [mine, peer] = conn.a.host === host.name ? [conn.a, conn.b] : [conn.b, conn.a];
          if (!mine.open) break;
          mine.open = false;
          if (peer.open) this.transmit(conn, host.name, peer.host, { kind: "fin" });
          break;
        }
        case "reply":
          this.replies.push({ t: this.now, host: host.name, client: out.client, reply: out.reply });
          break;
        case "timer":
          this.setTimer(host, out.at);
          break;
        case "event":
          this.events.push({ t: this.now, host: host.name, event: out.event });
          break;
        case "stall":
          throw new Error("the test network does not model stalls");
      }
    }
  }

  private transmit(conn: Conn, from: string, to: string, message: Message): void {
    this.push(this.now + this.latencyUs, { kind: "message", conn, from, to, message });
  }

  private push(at: VirtualTime, item: Item): void {
    const h = this.heap;
    const entry: Queued = { at, seq: this.seq++, item };
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent];
      if (!p || before(p, entry)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = entry;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop();
    if (!last || h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      let best = last;
      const left = h[l];
      const right = h[r];
      if (left && before(left, best)) {
        m = l;
        best = left;
      }
      if (right && before(right, best)) m = r;
      if (m === i) break;
      h[i] = h[m] ?? last;
      i = m;
    }
    h[i] = last;
  }
}

function before(a: Queued, b: Queued): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function isPair(item: { from: string; to: string }, a: string, b: string): boolean {
  return pairKey(item.from, item.to) === pairKey(a, b);
}
