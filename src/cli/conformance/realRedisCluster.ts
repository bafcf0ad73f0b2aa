/**
 * The `Cluster` interface over real redis-server processes, so the scenario
 * interpreter can replay a script against real Redis (Node only).
 *
 * - A node is one redis-server on a free port of 127.0.0.1, in its own
 *   directory, with persistence off and the node's configuration as
 *   command-line options. `crash` is SIGKILL by pid; `restart` starts it again
 *   on the same port with an empty directory, the last role and configuration
 *   the harness saw it take (from the `node` line and the `REPLICAOF` and
 *   `CONFIG SET` commands sent through the harness).
 * - Every connection from one node to another runs through a `TcpProxy` of the
 *   harness, one per direction of each pair, so cut, heal, reset, latency and
 *   bandwidth act on real TCP connections. Node names resolve to proxies:
 *   `REPLICAOF r1 6379` on r2 becomes `REPLICAOF 127.0.0.1 <proxy r2→r1>`.
 *   INFO is rewritten back into the simulator's terms (`infoText.ts`).
 * - Client lines use one RESP connection per node and client name; INFO,
 *   settle polls and dataset dumps use a separate control connection, so a
 *   script's MULTI or SELECT is never disturbed.
 * - Time is real: `advance` waits, `settle` polls INFO, `sleep` is
 *   `DEBUG SLEEP` on a side connection, not awaited. Jitter is not modelled,
 *   and a path has no added delay unless a `network` or `link` line sets one.
 * - `trace()` and `views()` are empty, `onTrace` never fires and `submit`
 *   does not report its reply: the conformance harness compares replies and
 *   INFO, not byte-level events. Sentinel processes are not started.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ByteString } from "../../engine/bytes";
import { findConfig, parseConfigValue } from "../../engine/config";
import type { VirtualTime } from "../../engine/io";
import type { Reply } from "../../engine/reply";
import type { NodeView } from "../../engine/server/view";
import type { Cluster, Fault, NodeSnapshot, NodeSpec } from "../../sim/cluster";
import { ClusterError } from "../../sim/cluster";
import type { PathSettings } from "../../sim/network";
import type { TraceEvent } from "../../sim/trace";
import { realKeyspaceDigest } from "./digest";
import type { AddressNaming } from "./infoText";
import { SIMULATED_PORT, normaliseInfoFields, normaliseInfoText, parseInfo } from "./infoText";
import { PathControl, TcpProxy } from "./proxy";
import type { ProxyPathSettings } from "./proxy";
import { RedisProcess, delay, freePort } from "./redisProcess";
import { ConnectionClosedError, RespConnection } from "./respConnection";

export interface RealRedisClusterOptions {
  /** The redis-server binary. */
  readonly binary: string;
  /** A fresh directory; each node gets a subdirectory. */
  readonly baseDir: string;
  /** Upper bound on one `settle`, whatever the script allows (real seconds are expensive). */
  readonly settleCapMs: number;
  /** How often `settle` polls INFO. */
  readonly pollMs: number;
}

/** Where a replica replicates from: a node (through a proxy) or an address the harness does not know. */
type MasterTarget = { readonly node: string } | { readonly host: string; readonly port: string };

interface RealNode {
  readonly name: string;
  readonly rank: number;
  readonly port: number;
  readonly dir: string;
  proc: RedisProcess | null;
  /** Role to restart with. */
  master: MasterTarget | null;
  /** Configuration to restart with (canonical names and values). */
  readonly config: Map<string, string>;
  readonly clients: Map<string, RespConnection>;
  control: RespConnection | null;
  sleeper: RespConnection | null;
  /** `performance.now()` when the last `sleep` ends. */
  asleepUntilMs: number;
}

const REPLICAOF_COMMANDS = new Set(["REPLICAOF", "SLAVEOF"]);

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

export class RealRedisCluster implements Cluster {
  private readonly nodesByName = new Map<string, RealNode>();
  private readonly proxies = new Map<string, TcpProxy>();
  /** Proxy port → the node behind it. */
  private readonly proxyTargets = new Map<number, string>();
  private readonly paths = new Map<string, PathControl>();
  /** Pairs whose timing a `link` line set; the others follow `network`. */
  private readonly linkSettings = new Map<string, ProxyPathSettings>();
  private networkSettings: ProxyPathSettings = { latencyMs: 0, bandwidthBytesPerSec: 0 };
  private readonly startedAtMs = performance.now();
  private lastUnsettled: string | null = null;

