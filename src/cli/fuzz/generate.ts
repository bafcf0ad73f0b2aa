import { Random } from "../../engine/random";

/** Options for one random scenario. */
export interface GenerateOptions {
  readonly seed: number;
  /** Lines of actions after the setup. */
  readonly steps: number;
}

const WRITES: ((r: Random, i: number) => string)[] = [
  (r, i) => `SET k${r.int(20)} v${i}`,
  (r, i) => `SET k${r.int(20)} v${i} EX ${1 + r.int(5)}`,
  (r, i) => `SET k${r.int(20)} v${i} PX ${100 + r.int(3000)} NX`,
  (r) => `INCR n${r.int(5)}`,
  (r) => `INCRBYFLOAT f${r.int(3)} 1.5`,
  (r) => `DEL k${r.int(20)} n${r.int(5)}`,
  (r) => `EXPIRE k${r.int(20)} ${r.int(4)}`,
  (r, i) => `APPEND s${r.int(3)} x${i}`,
  (r, i) => `LPUSH l${r.int(3)} a${i} b${i}`,
  (r) => `RPOP l${r.int(3)}`,
  (r, i) => `HSET h${r.int(3)} f${r.int(5)} ${i}`,
  (r) => `HINCRBYFLOAT h${r.int(3)} g 0.25`,
  (r) => `SADD s:${r.int(3)} m${r.int(10)} m${r.int(10)}`,
  (r) => `SPOP s:${r.int(3)}`,
  (r) => `ZADD z${r.int(3)} ${r.int(100)} m${r.int(10)}`,
  (r, i) => `GETSET k${r.int(20)} g${i}`,
  (r) => `GETDEL k${r.int(20)}`,
  (r) => `SELECT ${r.int(3)}`,
  () => `FLUSHDB`,
  (r, i) => `MSET a${r.int(5)} ${i} b${r.int(5)} ${i}`,
];

const TRANSACTION = ["MULTI", "SET tx1 1", "INCR tx2", "EXEC"];

/**
 * A random scenario: 2 to 6 servers (sometimes chained), random settings and
 * model, then writes of every type, faults, promotions and waits. The
 * generator tracks the topology so writes go to masters; writes sent to a
 * replica check that it refuses them. Same seed, same script.
 */
