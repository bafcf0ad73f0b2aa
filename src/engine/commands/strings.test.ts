import { describe, expect, it } from "vitest";
import { ERR, NIL, OK, bulk, error, integer } from "../reply";
import { Harness } from "./harness";

// Replies and propagated commands checked against redis-server 7.0.15 (its replication stream).

const T = 1_700_000_000_000;

describe("SET", () => {
  it("SET k v EX 100 propagates as SET k v PXAT <now+100000>", () => {
    const h = new Harness();
    expect(h.call("SET", "k", "v", "EX", "100")).toEqual(OK);
    expect(h.propagated).toEqual([["SET", "k", "v", "PXAT", String(T + 100_000)]]);
    expect(h.db.expires.get("k")).toBe(T + 100_000);
  });

  it("SET with PX, EXAT or PXAT also propagates as PXAT, dropping NX/XX/GET", () => {
    const h = new Harness();
    h.call("SET", "k", "v", "nx", "px", "1500");
    expect(h.propagated).toEqual([["SET", "k", "v", "PXAT", String(T + 1500)]]);
    h.call("SET", "k", "w", "XX", "GET", "EXAT", "1800000000");
    expect(h.propagated).toEqual([["SET", "k", "w", "PXAT", "1800000000000"]]);
    h.call("set", "k", "x", "pxat", "1800000000123");
    expect(h.propagated).toEqual([["SET", "k", "x", "PXAT", "1800000000123"]]);
  });

  it("SET … GET replies the old value and propagates without GET", () => {
    const h = new Harness();
    h.call("SET", "k", "v");
    expect(h.call("SET", "k", "w", "GET")).toEqual(bulk("v"));
    expect(h.propagated).toEqual([["SET", "k", "w"]]);
    expect(h.call("SET", "n", "w", "get", "NX")).toEqual(NIL);
    expect(h.propagated).toEqual([["SET", "n", "w", "NX"]]);
  });

  it("SET NX on an existing key replies nil and propagates nothing", () => {
    const h = new Harness();
    h.call("SET", "k", "v");
    expect(h.call("SET", "k", "w", "NX")).toEqual(NIL);
    expect(h.propagated).toEqual([]);
    expect(h.call("SET", "nope", "w", "XX")).toEqual(NIL);
    expect(h.propagated).toEqual([]);
  });

  it("SET clears the TTL unless KEEPTTL", () => {
    const h = new Harness();
    h.call("SET", "k", "v", "EX", "100");
    h.call("SET", "k", "w", "KEEPTTL");
    expect(h.call("TTL", "k")).toEqual(integer(100));
    h.call("SET", "k", "x");
    expect(h.call("TTL", "k")).toEqual(integer(-1));
  });

  it("an invalid expire names the command; conflicting options are a syntax error", () => {
    const h = new Harness();
    expect(h.call("SET", "k", "v", "EX", "0")).toEqual(
      error("ERR invalid expire time in 'set' command"),
    );
    expect(h.call("SET", "k", "v", "PX", "-1")).toEqual(
      error("ERR invalid expire time in 'set' command"),
    );
    expect(h.call("SET", "k", "v", "EX", "9223372036854775807")).toEqual(
      error("ERR invalid expire time in 'set' command"),
    );
    expect(h.call("SETEX", "k", "0", "v")).toEqual(
      error("ERR invalid expire time in 'setex' command"),
    );
    expect(h.call("PSETEX", "k", "-5", "v")).toEqual(
      error("ERR invalid expire time in 'psetex' command"),
    );
    expect(h.call("SET", "k", "v", "EX", "soon")).toEqual(error(ERR.notInteger));
    for (const opts of [
      ["NX", "XX"],
      ["EX", "10", "PX", "10"],
      ["KEEPTTL", "EX", "10"],
      ["EX"],
      ["FOO"],
    ]) {
      expect(h.call("SET", "k", "v", ...opts)).toEqual(error(ERR.syntax));
    }
    expect(h.db.size).toBe(0);
  });

  it("SET with GET on a key of another type is WRONGTYPE and changes nothing", () => {
    const h = new Harness();
    h.call("LPUSH", "l", "a");
    expect(h.call("SET", "l", "v", "GET")).toEqual(error(ERR.wrongType));
    expect(h.propagated).toEqual([]);
    expect(h.call("SET", "l", "v")).toEqual(OK);
  });

  it("SETNX, SETEX and PSETEX", () => {
    const h = new Harness();
    expect(h.call("SETNX", "a", "1")).toEqual(integer(1));
    expect(h.propagated).toEqual([["SETNX", "a", "1"]]);
    expect(h.call("SETNX", "a", "2")).toEqual(integer(0));
    expect(h.propagated).toEqual([]);
    expect(h.call("SETEX", "b", "10", "v")).toEqual(OK);
    expect(h.propagated).toEqual([["SET", "b", "v", "PXAT", String(T + 10_000)]]);
    expect(h.call("PSETEX", "c", "1000", "v")).toEqual(OK);
    expect(h.propagated).toEqual([["SET", "c", "v", "PXAT", String(T + 1000)]]);
  });
});

