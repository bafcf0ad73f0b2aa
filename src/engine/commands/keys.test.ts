import { describe, expect, it } from "vitest";
import type { Reply } from "../reply";
import { ERR, NIL, OK, array, bulk, bulkArray, error, integer, simple } from "../reply";
import { Harness } from "./harness";

// Replies and propagated commands checked against redis-server 7.0.15 (its replication stream).

const T = 1_700_000_000_000;

function sortedBulks(reply: Reply): string[] {
  if (reply.type !== "array" || reply.value === null) throw new Error("not an array");
  return reply.value.map((r) => (r.type === "bulk" ? (r.value ?? "") : "")).sort();
}

describe("DEL, UNLINK, EXISTS", () => {
  it("DEL counts deleted keys and propagates as sent; DEL of a missing key propagates nothing", () => {
    const h = new Harness();
    h.call("MSET", "a", "1", "b", "2");
    expect(h.call("DEL", "a", "b", "c")).toEqual(integer(2));
    expect(h.propagated).toEqual([["DEL", "a", "b", "c"]]);
    expect(h.call("DEL", "a")).toEqual(integer(0));
    expect(h.propagated).toEqual([]);
    h.call("SET", "a", "1");
    expect(h.call("UNLINK", "a", "c")).toEqual(integer(1));
    expect(h.propagated).toEqual([["UNLINK", "a", "c"]]);
  });

  it("DEL stays DEL with lazyfree-lazy-user-del (only the freeing is lazy)", () => {
    const h = new Harness();
    h.lazyfreeLazyUserDel = true;
    h.call("SET", "a", "1");
    h.call("DEL", "a");
    expect(h.propagated).toEqual([["DEL", "a"]]);
  });

  it("DEL of an expired key on a master propagates the expiry DEL only", () => {
    const h = new Harness();
    h.call("SET", "k", "v", "PX", "1");
    h.nowMs += 2;
    expect(h.call("DEL", "k")).toEqual(integer(0));
    expect(h.propagated).toEqual([["DEL", "k"]]);
  });

  it("DEL on a writable replica counts a logically expired key as deleted", () => {
    const h = new Harness();
    h.role = "replica";
    h.callFromMaster("SET", "k", "v", "PXAT", String(T + 1));
    h.nowMs = T + 2;
    expect(h.call("EXISTS", "k")).toEqual(integer(0));
    expect(h.call("DEL", "k")).toEqual(integer(1));
  });

  it("EXISTS and TOUCH count repeated keys each time", () => {
    const h = new Harness();
    h.call("SET", "a", "1");
    expect(h.call("EXISTS", "a", "a", "b")).toEqual(integer(2));
    expect(h.call("TOUCH", "a", "b")).toEqual(integer(1));
    expect(h.propagated).toEqual([]);
  });
});