export function generateScenario(options: GenerateOptions): string {
  const r = new Random(options.seed);
  const lines: string[] = [`title fuzz ${options.seed}`, `seed ${options.seed}`];
  if (r.next() < 0.25) lines.push("redis 6.2");
  lines.push(`config repl-diskless-sync-delay ${r.next() < 0.7 ? 0 : 1}`);
  lines.push(`config repl-backlog-size ${r.next() < 0.5 ? "16kb" : "1mb"}`);
  lines.push(`config repl-timeout ${[3, 10, 60][r.int(3)] ?? 60}`);
  // A 1 s ping period beats in phase with the 1 s ACKs: the master never holds an ACK for its latest offset.
  lines.push(`config repl-ping-replica-period ${[2, 5, 10][r.int(3)] ?? 10}`);
  if (r.next() < 0.3) lines.push(`network latency ${1 + r.int(20)}ms jitter ${r.int(5)}ms`);

  const count = 2 + r.int(5);
  const names = Array.from({ length: count }, (_, i) => (i === 0 ? "m" : `r${i}`));
  /** Each node's master (null for a master). */
  const masterOf = new Map<string, string | null>();
  for (const [i, name] of names.entries()) {
    if (i === 0) {
      lines.push(`node ${name}`);
      masterOf.set(name, null);
    } else {
      const master = r.next() < 0.3 && i > 1 ? (names[1 + r.int(i - 1)] ?? "m") : "m";
      lines.push(`node ${name} replicaof ${master}`);
      masterOf.set(name, master);
    }
  }
  lines.push("settle");

  // Half the runs also carry an application client fixed to m, whose writes the ledger
  // follows. Its choices come from a stream of their own, so the rest of the script is
  // what it would be without it.
  const c = new Random(`client ${options.seed}`);
  const withClient = c.next() < 0.5;
  if (withClient) lines.push("client app node m");

  const crashed = new Set<string>();
  const cuts = new Set<string>();
  const pick = (from: readonly string[]): string => from[r.int(from.length)] ?? "m";
  const running = () => names.filter((n) => !crashed.has(n));
  const masters = () => running().filter((n) => masterOf.get(n) === null);

  for (let i = 0; i < options.steps; i++) {
    const roll = r.next();
    const live = running();
    if (roll < 0.45) {
      const target = masters().length > 0 ? pick(masters()) : pick(live);
      if (r.next() < 0.1) {
        for (const cmd of TRANSACTION) lines.push(`${target}> ${cmd}`);
      } else {
        const write = WRITES[r.int(WRITES.length)];
        // The ledger's check reads the client's keys back: nothing else may delete them.
        const text = write ? write(r, i) : "";
        if (text !== "")
          lines.push(`${target}> ${withClient && text === "FLUSHDB" ? "DEL k0" : text}`);
      }
    } else if (roll < 0.5) {
      const replicas = live.filter((n) => masterOf.get(n) !== null);
      if (replicas.length > 0) lines.push(`${pick(replicas)}> SET readonly ${i}`);
    } else if (roll < 0.62) {
      lines.push(`advance ${[10, 200, 1000, 3000][r.int(4)] ?? 10}ms`);
    } else if (roll < 0.68 && live.length >= 2) {
      const a = pick(live);
      const b = pick(live.filter((n) => n !== a));
      lines.push(`cut ${a} ${b}`);
      cuts.add([a, b].sort().join(" "));
    } else if (roll < 0.74 && cuts.size > 0) {
      const pair = [...cuts][r.int(cuts.size)] ?? "";
      lines.push(`heal ${pair}`);
      cuts.delete(pair);
    } else if (roll < 0.78 && live.length >= 2) {
      const a = pick(live);
      lines.push(`reset ${a} ${pick(live.filter((n) => n !== a))}`);
    } else if (roll < 0.81 && live.length > 2) {
      const victim = pick(live);
      lines.push(`crash ${victim}`);
      crashed.add(victim);
    } else if (roll < 0.85 && crashed.size > 0) {
      const back = [...crashed][r.int(crashed.size)] ?? "";
      lines.push(`restart ${back}`);
      crashed.delete(back);
    } else if (roll < 0.88) {
      lines.push(`sleep ${pick(live)} ${[100, 500, 2000][r.int(3)] ?? 100}ms`);
    } else if (roll < 0.92) {
      // Promotion: a replica becomes a master, and the others follow it.
      const replicas = live.filter((n) => masterOf.get(n) !== null);
      if (replicas.length === 0) continue;
      const promoted = pick(replicas);
      lines.push(`${promoted}> REPLICAOF NO ONE`);
      masterOf.set(promoted, null);
      for (const other of live) {
        if (other === promoted || r.next() < 0.3) continue;
        lines.push(`${other}> REPLICAOF ${promoted} 6379`);
        masterOf.set(other, promoted);
      }
    } else if (roll < 0.94) {
      lines.push(
        `${pick(live)}> CONFIG SET repl-backlog-size ${r.next() < 0.5 ? "16384" : "1048576"}`,
      );
    } else if (cuts.size === 0 && crashed.size === 0) {
      lines.push("settle 120s");
    }
    if (withClient && c.next() < 0.3) lines.push(`app> SET ack:${i} w${i}`);
  }
  // The end: heal everything, bring everyone back, and wait for convergence.
  lines.push("heal");
  for (const name of crashed) lines.push(`restart ${name}`);
  lines.push("settle 300s");
  return lines.join("\n") + "\n";
}