  constructor(private readonly options: RealRedisClusterOptions) {}

  /** How real addresses read in the simulator's terms. */
  readonly naming: AddressNaming = {
    nodeBehindProxy: (port) => this.proxyTargets.get(port),
    simulatedIpOfPort: (port) => {
      for (const node of this.nodesByName.values()) {
        if (node.port === port) return simulatedIp(node.rank);
      }
      return undefined;
    },
  };

  now(): VirtualTime {
    return Math.round((performance.now() - this.startedAtMs) * 1000);
  }

  setEpoch(_epochMs: number): void {
    // Real Redis runs on the wall clock: a script's absolute times (PXAT, EXPIREAT)
    // mean something else there. The harness compares expiries by the time left.
  }

  setVersion(_version: "7.0" | "6.2"): void {
    // The binary decides; the harness skips scripts for another version.
  }

  nodes(): readonly string[] {
    return [...this.nodesByName.keys()];
  }

  /** Whether the node's process is stalled by `sleep` now (its INFO would wait for it). */
  asleep(name: string): boolean {
    const node = this.nodesByName.get(name);
    return node !== undefined && node.proc !== null && node.asleepUntilMs > performance.now();
  }

  async startNode(spec: NodeSpec): Promise<void> {
    if (spec.kind === "sentinel") {
      throw new ClusterError("the conformance harness does not start Sentinel processes yet");
    }
    if (this.nodesByName.has(spec.name)) throw new ClusterError(`node ${spec.name} already exists`);
    const dir = join(this.options.baseDir, spec.name);
    mkdirSync(dir, { recursive: true });
    const node: RealNode = {
      name: spec.name,
      rank: this.nodesByName.size,
      port: await freePort(),
      dir,
      proc: null,
      master: spec.replicaOf === undefined ? null : this.target(spec.replicaOf, SIMULATED_PORT),
      config: new Map(spec.config),
      clients: new Map(),
      control: null,
      sleeper: null,
      asleepUntilMs: 0,
    };
    this.nodesByName.set(spec.name, node);
    await this.boot(node);
  }

