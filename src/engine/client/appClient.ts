import type { ByteString } from "../bytes";
import type {
  ClientKey,
  ConnId,
  Process,
  ProcessEvent,
  ProcessInput,
  ProcessOutput,
  VirtualTime,
} from "../io";
import { Random } from "../random";
import type { Reply } from "../reply";
import { encodeCommand } from "../resp/encode";
import { lookupCommand } from "../server/dispatch";
import type { Address, ConnPurpose, OnReply } from "./appConn";
import { AppConn, addrKey } from "./appConn";
import { parseReplicas } from "./sentinelReplies";

/**
 * How an application client finds its servers: through the Sentinels of a
 * group (`client NAME sentinel GROUP …`) or fixed to one process
 * (`client NAME node NODE`).
 */
export type AppRoute =
  | {
      readonly kind: "sentinel";
      readonly group: string;
      /** Every Sentinel that monitors the group, in the order they were started. */
      readonly sentinels: readonly Address[];
      readonly reads: "master" | "replicas";
      /** Send `WAIT numReplicas timeoutMs` after every write. */
      readonly wait?: { readonly numReplicas: number; readonly timeoutMs: number };
    }
  | { readonly kind: "node"; readonly addr: Address };

export interface AppClientOptions {
  readonly name: string;
  readonly ip: string;
  readonly incarnation: number;
  readonly seed: number | string;
  readonly startTime: VirtualTime;
  readonly route: AppRoute;
}

/** How long a request may wait for its reply (a client library's socket timeout). */
export const REQUEST_TIMEOUT_US = 5_000_000;
/** How long one Sentinel may take to say where the master is before the next is asked. */
const SENTINEL_TIMEOUT_US = 1_000_000;
/** The client's housekeeping beat: timeouts, lost subscriptions. */
const TICK_US = 100_000;
/** How often a lost `+switch-master` subscription is tried again (not at every beat). */
const RESUBSCRIBE_US = 1_000_000;

interface Request {
  readonly key: ClientKey;
  readonly argv: readonly ByteString[];
  readonly op: "write" | "read" | "other";
  sentAt: VirtualTime;
  deadline: VirtualTime;
  conn: AppConn | null;
  timedOut: boolean;
  /** Nothing listened at the address (the process is down). */
  refused: boolean;
}

/**
 * An application client as a simulated process: it has an address, so cuts
 * and partitions apply to it. Through Sentinel it asks for the master
 * (`SENTINEL get-master-addr-by-name`), follows `+switch-master`, sends
 * writes to the master and reads to the master or, round robin, to the
 * replicas; with `wait` it sends `WAIT` after every write. It names itself
 * on every connection (`CLIENT SETNAME`) so servers can tell its writes, and
 * reports each answer as an `appClient` event, from which the ledger counts
 * acknowledged writes and stale reads. One request at a time, in order, as a
 * script's lines come.
 */
export class AppClient implements Process {
  readonly name: string;
  readonly ip: string;
  readonly runId: string;
  readonly startTime: VirtualTime;
  readonly route: AppRoute;
  /** Where writes go now; null until a Sentinel said (or after the master failed us). */
  master: Address | null;
  replicas: Address[] = [];
  private nextReplica = 0;
  private readonly incarnation: number;
  private nextConnSeq = 1;
  private readonly conns = new Map<ConnId, AppConn>();
  private readonly byAddr = new Map<string, AppConn>();
  private readonly queue: Request[] = [];
  private active: Request | null = null;
  private discovery: { index: number; deadline: VirtualTime; conn: AppConn } | null = null;
  /** Inside MULTI … EXEC: every command goes to the master's connection; WAIT waits for EXEC. */
  private multi: { hasWrite: boolean } | null = null;
  private nextSubscribeAt: VirtualTime = 0;
  private now: VirtualTime;
  private nextTickAt: VirtualTime;
  private requestedWake: VirtualTime = -1;
  private out: ProcessOutput[] = [];

  constructor(options: AppClientOptions) {
    this.name = options.name;
    this.ip = options.ip;
    this.incarnation = options.incarnation;
    this.startTime = options.startTime;
    this.now = options.startTime;
    this.route = options.route;
    this.runId = new Random(options.seed).hex(40);
    this.master = options.route.kind === "node" ? options.route.addr : null;
    this.nextTickAt = options.startTime + 1000;
  }

