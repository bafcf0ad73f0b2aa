/**
 * Datasets as canonical text, for `expect A keyspace = B` on real Redis and
 * for comparing a node's dataset in the simulator with the same node's in
 * real Redis. The text is the simulator's (`src/sim/keyspaceDigest.ts`):
 * one line per key, `DB "key" TYPE VALUE[ px ABSOLUTE_MS]`, sorted by key.
 */
import type { ByteString } from "../../engine/bytes";
import type { Reply } from "../../engine/reply";
import type { RespConnection } from "./respConnection";

/** Reads every key of every database of a real server into the simulator's digest format. */
export async function realKeyspaceDigest(conn: RespConnection): Promise<string> {
  const info = await conn.call(["INFO", "keyspace"]);
  const dbs = bulkText(info)
    .split("\r\n")
    .flatMap((line) => {
      const m = /^db(\d+):/.exec(line);
      return m?.[1] === undefined ? [] : [Number(m[1])];
    });
  const lines: string[] = [];
  for (const db of dbs) {
    await conn.call(["SELECT", String(db)]);
    const keys = arrayOf(await conn.call(["KEYS", "*"]))
      .map(bulkText)
      .sort();
    const meta = await conn.pipeline(
      keys.flatMap((k) => [
        ["TYPE", k],
        ["PEXPIRETIME", k],
      ]),
    );
    const types = keys.map((_, i) => simpleText(meta[2 * i]));
    const expiries = keys.map((_, i) => integerOf(meta[2 * i + 1]));
    const values = await conn.pipeline(keys.map((k, i) => readCommand(types[i] ?? "none", k)));
    keys.forEach((key, i) => {
      const type = types[i] ?? "none";
      if (type === "none") return; // expired or deleted between KEYS and TYPE
      const expiry = expiries[i] ?? -1;
      const text = valueText(type, values[i]);
      lines.push(
        `${db} ${JSON.stringify(key)} ${type} ${text}${expiry >= 0 ? ` px ${expiry}` : ""}`,
      );
    });
  }
  await conn.call(["SELECT", "0"]);
  return lines.join("\n");
}

function readCommand(type: string, key: ByteString): ByteString[] {
  switch (type) {
    case "string":
      return ["GET", key];
    case "list":
      return ["LRANGE", key, "0", "-1"];
    case "set":
      return ["SMEMBERS", key];
    case "hash":
      return ["HGETALL", key];
    case "zset":
      return ["ZRANGE", key, "0", "-1", "WITHSCORES"];
    default:
      return ["PING"];
  }
}

/** The value as the simulator's digest writes it (JSON, collections sorted). */
function valueText(type: string, reply: Reply | undefined): string {
  switch (type) {
    case "string":
      return JSON.stringify(reply?.type === "bulk" ? reply.value : null);
    case "list":
      return JSON.stringify(arrayOf(reply).map(bulkText));
    case "set":
      return JSON.stringify(arrayOf(reply).map(bulkText).sort());
    case "hash":
    case "zset": {
      const flat = arrayOf(reply).map(bulkText);
      const pairs: [string, string | number][] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const field = flat[i] ?? "";
        const value = flat[i + 1] ?? "";
        pairs.push([field, type === "zset" ? Number(value) : value]);
      }
      return JSON.stringify(pairs.sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    }
    default:
      return JSON.stringify(`(unsupported type ${type})`);
  }
}

function arrayOf(reply: Reply | undefined): readonly Reply[] {
  if (reply?.type === "error") throw new Error(reply.value);
  return reply?.type === "array" && reply.value !== null ? reply.value : [];
}

function bulkText(reply: Reply | undefined): ByteString {
  if (reply?.type === "error") throw new Error(reply.value);
  return reply?.type === "bulk" && reply.value !== null ? reply.value : "";
}

function simpleText(reply: Reply | undefined): string {
  return reply?.type === "simple" ? reply.value : "none";
}

function integerOf(reply: Reply | undefined): number {
  return reply?.type === "integer" ? reply.value : -1;
}

// ---- comparing a dataset across the simulator and real Redis --------------------------

/** One key of a digest: where it lives, its type and value, and its remaining time to live. */
export interface DigestEntry {
  /** `DB "key"`. */
  readonly key: string;
  /** `TYPE VALUE`. */
  readonly value: string;
  /** Milliseconds left before it expires, or null without an expiry. */
  readonly ttlMs: number | null;
}

const DIGEST_LINE = /^(\d+ "(?:[^"\\]|\\.)*") (.*?)(?: px (-?\d+))?$/;

/**
 * Splits a digest into entries. Absolute expiry times are turned into the time
 * left at `clockMs` (the cluster's Unix clock when the digest was taken),
 * because the simulator's epoch is not the wall clock.
 */
export function parseDigest(digest: string, clockMs: number): Map<string, DigestEntry> {
  const entries = new Map<string, DigestEntry>();
  for (const line of digest.split("\n")) {
    if (line === "") continue;
    const m = DIGEST_LINE.exec(line);
    if (!m?.[1] || m[2] === undefined) continue;
    const ttlMs = m[3] === undefined ? null : Number(m[3]) - clockMs;
    entries.set(m[1], { key: m[1], value: m[2], ttlMs });
  }
  return entries;
}

export interface DigestDifference {
  readonly key: string;
  readonly what: "key" | "value" | "expiry";
  readonly sim: string;
  readonly redis: string;
}

/**
 * Compares two datasets key by key: presence, type and value exactly; expiry
 * by presence and by time left, within `ttlToleranceMs` (real time and virtual
 * time never run exactly alike). Returns the keys compared and the differences.
 */
export function compareDigests(
  sim: ReadonlyMap<string, DigestEntry>,
  redis: ReadonlyMap<string, DigestEntry>,
  ttlToleranceMs: number,
): { compared: number; differences: DigestDifference[] } {
  const differences: DigestDifference[] = [];
  const keys = [...new Set([...sim.keys(), ...redis.keys()])].sort();
  for (const key of keys) {
    const a = sim.get(key);
    const b = redis.get(key);
    if (!a || !b) {
      differences.push({
        key,
        what: "key",
        sim: a ? "present" : "absent",
        redis: b ? "present" : "absent",
      });
      continue;
    }
    if (a.value !== b.value) differences.push({ key, what: "value", sim: a.value, redis: b.value });
    const ttlDiffers =
      (a.ttlMs === null) !== (b.ttlMs === null) ||
      (a.ttlMs !== null && b.ttlMs !== null && Math.abs(a.ttlMs - b.ttlMs) > ttlToleranceMs);
    if (ttlDiffers) {
      differences.push({ key, what: "expiry", sim: ttlText(a.ttlMs), redis: ttlText(b.ttlMs) });
    }
  }
  return { compared: keys.length, differences };
}

function ttlText(ttlMs: number | null): string {
  return ttlMs === null ? "no expiry" : `expires in ${ttlMs} ms`;
}