  async command(
    name: string,
    client: string,
    argv: readonly ByteString[],
    maxWaitUs = 60_000_000,
  ): Promise<Reply> {
    const node = this.requireRunning(name);
    const sent = await this.rewriteCommand(node, argv);
    let conn = node.clients.get(client);
    if (!conn || conn.closed) {
      conn = await RespConnection.connect(node.port);
      node.clients.set(client, conn);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ClusterError(`no reply from ${name} within ${maxWaitUs / 1e6}s`)),
        maxWaitUs / 1000,
      );
    });
    try {
      const reply = await Promise.race([conn.call(sent), timeout]);
      this.track(node, argv, reply);
      return reply;
    } catch (e) {
      if (e instanceof ConnectionClosedError) {
        throw new ClusterError(
          node.proc?.running ? `${name} closed the connection` : `${name} crashed before replying`,
        );
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  submit(name: string, client: string, argv: readonly ByteString[]): Promise<void> {
    this.command(name, client, argv).catch(() => undefined);
    return Promise.resolve();
  }

  async fault(fault: Fault): Promise<void> {
    switch (fault.kind) {
      case "cut":
        if (fault.b !== undefined) this.path(fault.a, fault.b).setCut(true);
        else for (const other of this.others(fault.a)) this.path(fault.a, other).setCut(true);
        return;
      case "heal":
        for (const [key, path] of this.paths) {
          const [x = "", y = ""] = key.split("|");
          const matches =
            fault.a === undefined ||
            (fault.b === undefined
              ? x === fault.a || y === fault.a
              : key === pairKey(fault.a, fault.b));
          if (matches) path.setCut(false);
        }
        return;
      case "reset":
        this.requireNode(fault.a);
        this.requireNode(fault.b);
        this.proxies.get(`${fault.a}>${fault.b}`)?.reset();
        this.proxies.get(`${fault.b}>${fault.a}`)?.reset();
        return;
      case "crash": {
        const node = this.requireRunning(fault.node);
        await this.kill(node);
        return;
      }
      case "restart": {
        const node = this.requireNode(fault.node);
        if (node.proc?.running) throw new ClusterError(`${fault.node} is running; crash it first`);
        await this.boot(node);
        return;
      }
      case "sleep": {
        const node = this.requireRunning(fault.node);
        node.sleeper ??= await RespConnection.connect(node.port);
        node.sleeper.send(["DEBUG", "SLEEP", String(fault.durationUs / 1e6)]);
        node.asleepUntilMs = Math.max(
          node.asleepUntilMs,
          performance.now() + fault.durationUs / 1000,
        );
        return;
      }
      case "network":
        this.networkSettings = { ...this.networkSettings, ...proxySettings(fault.settings) };
        for (const [key, path] of this.paths) {
          if (!this.linkSettings.has(key)) path.set(this.networkSettings);
        }
        return;
      case "link": {
        this.requireNode(fault.a);
        this.requireNode(fault.b);
        const key = pairKey(fault.a, fault.b);
        const settings = {
          ...(this.linkSettings.get(key) ?? this.networkSettings),
          ...proxySettings(fault.settings),
        };
        this.linkSettings.set(key, settings);
        this.path(fault.a, fault.b).set(settings);
        return;
      }
    }
  }

  async advance(durationUs: VirtualTime): Promise<void> {
    await delay(durationUs / 1000);
  }

  async settle(maxUs: VirtualTime): Promise<boolean> {
    const deadline = performance.now() + Math.min(maxUs / 1000, this.options.settleCapMs);
    for (;;) {
      const reason = await this.unsettled();
      this.lastUnsettled = reason;
      if (reason === null) return true;
      if (performance.now() > deadline) return false;
      await delay(this.options.pollMs);
    }
  }

  /** Why the last `settle` poll found the cluster not quiet, or null when it was. */
  get unsettledReason(): string | null {
    return this.lastUnsettled;
  }

  async infoText(name: string, section: string): Promise<string> {
    const node = this.requireRunning(name);
    const reply = await (await this.control(node)).call(section ? ["INFO", section] : ["INFO"]);
    return normaliseInfoText(replyText(reply), this.naming);
  }

  async snapshot(name: string): Promise<NodeSnapshot> {
    const node = this.requireNode(name);
    if (!node.proc?.running) return { name, running: false, info: new Map() };
    const fields = await this.rawInfo(node, "all");
    return { name, running: true, info: normaliseInfoFields(fields, this.naming) };
  }

  async keyspaceDigest(name: string): Promise<string> {
    const node = this.requireRunning(name);
    return realKeyspaceDigest(await this.control(node));
  }

  /** SAVE, then the file it wrote. */
  async dumpRdb(name: string): Promise<ByteString> {
    const node = this.requireRunning(name);
    const reply = await (await this.control(node)).call(["SAVE"]);
    if (reply.type === "error") throw new ClusterError(`SAVE on ${name}: ${reply.value}`);
    const file = node.config.get("dbfilename") ?? "dump.rdb";
    return readFileSync(join(node.dir, file), "latin1");
  }

  loadRdb(): Promise<void> {
    return Promise.reject(
      new ClusterError("loading a dump.rdb is not supported against real Redis"),
    );
  }

  trace(): readonly TraceEvent[] {
    return [];
  }

  views(): Promise<readonly NodeView[]> {
    return Promise.resolve([]);
  }

  onTrace(_listener: (events: readonly TraceEvent[]) => void): () => void {
    return () => undefined;
  }

  /** Stops every process (SIGKILL by pid), proxy and connection; removes the directories unless `keep`. */
  async close(keep: boolean): Promise<void> {
    for (const node of this.nodesByName.values()) await this.kill(node);
    await Promise.all([...this.proxies.values()].map((p) => p.close()));
    this.proxies.clear();
    if (!keep) rmSync(this.options.baseDir, { recursive: true, force: true });
  }

  // ---- processes --------------------------------------------------------------------

  private async boot(node: RealNode): Promise<void> {
    // An empty dataset on every start, as the simulator's restart has.
    for (const file of readdirSync(node.dir)) {
      if (file.endsWith(".rdb")) rmSync(join(node.dir, file), { force: true });
    }
    const args = configArgs(node.config);
    if (node.master) args.push("--replicaof", ...(await this.masterAddress(node, node.master)));
    node.asleepUntilMs = 0;
    node.proc = await RedisProcess.start({
      binary: this.options.binary,
      port: node.port,
      dir: node.dir,
      args,
    });
  }

  private async kill(node: RealNode): Promise<void> {
    await node.proc?.kill();
    for (const conn of node.clients.values()) conn.close();
    node.clients.clear();
    node.control?.close();
    node.control = null;
    node.sleeper?.close();
    node.sleeper = null;
    node.asleepUntilMs = 0;
  }

  private async control(node: RealNode): Promise<RespConnection> {
    if (!node.control || node.control.closed)
      node.control = await RespConnection.connect(node.port);
    return node.control;
  }

  private async rawInfo(node: RealNode, section: string): Promise<Map<string, string>> {
    const reply = await (await this.control(node)).call(["INFO", section]);
    return parseInfo(replyText(reply));
  }

  // ---- names, proxies and paths --------------------------------------------------------

  /** A host and port as a script wrote them, resolved to a node when it is one. */
  private target(host: string, port: string): MasterTarget {
    if (port === SIMULATED_PORT) {
      for (const node of this.nodesByName.values()) {
        if (host === node.name || host === simulatedIp(node.rank)) return { node: node.name };
      }
    }
    return { host, port };
  }

  /** The address `from` must dial to reach a target: the proxy of that path, for a node. */
  private async masterAddress(from: RealNode, target: MasterTarget): Promise<[string, string]> {
    if (!("node" in target)) return [target.host, target.port];
    const proxy = await this.proxy(from.name, target.node);
    return ["127.0.0.1", String(proxy.port)];
  }

  private async proxy(from: string, to: string): Promise<TcpProxy> {
    const key = `${from}>${to}`;
    let proxy = this.proxies.get(key);
    if (!proxy) {
      proxy = await TcpProxy.listen(this.requireNode(to).port, this.path(from, to));
      this.proxies.set(key, proxy);
      this.proxyTargets.set(proxy.port, to);
    }
    return proxy;
  }

  private path(a: string, b: string): PathControl {
    this.requireNode(a);
    this.requireNode(b);
    const key = pairKey(a, b);
    let path = this.paths.get(key);
    if (!path) {
      path = new PathControl();
      path.set(this.linkSettings.get(key) ?? this.networkSettings);
      this.paths.set(key, path);
    }
    return path;
  }

  private others(name: string): string[] {
    this.requireNode(name);
    return [...this.nodesByName.keys()].filter((n) => n !== name);
  }

  private isCut(a: string, b: string): boolean {
    return this.paths.get(pairKey(a, b))?.cut ?? false;
  }

  // ---- commands -----------------------------------------------------------------------

  /**
   * `REPLICAOF <node> 6379` names the node's proxy instead. `FAILOVER TO
   * <node or 10.0.0.N> 6379` names the replica as its master knows it
   * (127.0.0.1 and the port it listens on), so the handover connection is
   * dialled directly, not through a proxy.
   */
  private async rewriteCommand(
    node: RealNode,
    argv: readonly ByteString[],
  ): Promise<readonly ByteString[]> {
    if ((argv[0] ?? "").toUpperCase() === "FAILOVER") return this.rewriteFailover(argv);
    const [name = "", host = "", port = ""] = argv;
    if (!REPLICAOF_COMMANDS.has(name.toUpperCase()) || argv.length !== 3) return argv;
    if (host.toUpperCase() === "NO" && port.toUpperCase() === "ONE") return argv;
    const [realHost, realPort] = await this.masterAddress(node, this.target(host, port));
    return [name, realHost, realPort];
  }

  private rewriteFailover(argv: readonly ByteString[]): readonly ByteString[] {
    const to = argv.findIndex((a, i) => i > 0 && a.toUpperCase() === "TO");
    const host = argv[to + 1];
    const port = argv[to + 2];
    if (to < 0 || host === undefined || port === undefined) return argv;
    const target = this.target(host, port);
    if (!("node" in target)) return argv;
    const real = this.requireNode(target.node);
    return [...argv.slice(0, to + 1), "127.0.0.1", String(real.port), ...argv.slice(to + 3)];
  }

  /** Remembers the role and configuration a node takes, for `restart`. */
  private track(node: RealNode, argv: readonly ByteString[], reply: Reply): void {
    if (reply.type !== "simple") return;
    const name = (argv[0] ?? "").toUpperCase();
    if (REPLICAOF_COMMANDS.has(name) && argv.length === 3) {
      const [, host = "", port = ""] = argv;
      const noOne = host.toUpperCase() === "NO" && port.toUpperCase() === "ONE";
      node.master = noOne ? null : this.target(host, port);
    } else if (name === "CONFIG" && (argv[1] ?? "").toUpperCase() === "SET") {
      for (let i = 2; i + 1 < argv.length; i += 2) {
        const spec = findConfig(argv[i] ?? "");
        const parsed = spec && parseConfigValue(spec, argv[i + 1] ?? "");
        if (spec && parsed?.ok) node.config.set(spec.name, parsed.value);
      }
    }
  }

  // ---- settle -------------------------------------------------------------------------

  /**
   * The `settle` condition of docs/scenario-format.md, read from INFO: no
   * process stalled, nothing waiting in a proxy on a path that is not cut,
   * no replica of a reachable master in a state other than online, and every
   * replica of a running, reachable master linked up, not syncing, at the
   * master's offset, with the master holding its ACK for that offset.
   */
  private async unsettled(): Promise<string | null> {
    const running = [...this.nodesByName.values()].filter((n) => n.proc?.running);
    const sleeper = running.find((n) => this.asleep(n.name));
    if (sleeper) return `${sleeper.name} is asleep`;
    for (const [key, proxy] of this.proxies) {
      if (proxy.inFlight) return `bytes in flight from ${key.replace(">", " to ")}`;
    }
    const infos = new Map<string, Map<string, string>>();
    await Promise.all(
      running.map(async (n) => infos.set(n.name, await this.rawInfo(n, "replication"))),
    );
    const byPort = new Map(running.map((n) => [n.port, n.name]));
    for (const node of running) {
      const info = infos.get(node.name);
      if (!info) return `no INFO from ${node.name}`;
      for (const [key, value] of info) {
        if (!/^slave\d+$/.test(key)) continue;
        const entry = new Map(value.split(",").map((p) => p.split("=", 2) as [string, string]));
        const peer = byPort.get(Number(entry.get("port")));
        if (entry.get("state") !== "online" && peer !== undefined && !this.isCut(node.name, peer)) {
          return `${node.name} has replica ${peer} in state ${entry.get("state")}`;
        }
      }
      if (info.get("role") !== "slave") continue;
      const masterName = this.proxyTargets.get(Number(info.get("master_port")));
      const masterInfo = masterName === undefined ? undefined : infos.get(masterName);
      if (masterName === undefined || !masterInfo || this.isCut(node.name, masterName)) continue;
      if (info.get("master_link_status") !== "up" || info.get("master_sync_in_progress") !== "0") {
        return `${node.name}'s link to ${masterName} is not up`;
      }
      const offset = masterInfo.get("master_repl_offset");
      if (info.get("slave_repl_offset") !== offset) {
        return `${node.name} is at offset ${info.get("slave_repl_offset")}, ${masterName} at ${offset}`;
      }
      const record = [...masterInfo].find(
        ([key, value]) => /^slave\d+$/.test(key) && value.includes(`,port=${node.port},`),
      );
      if (!record?.[1].includes(`,state=online,offset=${offset},`)) {
        return `${masterName} holds ${record ? `${record[0]}:${record[1]}` : "no replica record"} for ${node.name}, not its ACK of ${offset}`;
      }
    }
    return null;
  }

  // ---- helpers ------------------------------------------------------------------------

  private requireNode(name: string): RealNode {
    const node = this.nodesByName.get(name);
    if (!node) throw new ClusterError(`unknown node ${name}`);
    return node;
  }

  private requireRunning(name: string): RealNode {
    const node = this.requireNode(name);
    if (!node.proc?.running) throw new ClusterError(`${name} is not running`);
    return node;
  }
}

/** The simulator's address of the node started `rank`-th (0-based). */
export function simulatedIp(rank: number): string {
  return `10.0.0.${rank + 1}`;
}

/** The node's configuration as redis-server options (Sentinel-only parameters left out). */
export function configArgs(config: ReadonlyMap<string, string>): string[] {
  const args: string[] = [];
  for (const [name, value] of config) {
    if (findConfig(name)?.sentinelOnly) continue;
    args.push(`--${name}`, ...(value === "" ? [""] : value.split(" ")));
  }
  return args;
}

function proxySettings(settings: Partial<PathSettings>): Partial<ProxyPathSettings> {
  return {
    ...(settings.latencyUs !== undefined ? { latencyMs: settings.latencyUs / 1000 } : {}),
    ...(settings.bandwidthBytesPerSec !== undefined
      ? { bandwidthBytesPerSec: settings.bandwidthBytesPerSec }
      : {}),
  };
}

function replyText(reply: Reply): string {
  if (reply.type === "bulk" && reply.value !== null) return reply.value;
  if (reply.type === "error") throw new ClusterError(reply.value);
  return "";
}