  handle(now: VirtualTime, input: ProcessInput): ProcessOutput[] {
    this.now = Math.max(this.now, now);
    switch (input.kind) {
      case "timerFired":
        if (this.now >= this.nextTickAt) {
          this.tick();
          this.nextTickAt = this.now + TICK_US;
        }
        break;
      case "connected":
        this.connected(input.conn);
        break;
      case "connectFailed":
        if (this.active?.conn?.id === input.conn) this.active.refused = true;
        this.lost(input.conn);
        break;
      case "connectionClosed":
        this.lost(input.conn);
        break;
      case "bytesReceived":
        this.bytes(input.conn, input.bytes);
        break;
      case "clientCommand":
        this.queue.push({
          key: input.client,
          argv: input.argv,
          op: this.transactionOp(input.argv),
          sentAt: this.now,
          deadline: 0,
          conn: null,
          timedOut: false,
          refused: false,
        });
        this.next();
        break;
      case "accepted":
      case "sent":
      case "loadRdb":
        break;
    }
    const out = this.out;
    if (this.nextTickAt !== this.requestedWake) {
      this.requestedWake = this.nextTickAt;
      out.push({ kind: "timer", at: this.nextTickAt });
    }
    this.out = [];
    return out;
  }

  // ---- requests ------------------------------------------------------------

  /** Starts the next request when none is in progress. */
  private next(): void {
    if (this.active || this.discovery) return;
    const req = this.queue[0];
    if (!req) return;
    if (!this.master) {
      this.discover(0);
      return;
    }
    this.queue.shift();
    this.active = req;
    const target = this.target(req.op);
    const conn = this.dataConn(target);
    req.conn = conn;
    req.sentAt = this.now;
    req.deadline = this.now + REQUEST_TIMEOUT_US;
    this.write(conn, req.argv, (reply) => this.answered(req, reply));
  }

  /**
   * How a command is routed, a transaction taken as one: MULTI opens it, the
   * commands it queues are not writes yet, and an EXEC that ran a write is one.
   */
  private transactionOp(argv: readonly ByteString[]): Request["op"] {
    const name = (argv[0] ?? "").toLowerCase();
    const op = classify(argv);
    if (name === "multi") {
      this.multi = { hasWrite: false };
      return "other";
    }
    if (!this.multi) return op;
    if (name === "exec" || name === "discard") {
      const wrote = this.multi.hasWrite && name === "exec";
      this.multi = null;
      return wrote ? "write" : "other";
    }
    if (op === "write") this.multi.hasWrite = true;
    return "other";
  }

  /** Writes go to the master; reads too, unless they are spread over the replicas. */
  private target(op: Request["op"]): Address {
    const master = this.master ?? { ip: "", port: 0 };
    if (op !== "read" || this.route.kind !== "sentinel" || this.route.reads !== "replicas") {
      return master;
    }
    if (this.replicas.length === 0) return master;
    const replica = this.replicas[this.nextReplica % this.replicas.length] ?? master;
    this.nextReplica++;
    return replica;
  }

  private answered(req: Request, reply: Reply | null): void {
    if (this.active !== req) return;
    if (reply === null) {
      this.forgetMasterIf(req.conn?.addr);
      this.finish(req, {
        type: "error",
        value: req.timedOut
          ? `Error: no reply within ${REQUEST_TIMEOUT_US / 1e6}s (connection dropped)`
          : req.refused
            ? "Error: Connection refused"
            : "Error: Server closed the connection",
      });
      return;
    }
    // A master that became a replica: ask the Sentinels again next time.
    if (reply.type === "error" && reply.value.startsWith("READONLY")) {
      this.forgetMasterIf(req.conn?.addr);
    }
    const wait = this.route.kind === "sentinel" ? this.route.wait : undefined;
    if (req.op === "write" && wait && reply.type !== "error" && req.conn && !req.conn.closed) {
      const argv = ["WAIT", String(wait.numReplicas), String(wait.timeoutMs)];
      // WAIT may block up to its timeout: the request's deadline moves with it.
      req.deadline = this.now + wait.timeoutMs * 1000 + REQUEST_TIMEOUT_US;
      this.write(req.conn, argv, (waited) => {
        if (this.active !== req) return;
        this.finish(req, reply, {
          argv,
          reply: waited ?? { type: "error", value: "Error: Server closed the connection" },
        });
      });
      return;
    }
    this.finish(req, reply);
  }