describe("GET family", () => {
  it("GET of a missing key is nil; of another type, WRONGTYPE", () => {
    const h = new Harness();
    expect(h.call("GET", "k")).toEqual(NIL);
    h.call("SADD", "s", "a");
    expect(h.call("GET", "s")).toEqual(
      error("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
  });

  it("GET of an expired key on a master returns nil and propagates a DEL, not the GET", () => {
    const h = new Harness();
    h.call("SET", "k", "v", "PX", "100");
    h.nowMs += 101;
    expect(h.call("GET", "k")).toEqual(NIL);
    expect(h.propagated).toEqual([["DEL", "k"]]);
    expect(h.expiredKeys).toBe(1);
  });

  it("with lazyfree-lazy-expire the lazy deletion propagates as UNLINK", () => {
    const h = new Harness();
    h.lazyfreeLazyExpire = true;
    h.call("SET", "k", "v", "PX", "100");
    h.nowMs += 101;
    h.call("EXISTS", "k");
    expect(h.propagated).toEqual([["UNLINK", "k"]]);
  });

  it("GET of an expired key on a replica returns nil but keeps the key", () => {
    const h = new Harness();
    h.role = "replica";
    h.callFromMaster("SET", "k", "v", "PXAT", String(T + 100));
    h.nowMs = T + 101;
    expect(h.call("GET", "k")).toEqual(NIL);
    expect(h.call("DBSIZE")).toEqual(integer(1));
    expect(h.expiredKeys).toBe(0);
    expect(h.callFromMaster("GET", "k")).toEqual(bulk("v"));
  });

  it("a write after a lazy expiry propagates the DEL first, then the write", () => {
    const h = new Harness();
    h.call("SET", "k", "v", "PX", "1");
    h.nowMs += 2;
    expect(h.call("SET", "k", "x", "NX")).toEqual(OK);
    expect(h.propagated).toEqual([
      ["DEL", "k"],
      ["SET", "k", "x", "NX"],
    ]);
  });

  it("GETSET replies the old value and propagates as SET", () => {
    const h = new Harness();
    h.call("SET", "k", "v", "EX", "100");
    expect(h.call("GETSET", "k", "w")).toEqual(bulk("v"));
    expect(h.propagated).toEqual([["SET", "k", "w"]]);
    expect(h.call("TTL", "k")).toEqual(integer(-1));
    expect(h.call("GETSET", "n", "w")).toEqual(NIL);
  });

  it("GETDEL propagates as DEL, and nothing for a missing key", () => {
    const h = new Harness();
    h.call("SET", "k", "v");
    expect(h.call("getdel", "k")).toEqual(bulk("v"));
    expect(h.propagated).toEqual([["DEL", "k"]]);
    expect(h.call("GETDEL", "k")).toEqual(NIL);
    expect(h.propagated).toEqual([]);
  });

  it("GETEX propagates as PEXPIREAT, PERSIST, DEL or nothing", () => {
    const h = new Harness();
    h.call("SET", "k", "v");
    expect(h.call("GETEX", "k")).toEqual(bulk("v"));
    expect(h.propagated).toEqual([]);
    h.call("GETEX", "k", "EX", "100");
    expect(h.propagated).toEqual([["PEXPIREAT", "k", String(T + 100_000)]]);
    h.call("GETEX", "k", "PERSIST");
    expect(h.propagated).toEqual([["PERSIST", "k"]]);
    h.call("GETEX", "k", "PERSIST");
    expect(h.propagated).toEqual([]);
    expect(h.call("GETEX", "k", "EXAT", "1")).toEqual(bulk("v"));
    expect(h.propagated).toEqual([["DEL", "k"]]);
    expect(h.call("EXISTS", "k")).toEqual(integer(0));
  });

  it("GETEX checks options before the key and the time after it", () => {
    const h = new Harness();
    expect(h.call("GETEX", "nope", "EX", "0")).toEqual(NIL);
    h.call("SET", "k", "v");
    expect(h.call("GETEX", "k", "EX", "0")).toEqual(
      error("ERR invalid expire time in 'getex' command"),
    );
    expect(h.call("GETEX", "nope", "KEEPTTL")).toEqual(error(ERR.syntax));
    expect(h.call("GETEX", "k", "PERSIST", "EX", "10")).toEqual(error(ERR.syntax));
  });

  it("MSET, MSETNX and MGET", () => {
    const h = new Harness();
    expect(h.call("MSET", "a", "1", "b", "2")).toEqual(OK);
    expect(h.propagated).toEqual([["MSET", "a", "1", "b", "2"]]);
    expect(h.call("MSET", "a", "1", "b")).toEqual(
      error("ERR wrong number of arguments for 'mset' command"),
    );
    expect(h.call("MSETNX", "a", "9", "z", "9")).toEqual(integer(0));
    expect(h.propagated).toEqual([]);
    expect(h.call("MSETNX", "y", "9", "z", "9")).toEqual(integer(1));
    h.call("LPUSH", "l", "x");
    expect(h.call("MGET", "a", "l", "nope", "z")).toEqual({
      type: "array",
      value: [bulk("1"), NIL, NIL, bulk("9")],
    });
  });
});

describe("counters", () => {
  it("INCR, DECR, INCRBY and DECRBY keep the TTL and propagate as sent", () => {
    const h = new Harness();
    expect(h.call("INCR", "n")).toEqual(integer(1));
    expect(h.propagated).toEqual([["INCR", "n"]]);
    h.call("EXPIRE", "n", "100");
    expect(h.call("INCRBY", "n", "10")).toEqual(integer(11));
    expect(h.call("DECRBY", "n", "3")).toEqual(integer(8));
    expect(h.call("DECR", "n")).toEqual(integer(7));
    expect(h.call("TTL", "n")).toEqual(integer(100));
  });

  it("INCR on a non-integer, or one that would overflow, is an error", () => {
    const h = new Harness();
    for (const value of ["abc", "007", " 1", "+1", "1.5", ""]) {
      h.call("SET", "s", value);
      expect(h.call("INCR", "s")).toEqual(error("ERR value is not an integer or out of range"));
    }
    h.call("SET", "s", "9223372036854775807");
    expect(h.call("INCR", "s")).toEqual(error("ERR increment or decrement would overflow"));
    h.call("SET", "s", "-9223372036854775808");
    expect(h.call("DECR", "s")).toEqual(error("ERR increment or decrement would overflow"));
    expect(h.call("DECRBY", "n", "-9223372036854775808")).toEqual(
      error("ERR decrement would overflow"),
    );
    expect(h.call("INCRBY", "n", "9223372036854775808")).toEqual(error(ERR.notInteger));
    expect(h.call("INCRBY", "n", "x")).toEqual(error(ERR.notInteger));
    expect(h.propagated).toEqual([]);
  });

  it("INCR on another type is WRONGTYPE", () => {
    const h = new Harness();
    h.call("HSET", "h", "f", "1");
    expect(h.call("INCR", "h")).toEqual(error(ERR.wrongType));
  });

  it("INCRBYFLOAT propagates SET with KEEPTTL", () => {
    const h = new Harness();
    h.call("SET", "f", "10.50");
    expect(h.call("INCRBYFLOAT", "f", "0.1")).toEqual(bulk("10.6"));
    expect(h.propagated).toEqual([["SET", "f", "10.6", "KEEPTTL"]]);
    expect(h.call("INCRBYFLOAT", "f", "-5")).toEqual(bulk("5.6"));
    h.call("SET", "f", "5.0e3");
    expect(h.call("INCRBYFLOAT", "f", "2.0e2")).toEqual(bulk("5200"));
  });

  it("INCRBYFLOAT refuses non-floats, NaN and infinity", () => {
    const h = new Harness();
    h.call("SET", "f", "1");
    expect(h.call("INCRBYFLOAT", "f", "abc")).toEqual(error(ERR.notFloat));
    expect(h.call("INCRBYFLOAT", "f", "nan")).toEqual(error(ERR.notFloat));
    expect(h.call("INCRBYFLOAT", "f", "inf")).toEqual(
      error("ERR increment would produce NaN or Infinity"),
    );
    h.call("SET", "s", " 1");
    expect(h.call("INCRBYFLOAT", "s", "1")).toEqual(error(ERR.notFloat));
    expect(h.call("INCRBYFLOAT", "g", "1e4933")).toEqual(error(ERR.notFloat));
    expect(h.propagated).toEqual([]);
  });
});

describe("string edits", () => {
  it("APPEND and STRLEN", () => {
    const h = new Harness();
    expect(h.call("APPEND", "a", "hello")).toEqual(integer(5));
    expect(h.call("APPEND", "a", " world")).toEqual(integer(11));
    expect(h.call("GET", "a")).toEqual(bulk("hello world"));
    expect(h.call("STRLEN", "a")).toEqual(integer(11));
    expect(h.call("STRLEN", "nope")).toEqual(integer(0));
  });

  it("GETRANGE clamps like Redis, including an out-of-range negative end", () => {
    const h = new Harness();
    h.call("SET", "s", "Hello World");
    const range = (a: string, b: string) => h.call("GETRANGE", "s", a, b);
    expect(range("0", "4")).toEqual(bulk("Hello"));
    expect(range("-5", "-1")).toEqual(bulk("World"));
    expect(range("5", "2")).toEqual(bulk(""));
    expect(range("-1", "-5")).toEqual(bulk(""));
    expect(range("-100", "-50")).toEqual(bulk("H"));
    expect(range("-50", "-100")).toEqual(bulk(""));
    expect(range("0", "-100")).toEqual(bulk("H"));
    expect(range("100", "200")).toEqual(bulk(""));
    expect(h.call("GETRANGE", "nope", "0", "1")).toEqual(bulk(""));
    expect(range("a", "b")).toEqual(error(ERR.notInteger));
  });

  it("SETRANGE pads with zero bytes and refuses negative offsets", () => {
    const h = new Harness();
    expect(h.call("SETRANGE", "k", "5", "abc")).toEqual(integer(8));
    expect(h.call("GET", "k")).toEqual(bulk("\0\0\0\0\0abc"));
    expect(h.call("SETRANGE", "k", "0", "X")).toEqual(integer(8));
    expect(h.call("SETRANGE", "k", "-1", "x")).toEqual(error("ERR offset is out of range"));
    expect(h.call("SETRANGE", "k", "0", "")).toEqual(integer(8));
    expect(h.propagated).toEqual([]);
    expect(h.call("SETRANGE", "nk", "0", "")).toEqual(integer(0));
    expect(h.call("SETRANGE", "k", "536870912", "x")).toEqual(
      error("ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
    );
  });
});
