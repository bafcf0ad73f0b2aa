/**
 * The configuration parameters the simulator models, with redis.conf names,
 * defaults of redis-server 7.0 (`config.c`) and value syntax. Scenario
 * `config` lines, `CONFIG GET` and `CONFIG SET` all go through this table.
 */

export type ConfigKind =
  | { readonly kind: "bool" }
  | { readonly kind: "int"; readonly min: number; readonly max: number }
  | { readonly kind: "memory"; readonly min: number; readonly max: number }
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "string" }
  /** `client-output-buffer-limit`: `<class> <hard> <soft> <seconds>` groups. */
  | { readonly kind: "clientOutputBufferLimit" };

export interface ConfigSpec {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly type: ConfigKind;
  /** Default, in the canonical form CONFIG GET prints. */
  readonly defaultValue: string;
  /** Only meaningful to Sentinel processes; rejected by a server's CONFIG SET. */
  readonly sentinelOnly?: boolean;
}

const INT_MAX = 2147483647;
const LLONG_MAX = Number.MAX_SAFE_INTEGER;

const bool = { kind: "bool" } as const;
const int = (min: number, max: number) => ({ kind: "int", min, max }) as const;
const memory = (min: number, max: number) => ({ kind: "memory", min, max }) as const;

export const CONFIG_SPECS: readonly ConfigSpec[] = [
  { name: "repl-backlog-size", aliases: [], type: memory(1, LLONG_MAX), defaultValue: "1048576" },
  { name: "repl-backlog-ttl", aliases: [], type: int(0, INT_MAX), defaultValue: "3600" },
  {
    name: "repl-ping-replica-period",
    aliases: ["repl-ping-slave-period"],
    type: int(1, INT_MAX),
    defaultValue: "10",
  },
  { name: "repl-timeout", aliases: [], type: int(1, INT_MAX), defaultValue: "60" },
  { name: "repl-diskless-sync", aliases: [], type: bool, defaultValue: "yes" },
  { name: "repl-diskless-sync-delay", aliases: [], type: int(0, INT_MAX), defaultValue: "5" },
  {
    name: "repl-diskless-sync-max-replicas",
    aliases: [],
    type: int(0, INT_MAX),
    defaultValue: "0",
  },
  {
    name: "repl-diskless-load",
    aliases: [],
    type: { kind: "enum", values: ["disabled", "on-empty-db", "swapdb"] },
    defaultValue: "disabled",
  },
  { name: "repl-disable-tcp-nodelay", aliases: [], type: bool, defaultValue: "no" },
  { name: "replica-read-only", aliases: ["slave-read-only"], type: bool, defaultValue: "yes" },
  {
    name: "replica-serve-stale-data",
    aliases: ["slave-serve-stale-data"],
    type: bool,
    defaultValue: "yes",
  },
  {
    name: "replica-priority",
    aliases: ["slave-priority"],
    type: int(0, INT_MAX),
    defaultValue: "100",
  },
  { name: "replica-announced", aliases: [], type: bool, defaultValue: "yes" },
  { name: "replica-lazy-flush", aliases: ["slave-lazy-flush"], type: bool, defaultValue: "no" },
  {
    name: "min-replicas-to-write",
    aliases: ["min-slaves-to-write"],
    type: int(0, INT_MAX),
    defaultValue: "0",
  },
  {
    name: "min-replicas-max-lag",
    aliases: ["min-slaves-max-lag"],
    type: int(0, INT_MAX),
    defaultValue: "10",
  },
  { name: "lazyfree-lazy-expire", aliases: [], type: bool, defaultValue: "no" },
  { name: "lazyfree-lazy-server-del", aliases: [], type: bool, defaultValue: "no" },
  { name: "lazyfree-lazy-user-del", aliases: [], type: bool, defaultValue: "no" },
  { name: "hz", aliases: [], type: int(0, INT_MAX), defaultValue: "10" },
  { name: "shutdown-timeout", aliases: [], type: int(0, INT_MAX), defaultValue: "10" },
  { name: "appendonly", aliases: [], type: bool, defaultValue: "no" },
  { name: "save", aliases: [], type: { kind: "string" }, defaultValue: "" },
  {
    name: "client-output-buffer-limit",
    aliases: [],
    type: { kind: "clientOutputBufferLimit" },
    defaultValue: "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
  },
  {
    name: "sentinel-down-after",
    aliases: [],
    type: int(1, INT_MAX),
    defaultValue: "30000",
    sentinelOnly: true,
  },
  {
    name: "sentinel-failover-timeout",
    aliases: [],
    type: int(1, INT_MAX),
    defaultValue: "180000",
    sentinelOnly: true,
  },
  {
    name: "sentinel-parallel-syncs",
    aliases: [],
    type: int(1, INT_MAX),
    defaultValue: "1",
    sentinelOnly: true,
  },
];

const byName = new Map<string, ConfigSpec>();
for (const spec of CONFIG_SPECS) {
  byName.set(spec.name, spec);
  for (const alias of spec.aliases) byName.set(alias, spec);
}

/** Finds a parameter by its name or alias, case-insensitively. */
export function findConfig(name: string): ConfigSpec | undefined {
  return byName.get(name.toLowerCase());
}

/**
 * Parses a redis.conf memory value: digits with an optional unit, where
 * k/m/g are powers of 1000 and kb/mb/gb powers of 1024 (`util.c:memtoull`).
 */