describe("EXPIRE family", () => {
  it("EXPIRE, PEXPIRE and EXPIREAT propagate as PEXPIREAT with the absolute time", () => {
    const h = new Harness();
    h.call("SET", "k", "v");
    expect(h.call("EXPIRE", "k", "100")).toEqual(integer(1));
    expect(h.propagated).toEqual([["PEXPIREAT", "k", String(T + 100_000)]]);
    h.call("PEXPIRE", "k", "2500");
    expect(h.propagated).toEqual([["PEXPIREAT", "k", String(T + 2500)]]);
    h.call("EXPIREAT", "k", "1800000000");
    expect(h.propagated).toEqual([["PEXPIREAT", "k", "1800000000000"]]);
    h.call("pexpireat", "k", "1800000000001");
    expect(h.propagated).toEqual([["pexpireat", "k", "1800000000001"]]);
  });

  it("the NX/XX/GT/LT options travel with the PEXPIREAT", () => {
    const h = new Harness();
    h.call("SET", "k", "v");
    expect(h.call("EXPIRE", "k", "100", "nx")).toEqual(integer(1));
    expect(h.propagated).toEqual([["PEXPIREAT", "k", String(T + 100_000), "nx"]]);
  });

  it("EXPIRE of a missing key replies 0 and propagates nothing", () => {
    const h = new Harness();
    expect(h.call("EXPIRE", "nope", "100")).toEqual(integer(0));
    expect(h.propagated).toEqual([]);
  });

  it("an expire time already past deletes the key and propagates DEL (UNLINK with lazyfree-lazy-expire)", () => {
    const h = new Harness();
    h.call("SET", "k", "v");
    expect(h.call("EXPIRE", "k", "-1")).toEqual(integer(1));
    expect(h.propagated).toEqual([["DEL", "k"]]);
    expect(h.call("EXISTS", "k")).toEqual(integer(0));
    h.lazyfreeLazyExpire = true;
    h.call("SET", "k", "v");
    h.call("PEXPIREAT", "k", "1");
    expect(h.propagated).toEqual([["UNLINK", "k"]]);
  });

  it("a past expire time sent by the master is stored, not applied", () => {
    const h = new Harness();
    h.role = "replica";
    h.callFromMaster("SET", "k", "v");
    expect(h.callFromMaster("PEXPIREAT", "k", "1")).toEqual(integer(1));
    expect(h.db.expires.get("k")).toBe(1);
    expect(h.callFromMaster("EXISTS", "k")).toEqual(integer(1));
  });

  it("NX, XX, GT and LT compare with the current TTL, no TTL counting as infinite", () => {
    const h = new Harness();
    h.call("SET", "k", "v");
    const expire = (...args: string[]) => h.call("EXPIRE", "k", ...args);
    expect(expire("100", "XX")).toEqual(integer(0));
    expect(expire("100", "GT")).toEqual(integer(0));
    expect(expire("100", "NX")).toEqual(integer(1));
    expect(expire("200", "NX")).toEqual(integer(0));
    expect(expire("50", "GT")).toEqual(integer(0));
    expect(expire("300", "GT")).toEqual(integer(1));
    expect(expire("400", "LT")).toEqual(integer(0));
    expect(expire("10", "LT")).toEqual(integer(1));
    expect(h.propagated).toEqual([["PEXPIREAT", "k", String(T + 10_000), "LT"]]);
  });

  it("option and time errors use Redis's texts", () => {
    const h = new Harness();
    h.call("SET", "k", "v");
    expect(h.call("EXPIRE", "k", "10", "NX", "XX")).toEqual(
      error("ERR NX and XX, GT or LT options at the same time are not compatible"),
    );
    expect(h.call("EXPIRE", "k", "10", "GT", "LT")).toEqual(
      error("ERR GT and LT options at the same time are not compatible"),
    );
    expect(h.call("EXPIRE", "k", "10", "FOO")).toEqual(error("ERR Unsupported option FOO"));
    expect(h.call("EXPIRE", "k", "soon")).toEqual(error(ERR.notInteger));
    expect(h.call("EXPIRE", "k", "9223372036854775807")).toEqual(
      error("ERR invalid expire time in 'expire' command"),
    );
    expect(h.call("PEXPIRE", "k", "9223372036854775807")).toEqual(
      error("ERR invalid expire time in 'pexpire' command"),
    );
  });

  it("TTL, PTTL, EXPIRETIME and PEXPIRETIME: -2 missing, -1 no TTL", () => {
    const h = new Harness();
    h.call("SET", "k", "v");
    expect(h.call("TTL", "nope")).toEqual(integer(-2));
    expect(h.call("PEXPIRETIME", "nope")).toEqual(integer(-2));
    expect(h.call("TTL", "k")).toEqual(integer(-1));
    expect(h.call("EXPIRETIME", "k")).toEqual(integer(-1));
    h.call("PEXPIRE", "k", "1500");
    expect(h.call("PTTL", "k")).toEqual(integer(1500));
    expect(h.call("TTL", "k")).toEqual(integer(2)); // rounded to the nearest second
    expect(h.call("PEXPIRETIME", "k")).toEqual(integer(T + 1500));
    expect(h.call("EXPIRETIME", "k")).toEqual(integer(Math.floor((T + 1500 + 500) / 1000)));
    h.nowMs += 1500;
    expect(h.call("PTTL", "k")).toEqual(integer(0));
  });

  it("PERSIST removes a TTL and propagates only when there was one", () => {
    const h = new Harness();
    h.call("SET", "k", "v", "EX", "100");
    expect(h.call("PERSIST", "k")).toEqual(integer(1));
    expect(h.propagated).toEqual([["PERSIST", "k"]]);
    expect(h.call("PERSIST", "k")).toEqual(integer(0));
    expect(h.propagated).toEqual([]);
    expect(h.call("PERSIST", "nope")).toEqual(integer(0));
  });
});

