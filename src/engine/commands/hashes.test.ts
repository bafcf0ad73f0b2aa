import { describe, expect, it } from "vitest";
import { EMPTY_ARRAY, ERR, NIL, OK, bulk, bulkArray, error, integer } from "../reply";
import { Harness } from "./harness";

// Replies and propagated commands checked against redis-server 7.0.15 (its replication stream).

describe("hashes", () => {
  it("HSET replies the number of new fields and always propagates; HMSET replies OK", () => {
    const h = new Harness();
    expect(h.call("HSET", "h", "f1", "v1", "f2", "v2")).toEqual(integer(2));
    expect(h.call("HSET", "h", "f1", "v1")).toEqual(integer(0));
    expect(h.propagated).toEqual([["HSET", "h", "f1", "v1"]]);
    expect(h.call("HMSET", "h", "a", "1")).toEqual(OK);
    expect(h.call("HSET", "h", "f3")).toEqual(
      error("ERR wrong number of arguments for 'hset' command"),
    );
    expect(h.call("HMSET", "h", "a")).toEqual(
      error("ERR wrong number of arguments for 'hmset' command"),
    );
  });

  it("HGETALL, HKEYS and HVALS list fields in insertion order, as a listpack does", () => {
    const h = new Harness();
    h.call("HSET", "h", "b", "2", "a", "1", "c", "3");
    h.call("HSET", "h", "b", "20");
    expect(h.call("HGETALL", "h")).toEqual(bulkArray(["b", "20", "a", "1", "c", "3"]));
    expect(h.call("HKEYS", "h")).toEqual(bulkArray(["b", "a", "c"]));
    expect(h.call("HVALS", "h")).toEqual(bulkArray(["20", "1", "3"]));
    expect(h.call("HGETALL", "nope")).toEqual(EMPTY_ARRAY);
  });

  it("HGET, HMGET, HEXISTS, HLEN and HSTRLEN", () => {
    const h = new Harness();
    h.call("HSET", "h", "f", "hello");
    expect(h.call("HGET", "h", "f")).toEqual(bulk("hello"));
    expect(h.call("HGET", "h", "zz")).toEqual(NIL);
    expect(h.call("HMGET", "h", "f", "zz")).toEqual(bulkArray(["hello", null]));
    expect(h.call("HMGET", "nope", "f")).toEqual(bulkArray([null]));
    expect(h.call("HEXISTS", "h", "f")).toEqual(integer(1));
    expect(h.call("HLEN", "h")).toEqual(integer(1));
    expect(h.call("HSTRLEN", "h", "f")).toEqual(integer(5));
    h.call("SET", "s", "x");
    expect(h.call("HMGET", "s", "f")).toEqual(error(ERR.wrongType));
  });

  it("HSETNX sets only a new field; HDEL deletes an emptied hash and propagates only deletions", () => {
    const h = new Harness();
    expect(h.call("HSETNX", "h", "f", "v")).toEqual(integer(1));
    expect(h.call("HSETNX", "h", "f", "w")).toEqual(integer(0));
    expect(h.propagated).toEqual([]);
    expect(h.call("HDEL", "h", "zz")).toEqual(integer(0));
    expect(h.propagated).toEqual([]);
    expect(h.call("HDEL", "h", "f", "zz")).toEqual(integer(1));
    expect(h.propagated).toEqual([["HDEL", "h", "f", "zz"]]);
    expect(h.call("EXISTS", "h")).toEqual(integer(0));
  });

  it("HINCRBY checks the stored value and overflow", () => {
    const h = new Harness();
    expect(h.call("HINCRBY", "h", "n", "5")).toEqual(integer(5));
    expect(h.call("HINCRBY", "h", "n", "-10")).toEqual(integer(-5));
    expect(h.call("HINCRBY", "h", "n", "x")).toEqual(error(ERR.notInteger));
    h.call("HSET", "h", "s", "abc", "big", "9223372036854775807");
    expect(h.call("HINCRBY", "h", "s", "1")).toEqual(error("ERR hash value is not an integer"));
    expect(h.call("HINCRBY", "h", "big", "1")).toEqual(
      error("ERR increment or decrement would overflow"),
    );
  });

  it("HINCRBYFLOAT propagates as HSET with the result", () => {
    const h = new Harness();
    expect(h.call("HINCRBYFLOAT", "h", "x", "10.5")).toEqual(bulk("10.5"));
    expect(h.call("HINCRBYFLOAT", "h", "x", "0.1")).toEqual(bulk("10.6"));
    expect(h.propagated).toEqual([["HSET", "h", "x", "10.6"]]);
  });

  it("HINCRBYFLOAT refuses an infinite increment before creating the key", () => {
    const h = new Harness();
    expect(h.call("HINCRBYFLOAT", "h", "x", "inf")).toEqual(error("ERR value is NaN or Infinity"));
    expect(h.call("EXISTS", "h")).toEqual(integer(0));
    expect(h.call("HINCRBYFLOAT", "h", "x", "abc")).toEqual(error(ERR.notFloat));
    h.call("HSET", "h", "s", "abc");
    expect(h.call("HINCRBYFLOAT", "h", "s", "1")).toEqual(error("ERR hash value is not a float"));
  });
});