export function parseMemory(raw: string): number | undefined {
  const m = /^(\d+)(k|kb|m|mb|g|gb|b)?$/i.exec(raw);
  if (!m?.[1]) return undefined;
  const unit = (m[2] ?? "b").toLowerCase();
  const factor: Record<string, number> = {
    b: 1,
    k: 1000,
    kb: 1024,
    m: 1000 ** 2,
    mb: 1024 ** 2,
    g: 1000 ** 3,
    gb: 1024 ** 3,
  };
  const value = Number(m[1]) * (factor[unit] ?? 1);
  return Number.isSafeInteger(value) ? value : undefined;
}

export type ConfigParse = { ok: true; value: string } | { ok: false; reason: string };

/**
 * Checks a raw value against a parameter and returns its canonical form (the one
 * CONFIG GET prints: sizes in bytes, booleans as yes/no), or the reason Redis gives.
 */
export function parseConfigValue(spec: ConfigSpec, raw: string): ConfigParse {
  const t = spec.type;
  switch (t.kind) {
    case "bool": {
      const v = raw.toLowerCase();
      if (v === "yes" || v === "no") return { ok: true, value: v };
      return { ok: false, reason: "argument must be 'yes' or 'no'" };
    }
    case "int": {
      if (!/^-?\d+$/.test(raw))
        return { ok: false, reason: "argument couldn't be parsed into an integer" };
      const n = Number(raw);
      if (n < t.min || n > t.max)
        return { ok: false, reason: `argument must be between ${t.min} and ${t.max} inclusive` };
      return { ok: true, value: String(n) };
    }
    case "memory": {
      const n = parseMemory(raw);
      if (n === undefined) return { ok: false, reason: "argument must be a memory value" };
      if (n < t.min || n > t.max)
        return { ok: false, reason: `argument must be between ${t.min} and ${t.max} inclusive` };
      return { ok: true, value: String(n) };
    }
    case "enum": {
      const v = raw.toLowerCase();
      if (t.values.includes(v)) return { ok: true, value: v };
      return {
        ok: false,
        reason: `argument(s) must be one of the following: ${t.values.join(", ")}`,
      };
    }
    case "string":
      return { ok: true, value: raw };
    case "clientOutputBufferLimit":
      return parseClientOutputBufferLimit(raw);
  }
}

/** A process's configuration: canonical string values by canonical name. */
export type Config = ReadonlyMap<string, string>;

/** The defaults of every server parameter, for the modelled Redis version. */
export function defaultConfig(version: "7.0" | "6.2" = "7.0"): Map<string, string> {
  const config = new Map(CONFIG_SPECS.map((s) => [s.name, s.defaultValue]));
  // 7.0 turned diskless replication on by default (§11).
  if (version === "6.2") config.set("repl-diskless-sync", "no");
  return config;
}

/** Typed accessors, so engine code never re-parses strings by hand. */
export function configInt(config: Config, name: string): number {
  return Number(config.get(name) ?? findConfig(name)?.defaultValue ?? "0");
}

export function configBool(config: Config, name: string): boolean {
  return (config.get(name) ?? findConfig(name)?.defaultValue) === "yes";
}

export interface OutputBufferLimit {
  readonly hardBytes: number;
  readonly softBytes: number;
  readonly softSeconds: number;
}

const OBL_CLASSES: Record<string, "normal" | "slave" | "pubsub"> = {
  normal: "normal",
  slave: "slave",
  replica: "slave",
  pubsub: "pubsub",
};

/**
 * Parses `client-output-buffer-limit` (`config.c:setConfigClientOutputBufferLimitOption`):
 * groups of class, hard, soft, seconds; only the classes named change.
 */
function parseClientOutputBufferLimit(raw: string): ConfigParse {
  const words = raw.trim().split(/\s+/);
  if (words.length % 4 !== 0 || words[0] === "") {
    return { ok: false, reason: "Wrong number of arguments in buffer limit configuration." };
  }
  const limits = new Map(Object.entries(parseLimits(CLIENT_OBL_DEFAULT)));
  for (let i = 0; i < words.length; i += 4) {
    const cls = OBL_CLASSES[(words[i] ?? "").toLowerCase()];
    const hard = parseMemory(words[i + 1] ?? "");
    const soft = parseMemory(words[i + 2] ?? "");
    const secs = words[i + 3] ?? "";
    if (!cls)
      return { ok: false, reason: "Invalid client class specified in buffer limit configuration." };
    if (hard === undefined || soft === undefined || !/^\d+$/.test(secs)) {
      return {
        ok: false,
        reason: "Error in hard, soft or soft_seconds setting in buffer limit configuration.",
      };
    }
    limits.set(cls, { hardBytes: hard, softBytes: soft, softSeconds: Number(secs) });
  }
  const value = ["normal", "slave", "pubsub"]
    .map((c) => {
      const l = limits.get(c);
      return `${c} ${l?.hardBytes ?? 0} ${l?.softBytes ?? 0} ${l?.softSeconds ?? 0}`;
    })
    .join(" ");
  return { ok: true, value };
}

const CLIENT_OBL_DEFAULT = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";

function parseLimits(canonical: string): Record<string, OutputBufferLimit> {
  const w = canonical.split(" ");
  const out: Record<string, OutputBufferLimit> = {};
  for (let i = 0; i + 3 < w.length; i += 4) {
    out[w[i] ?? ""] = {
      hardBytes: Number(w[i + 1]),
      softBytes: Number(w[i + 2]),
      softSeconds: Number(w[i + 3]),
    };
  }
  return out;
}

/** The replica class's output buffer limit from a canonical `client-output-buffer-limit`. */
export function replicaOutputBufferLimit(config: Config): OutputBufferLimit {
  const limits = parseLimits(config.get("client-output-buffer-limit") ?? CLIENT_OBL_DEFAULT);
  return limits.slave ?? { hardBytes: 0, softBytes: 0, softSeconds: 0 };
}