describe("keyspace queries", () => {
  it("TYPE names every type, and none for a missing key", () => {
    const h = new Harness();
    h.call("SET", "s", "v");
    h.call("LPUSH", "l", "a");
    h.call("HSET", "h", "f", "v");
    h.call("SADD", "t", "a");
    h.call("ZADD", "z", "1", "a");
    const types = ["s", "l", "h", "t", "z", "nope"].map((k) => h.call("TYPE", k));
    expect(types).toEqual(["string", "list", "hash", "set", "zset", "none"].map(simple));
  });

  it("KEYS matches glob patterns and leaves out expired keys without deleting them", () => {
    const h = new Harness();
    h.call("MSET", "hello", "1", "hallo", "2", "hxllo", "3", "hllo", "4");
    h.call("SET", "hzllo", "5", "PX", "1");
    h.nowMs += 2;
    expect(sortedBulks(h.call("KEYS", "h?llo"))).toEqual(["hallo", "hello", "hxllo"]);
    expect(sortedBulks(h.call("KEYS", "h[^e]llo"))).toEqual(["hallo", "hxllo"]);
    expect(sortedBulks(h.call("KEYS", "*"))).toEqual(["hallo", "hello", "hllo", "hxllo"]);
    expect(h.propagated).toEqual([]);
    expect(h.call("DBSIZE")).toEqual(integer(5));
  });

  it("SCAN visits every key once across calls, and the cursor ends at 0", () => {
    const h = new Harness();
    const all = Array.from({ length: 57 }, (_, i) => `key:${i}`);
    for (const k of all) h.call("SET", k, "v");
    const seen: string[] = [];
    let cursor = "0";
    let calls = 0;
    do {
      const reply = h.call("SCAN", cursor, "COUNT", "7");
      if (reply.type !== "array" || !reply.value) throw new Error("bad reply");
      const [next, keys] = reply.value;
      if (next?.type !== "bulk" || keys?.type !== "array" || !keys.value)
        throw new Error("bad reply");
      cursor = next.value ?? "";
      seen.push(...sortedBulks(keys));
      calls++;
    } while (cursor !== "0");
    expect(seen.sort()).toEqual([...all].sort());
    expect(calls).toBeGreaterThan(5);
  });

  it("SCAN answers each call as sorting every key by scan place would", () => {
    // The reference: every key with its place (FNV-1a of the name, plus 1)
    // from the cursor on, sorted; `count` of them and the rest of the last place.
    const place = (key: string) => {
      let hash = 0x811c9dc5;
      for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
      return (hash >>> 0) + 1;
    };
    const reference = (keys: string[], cursor: number, count: number) => {
      const sorted = keys
        .map((key) => ({ key, place: place(key) }))
        .filter((e) => e.place >= cursor)
        .sort((a, b) => a.place - b.place || (a.key < b.key ? -1 : 1));
      const batch: string[] = [];
      for (let i = 0; i < sorted.length; i++) {
        const e = sorted[i];
        if (!e) break;
        if (batch.length >= count && e.place !== sorted[i - 1]?.place)
          return array([bulk(String(e.place)), array(batch.map(bulk))]);
        batch.push(e.key);
      }
      return array([bulk("0"), array(batch.map(bulk))]);
    };
    const h = new Harness();
    const all = Array.from({ length: 800 }, (_, i) => `user:${(i * 7919) % 800}`);
    for (const k of all) h.call("SET", k, "v");
    for (const count of [1, 10, 799, 800, 5000]) {
      let cursor = 0;
      do {
        const reply = h.call("SCAN", String(cursor), "COUNT", String(count));
        expect(reply).toEqual(reference(all, cursor, count));
        const next = reply.type === "array" ? reply.value?.[0] : undefined;
        cursor = Number(next?.type === "bulk" ? next.value : 0);
      } while (cursor !== 0);
    }
    expect(h.call("SCAN", "4294967297")).toEqual(array([bulk("0"), array([])]));
    expect(h.call("SCAN", "18446744073709551615")).toEqual(array([bulk("0"), array([])]));
  });

  it("SCAN filters by MATCH and TYPE, and deletes the expired keys it meets on a master", () => {
    const h = new Harness();
    h.call("MSET", "a1", "1", "a2", "2", "b1", "3");
    h.call("LPUSH", "al", "x");
    h.call("SET", "ax", "v", "PX", "1");
    h.nowMs += 2;
    const reply = h.call("SCAN", "0", "MATCH", "a*", "COUNT", "100", "TYPE", "string");
    expect(reply).toEqual(array([bulk("0"), expect.anything() as Reply]));
    if (reply.type === "array" && reply.value?.[1])
      expect(sortedBulks(reply.value[1])).toEqual(["a1", "a2"]);
    expect(h.propagated).toEqual([["DEL", "ax"]]);
  });

  it("SCAN refuses a bad cursor or options like Redis", () => {
    const h = new Harness();
    expect(h.call("SCAN", "abc")).toEqual(error("ERR invalid cursor"));
    expect(h.call("SCAN", "18446744073709551616")).toEqual(error("ERR invalid cursor"));
    expect(h.call("SCAN", "0", "COUNT", "0")).toEqual(error(ERR.syntax));
    expect(h.call("SCAN", "0", "COUNT", "x")).toEqual(error(ERR.notInteger));
    expect(h.call("SCAN", "0", "MATCH")).toEqual(error(ERR.syntax));
    expect(h.call("SCAN", "-1")).toEqual(array([bulk("0"), array([])]));
  });

  it("RANDOMKEY returns nil for an empty database and a live key otherwise", () => {
    const h = new Harness();
    expect(h.call("RANDOMKEY")).toEqual(NIL);
    h.call("SET", "gone", "v", "PX", "1");
    h.call("SET", "here", "v");
    h.nowMs += 2;
    for (let i = 0; i < 5; i++) expect(h.call("RANDOMKEY")).toEqual(bulk("here"));
  });

  it("RANDOMKEY on a replica whose keys all expired gives up and returns one of them", () => {
    const h = new Harness();
    h.role = "replica";
    h.callFromMaster("SET", "a", "v", "PXAT", String(T + 1));
    h.nowMs = T + 2;
    expect(h.call("RANDOMKEY")).toEqual(bulk("a"));
    expect(h.call("DBSIZE")).toEqual(integer(1));
  });
});