  private finish(
    req: Request,
    reply: Reply,
    wait?: { readonly argv: readonly ByteString[]; readonly reply: Reply },
  ): void {
    this.active = null;
    this.emit({
      type: "appClient",
      op: req.op,
      argv: req.argv,
      reply,
      server: req.conn ? addrKey(req.conn.addr) : "",
      sentAt: req.sentAt,
      ...(wait ? { wait } : {}),
    });
    // With `wait`, the script sees both answers, as a pipeline of the two commands prints them.
    const shown: Reply = wait ? { type: "array", value: [reply, wait.reply] } : reply;
    this.out.push({ kind: "reply", client: req.key, reply: shown });
    this.next();
  }

  /** No master known: the waiting request fails as a client library's would. */
  private failQueued(message: string): void {
    const req = this.queue.shift();
    if (!req) return;
    this.active = req;
    this.finish(req, { type: "error", value: message });
  }

  private forgetMasterIf(addr: Address | undefined): void {
    if (this.route.kind !== "sentinel" || !addr || !this.master) return;
    if (addrKey(addr) === addrKey(this.master)) {
      this.log(`lost the master ${addrKey(addr)}: will ask the Sentinels again`);
      this.master = null;
    }
  }

  // ---- Sentinel ------------------------------------------------------------

  /** Asks the Sentinels in turn, from `index`, where the master is. */
  private discover(index: number): void {
    if (this.route.kind !== "sentinel") return;
    const { group, sentinels } = this.route;
    const sentinel = sentinels[index];
    if (!sentinel) {
      this.discovery = null;
      this.failQueued(`No master found for '${group}'`);
      this.next();
      return;
    }
    const conn = this.connTo(sentinel, "sentinel");
    this.discovery = { index, deadline: this.now + SENTINEL_TIMEOUT_US, conn };
    this.write(conn, ["SENTINEL", "get-master-addr-by-name", group], (reply) => {
      if (this.discovery?.conn !== conn) return;
      const addr = masterAddress(reply);
      if (!addr) {
        this.discover(index + 1);
        return;
      }
      this.master = addr;
      this.log(`${addrKey(sentinel)} says the master of ${group} is ${addrKey(addr)}`);
      if (this.wantsReplicas()) {
        this.write(conn, ["SENTINEL", "replicas", group], (replicas) => {
          this.replicas = parseReplicas(replicas);
          this.finishDiscovery(conn);
        });
      } else {
        this.finishDiscovery(conn);
      }
    });
  }

  private finishDiscovery(conn: AppConn): void {
    if (this.discovery?.conn !== conn) return;
    this.discovery = null;
    this.next();
  }

  private wantsReplicas(): boolean {
    return this.route.kind === "sentinel" && this.route.reads === "replicas";
  }

  /** `+switch-master <group> <old-ip> <old-port> <new-ip> <new-port>`. */
  private switchMaster(message: readonly ByteString[]): void {
    if (this.route.kind !== "sentinel" || message[1] !== "+switch-master") return;
    const [group, , , ip, port] = (message[2] ?? "").split(" ");
    if (group !== this.route.group || ip === undefined || port === undefined) return;
    const addr = { ip, port: Number(port) };
    if (this.master && addrKey(this.master) === addrKey(addr)) return;
    this.master = addr;
    this.log(`+switch-master: writes now go to ${addrKey(addr)}`);
    if (this.wantsReplicas()) {
      const first = this.route.sentinels[0];
      if (!first) return;
      const conn = this.connTo(first, "sentinel");
      this.write(conn, ["SENTINEL", "replicas", group], (reply) => {
        if (reply) this.replicas = parseReplicas(reply);
      });
    }
  }

  /** Keeps one subscription to `+switch-master` on every Sentinel. */
  private subscribe(): void {
    if (this.route.kind !== "sentinel") return;
    for (const sentinel of this.route.sentinels) {
      const conn = this.connTo(sentinel, "subscribe");
      if (conn.subscriber) continue;
      conn.subscriber = (message) => this.switchMaster(message);
      this.write(conn, ["SUBSCRIBE", "+switch-master"], () => undefined);
    }
  }

