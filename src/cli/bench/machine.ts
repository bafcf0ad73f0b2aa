import { execFileSync } from "node:child_process";
import { cpus, loadavg, platform, release, totalmem } from "node:os";

/** The machine a benchmark ran on, printed above the table and stored with it. */
export interface Machine {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly redis: string | null;
  /** 1, 5 and 15 minute load averages when the run started: the machine is shared. */
  readonly loadAverage: readonly number[];
}

/** Reads the machine's description; `redisServer` is asked for its version. */
export function describeMachine(redisServer: string): Machine {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    redis: redisVersion(redisServer),
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

function redisVersion(redisServer: string): string | null {
  try {
    const out = execFileSync(redisServer, ["--version"], { encoding: "utf8" });
    return /v=(\S+)/.exec(out)?.[1] ?? out.trim();
  } catch {
    return null;
  }
}

/** One line for the top of the printed table. */
export function machineLine(m: Machine): string {
  return (
    `machine: ${m.cores} cores, ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}; ` +
    `node ${m.node}; redis-server ${m.redis ?? "not found"}; ` +
    `load average at start ${m.loadAverage.join(" ")}`
  );
}
