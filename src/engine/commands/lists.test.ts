import { describe, expect, it } from "vitest";
import {
  EMPTY_ARRAY,
  ERR,
  NIL,
  NIL_ARRAY,
  OK,
  array,
  bulk,
  bulkArray,
  error,
  integer,
} from "../reply";
import { Harness } from "./harness";

// Replies and propagated commands checked against redis-server 7.0.15 (its replication stream).

function listOf(h: Harness, key: string) {
  return h.call("LRANGE", key, "0", "-1");
}

describe("pushes and pops", () => {
  it("LPUSH pushes each value at the head in turn; RPUSH at the tail", () => {
    const h = new Harness();
    expect(h.call("LPUSH", "l", "a", "b", "c")).toEqual(integer(3));
    expect(h.propagated).toEqual([["LPUSH", "l", "a", "b", "c"]]);
    expect(h.call("RPUSH", "l", "d")).toEqual(integer(4));
    expect(listOf(h, "l")).toEqual(bulkArray(["c", "b", "a", "d"]));
  });

  it("LPUSHX and RPUSHX do nothing on a missing key, but check the type first", () => {
    const h = new Harness();
    expect(h.call("LPUSHX", "l", "a")).toEqual(integer(0));
    expect(h.propagated).toEqual([]);
    expect(h.db.size).toBe(0);
    h.call("SET", "s", "x");
    expect(h.call("RPUSHX", "s", "a")).toEqual(error(ERR.wrongType));
  });

  it("LPOP and RPOP with a count reply arrays; a missing key is a nil array", () => {
    const h = new Harness();
    h.call("RPUSH", "l", "a", "b", "c", "d", "e");
    expect(h.call("LPOP", "l")).toEqual(bulk("a"));
    expect(h.call("RPOP", "l", "2")).toEqual(bulkArray(["e", "d"]));
    expect(h.propagated).toEqual([["RPOP", "l", "2"]]);
    expect(h.call("LPOP", "l", "0")).toEqual(EMPTY_ARRAY);
    expect(h.propagated).toEqual([]);
    expect(h.call("LPOP", "nope")).toEqual(NIL);
    expect(h.call("LPOP", "nope", "2")).toEqual(NIL_ARRAY);
    expect(h.call("LPOP", "l", "10")).toEqual(bulkArray(["b", "c"]));
    expect(h.call("EXISTS", "l")).toEqual(integer(0));
  });

  it("a bad pop count is 'must be positive', even when it is not a number", () => {
    const h = new Harness();
    h.call("RPUSH", "l", "a");
    expect(h.call("LPOP", "l", "-1")).toEqual(error("ERR value is out of range, must be positive"));
    expect(h.call("LPOP", "l", "abc")).toEqual(
      error("ERR value is out of range, must be positive"),
    );
    expect(h.call("LPOP", "l", "1", "2")).toEqual(
      error("ERR wrong number of arguments for 'lpop' command"),
    );
  });
});