  // ---- time ----------------------------------------------------------------

  private tick(): void {
    if (this.now >= this.nextSubscribeAt) {
      this.subscribe();
      this.nextSubscribeAt = this.now + RESUBSCRIBE_US;
    }
    const d = this.discovery;
    if (d && this.now >= d.deadline) {
      this.close(d.conn);
      if (this.discovery === d) this.discover(d.index + 1);
    }
    const req = this.active;
    if (req?.conn && this.now >= req.deadline) {
      req.timedOut = true;
      this.close(req.conn);
    }
    if (!this.active && !this.discovery) this.next();
  }

  // ---- connections ---------------------------------------------------------

  /** The open connection of this purpose to `addr`, or a new one. */
  private connTo(addr: Address, purpose: ConnPurpose): AppConn {
    const key = `${purpose} ${addrKey(addr)}`;
    const existing = this.byAddr.get(key);
    if (existing && !existing.closed) return existing;
    const id = `${this.name}.${this.incarnation}.${this.nextConnSeq++}`;
    const conn = new AppConn(id, addr, purpose);
    this.conns.set(id, conn);
    this.byAddr.set(key, conn);
    this.out.push({ kind: "connect", conn: id, host: addr.ip, port: addr.port });
    return conn;
  }

  /** A data connection names the client first, so servers can tell its writes. */
  private dataConn(addr: Address): AppConn {
    const key = `data ${addrKey(addr)}`;
    const existing = this.byAddr.get(key);
    if (existing && !existing.closed) return existing;
    const conn = this.connTo(addr, "data");
    this.write(conn, ["CLIENT", "SETNAME", this.name], () => undefined);
    return conn;
  }

  private write(conn: AppConn, argv: readonly ByteString[], cb: OnReply): void {
    conn.callbacks.push(cb);
    const bytes = encodeCommand(argv);
    if (conn.connected) this.out.push({ kind: "send", conn: conn.id, bytes });
    else conn.outbox.push(bytes);
  }

  private connected(id: ConnId): void {
    const conn = this.conns.get(id);
    if (!conn) return;
    conn.connected = true;
    const bytes = conn.outbox.join("");
    conn.outbox = [];
    if (bytes.length > 0) this.out.push({ kind: "send", conn: id, bytes });
  }

  private bytes(id: ConnId, bytes: ByteString): void {
    const conn = this.conns.get(id);
    if (!conn || conn.closed) return;
    conn.parser.feed(bytes);
    for (;;) {
      const item = conn.parser.next();
      if (item === undefined) break;
      if ("error" in item) {
        this.close(conn);
        return;
      }
      conn.dispatch(item.reply);
    }
  }

  private close(conn: AppConn): void {
    if (conn.closed) return;
    this.out.push({ kind: "close", conn: conn.id });
    this.lost(conn.id);
  }

  private lost(id: ConnId): void {
    const conn = this.conns.get(id);
    if (!conn) return;
    this.conns.delete(id);
    conn.subscriber = null;
    conn.fail();
  }

  private emit(event: ProcessEvent): void {
    this.out.push({ kind: "event", event });
  }

  private log(text: string): void {
    this.emit({ type: "log", level: "notice", text });
  }
}

/** Writes (by the command table's `write` flag), reads (`readonly`), and the rest. */
export function classify(argv: readonly ByteString[]): "write" | "read" | "other" {
  const entry = lookupCommand(argv[0] ?? "");
  if (!entry) return "other";
  if (entry.write) return "write";
  if (entry.spec.flags.includes("readonly")) return "read";
  return "other";
}

/** The `[ip, port]` of `SENTINEL get-master-addr-by-name`, or null (nil, error, no reply). */
function masterAddress(reply: Reply | null): Address | null {
  if (reply?.type !== "array" || !reply.value) return null;
  const [ip, port] = reply.value;
  if (ip?.type !== "bulk" || port?.type !== "bulk" || ip.value === null || port.value === null) {
    return null;
  }
  return { ip: ip.value, port: Number(port.value) };
}