describe("FLUSHDB and FLUSHALL", () => {
  it("always propagate, even on an empty database", () => {
    const h = new Harness();
    expect(h.call("FLUSHDB")).toEqual(OK);
    expect(h.propagated).toEqual([["FLUSHDB"]]);
    expect(h.call("FLUSHALL", "ASYNC")).toEqual(OK);
    expect(h.propagated).toEqual([["FLUSHALL", "ASYNC"]]);
  });

  it("FLUSHDB empties the selected database only; FLUSHALL all of them", () => {
    const h = new Harness();
    h.call("SET", "a", "1");
    h.dbId = 1;
    h.call("SET", "b", "1");
    h.call("FLUSHDB", "sync");
    expect(h.keyspace.totalKeys()).toBe(1);
    h.call("FLUSHALL");
    expect(h.keyspace.totalKeys()).toBe(0);
  });

  it("accept only one SYNC or ASYNC argument", () => {
    const h = new Harness();
    expect(h.call("FLUSHDB", "foo")).toEqual(error(ERR.syntax));
    expect(h.call("FLUSHALL", "ASYNC", "SYNC")).toEqual(error(ERR.syntax));
    expect(h.propagated).toEqual([]);
  });
});

describe("RENAME and COPY", () => {
  it("RENAME moves the value and the TTL; a missing source is ERR no such key", () => {
    const h = new Harness();
    h.call("SET", "a", "1", "EX", "100");
    expect(h.call("RENAME", "a", "b")).toEqual(OK);
    expect(h.propagated).toEqual([["RENAME", "a", "b"]]);
    expect(h.call("TTL", "b")).toEqual(integer(100));
    expect(h.call("RENAME", "a", "b")).toEqual(error("ERR no such key"));
  });

  it("RENAME of a key to itself replies OK and propagates nothing", () => {
    const h = new Harness();
    h.call("SET", "a", "1");
    expect(h.call("RENAME", "a", "a")).toEqual(OK);
    expect(h.propagated).toEqual([]);
    expect(h.call("RENAMENX", "a", "a")).toEqual(integer(0));
  });

  it("RENAMENX refuses an existing destination", () => {
    const h = new Harness();
    h.call("MSET", "a", "1", "b", "2");
    expect(h.call("RENAMENX", "a", "b")).toEqual(integer(0));
    expect(h.propagated).toEqual([]);
    expect(h.call("RENAMENX", "a", "c")).toEqual(integer(1));
  });

  it("COPY copies the value and TTL, into another database with DB", () => {
    const h = new Harness();
    h.call("RPUSH", "l", "x", "y");
    h.call("EXPIRE", "l", "100");
    expect(h.call("COPY", "l", "l2")).toEqual(integer(1));
    expect(h.call("COPY", "l", "l2")).toEqual(integer(0));
    expect(h.call("COPY", "l", "l2", "REPLACE")).toEqual(integer(1));
    expect(h.call("TTL", "l2")).toEqual(integer(100));
    h.call("RPUSH", "l2", "z");
    expect(h.call("LRANGE", "l", "0", "-1")).toEqual(bulkArray(["x", "y"]));
    expect(h.call("COPY", "l", "l", "DB", "1")).toEqual(integer(1));
    expect(h.keyspace.db(1).size).toBe(1);
    expect(h.call("COPY", "l", "l")).toEqual(
      error("ERR source and destination objects are the same"),
    );
    expect(h.call("COPY", "l", "x", "DB", "16")).toEqual(error("ERR DB index is out of range"));
    expect(h.call("COPY", "l", "x", "DB", "4294967296")).toEqual(
      error("ERR value is out of range, value must between -2147483648 and 2147483647"),
    );
  });
});