describe("reading and editing", () => {
  it("LRANGE, LINDEX and LLEN use Redis's index arithmetic", () => {
    const h = new Harness();
    h.call("RPUSH", "l", "a", "b", "c", "d", "e");
    expect(h.call("LRANGE", "l", "-2", "-1")).toEqual(bulkArray(["d", "e"]));
    expect(h.call("LRANGE", "l", "3", "1")).toEqual(EMPTY_ARRAY);
    expect(h.call("LRANGE", "l", "-100", "100")).toEqual(bulkArray(["a", "b", "c", "d", "e"]));
    expect(h.call("LRANGE", "l", "a", "b")).toEqual(error(ERR.notInteger));
    expect(h.call("LINDEX", "l", "-1")).toEqual(bulk("e"));
    expect(h.call("LINDEX", "l", "10")).toEqual(NIL);
    expect(h.call("LINDEX", "nope", "x")).toEqual(NIL);
    expect(h.call("LLEN", "l")).toEqual(integer(5));
  });

  it("LSET replaces an element; out of range and missing keys are errors", () => {
    const h = new Harness();
    h.call("RPUSH", "l", "a", "b");
    expect(h.call("LSET", "l", "-1", "Z")).toEqual(OK);
    expect(h.propagated).toEqual([["LSET", "l", "-1", "Z"]]);
    expect(h.call("LSET", "l", "5", "X")).toEqual(error("ERR index out of range"));
    expect(h.call("LSET", "nope", "0", "X")).toEqual(error("ERR no such key"));
    expect(listOf(h, "l")).toEqual(bulkArray(["a", "Z"]));
  });

  it("LREM removes from the head, the tail or everywhere, and deletes an emptied list", () => {
    const h = new Harness();
    h.call("RPUSH", "l", "a", "b", "a", "c", "a", "d", "a");
    expect(h.call("LREM", "l", "2", "a")).toEqual(integer(2));
    expect(listOf(h, "l")).toEqual(bulkArray(["b", "c", "a", "d", "a"]));
    expect(h.call("LREM", "l", "-1", "a")).toEqual(integer(1));
    expect(listOf(h, "l")).toEqual(bulkArray(["b", "c", "a", "d"]));
    expect(h.call("LREM", "l", "0", "zz")).toEqual(integer(0));
    expect(h.propagated).toEqual([]);
    h.call("DEL", "l");
    h.call("RPUSH", "l", "a", "a");
    expect(h.call("LREM", "l", "0", "a")).toEqual(integer(2));
    expect(h.call("EXISTS", "l")).toEqual(integer(0));
  });

  it("LTRIM that keeps everything propagates nothing; trimming everything deletes the key", () => {
    const h = new Harness();
    h.call("RPUSH", "l", "a", "b", "c", "d", "e");
    expect(h.call("LTRIM", "l", "0", "-1")).toEqual(OK);
    expect(h.propagated).toEqual([]);
    expect(h.call("LTRIM", "l", "1", "-2")).toEqual(OK);
    expect(h.propagated).toEqual([["LTRIM", "l", "1", "-2"]]);
    expect(listOf(h, "l")).toEqual(bulkArray(["b", "c", "d"]));
    expect(h.call("LTRIM", "l", "5", "10")).toEqual(OK);
    expect(h.call("EXISTS", "l")).toEqual(integer(0));
  });

  it("LINSERT inserts at the first pivot, or replies -1", () => {
    const h = new Harness();
    h.call("RPUSH", "l", "a", "b", "c");
    expect(h.call("LINSERT", "l", "BEFORE", "b", "X")).toEqual(integer(4));
    expect(h.call("LINSERT", "l", "after", "c", "Y")).toEqual(integer(5));
    expect(h.call("LINSERT", "l", "before", "zz", "Q")).toEqual(integer(-1));
    expect(h.propagated).toEqual([]);
    expect(h.call("LINSERT", "l", "middle", "b", "Q")).toEqual(error(ERR.syntax));
    expect(listOf(h, "l")).toEqual(bulkArray(["a", "X", "b", "c", "Y"]));
  });

  it("LPOS finds positions with RANK, COUNT and MAXLEN", () => {
    const h = new Harness();
    h.call("RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c");
    expect(h.call("LPOS", "l", "c")).toEqual(integer(2));
    expect(h.call("LPOS", "l", "c", "RANK", "-1")).toEqual(integer(7));
    expect(h.call("LPOS", "l", "c", "COUNT", "0")).toEqual(array([2, 6, 7].map(integer)));
    expect(h.call("LPOS", "l", "c", "RANK", "-1", "COUNT", "2")).toEqual(
      array([7, 6].map(integer)),
    );
    expect(h.call("LPOS", "l", "c", "MAXLEN", "3", "RANK", "2")).toEqual(NIL);
    expect(h.call("LPOS", "nope", "a", "COUNT", "1")).toEqual(EMPTY_ARRAY);
    expect(h.call("LPOS", "l", "c", "RANK", "0")).toEqual(
      error(
        "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
      ),
    );
    expect(h.call("LPOS", "l", "c", "COUNT", "-1")).toEqual(error("ERR COUNT can't be negative"));
    expect(h.call("LPOS", "l", "c", "MAXLEN", "x")).toEqual(error("ERR MAXLEN can't be negative"));
  });
});

describe("moving between lists", () => {
  it("RPOPLPUSH and LMOVE move one element and propagate as sent", () => {
    const h = new Harness();
    h.call("RPUSH", "a", "1", "2", "3");
    expect(h.call("RPOPLPUSH", "a", "b")).toEqual(bulk("3"));
    expect(h.propagated).toEqual([["RPOPLPUSH", "a", "b"]]);
    expect(h.call("LMOVE", "a", "b", "LEFT", "RIGHT")).toEqual(bulk("1"));
    expect(listOf(h, "b")).toEqual(bulkArray(["3", "1"]));
    expect(h.call("LMOVE", "a", "b", "up", "down")).toEqual(error(ERR.syntax));
    expect(h.call("RPOPLPUSH", "nope", "b")).toEqual(NIL);
  });

  it("rotating a one-element list onto itself keeps it", () => {
    const h = new Harness();
    h.call("RPUSH", "one", "x");
    expect(h.call("RPOPLPUSH", "one", "one")).toEqual(bulk("x"));
    expect(listOf(h, "one")).toEqual(bulkArray(["x"]));
  });

  it("a destination of another type is WRONGTYPE and nothing moves", () => {
    const h = new Harness();
    h.call("RPUSH", "a", "1");
    h.call("SET", "s", "x");
    expect(h.call("RPOPLPUSH", "a", "s")).toEqual(error(ERR.wrongType));
    expect(listOf(h, "a")).toEqual(bulkArray(["1"]));
  });
});
