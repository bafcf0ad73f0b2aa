import { describe, expect, it } from "vitest";
import type { Reply } from "../reply";
import { EMPTY_ARRAY, ERR, NIL, array, bulkArray, error, integer } from "../reply";
import { Harness } from "./harness";
import { setMembers } from "./sets";

// Replies and propagated commands checked against redis-server 7.0.15 (its replication stream).

function members(reply: Reply): string[] {
  if (reply.type !== "array" || reply.value === null) throw new Error("not an array");
  return reply.value.map((r) => (r.type === "bulk" ? (r.value ?? "") : ""));
}

describe("set basics", () => {
  it("SADD of an existing member replies 0 and propagates nothing", () => {
    const h = new Harness();
    expect(h.call("SADD", "s", "a", "b")).toEqual(integer(2));
    expect(h.propagated).toEqual([["SADD", "s", "a", "b"]]);
    expect(h.call("SADD", "s", "a")).toEqual(integer(0));
    expect(h.propagated).toEqual([]);
  });

  it("a set of integers lists in numeric order, as an intset does", () => {
    const h = new Harness();
    h.call("SADD", "s", "10", "-3", "2");
    expect(h.call("SMEMBERS", "s")).toEqual(bulkArray(["-3", "2", "10"]));
    expect(setMembers(new Set(["b", "a", "1"]))).toEqual(["b", "a", "1"]);
  });

  it("SREM, SISMEMBER, SMISMEMBER and SCARD", () => {
    const h = new Harness();
    h.call("SADD", "s", "a", "b", "c");
    expect(h.call("SISMEMBER", "s", "a")).toEqual(integer(1));
    expect(h.call("SMISMEMBER", "s", "a", "zz")).toEqual(array([integer(1), integer(0)]));
    expect(h.call("SMISMEMBER", "nope", "a")).toEqual(array([integer(0)]));
    expect(h.call("SREM", "s", "zz")).toEqual(integer(0));
    expect(h.propagated).toEqual([]);
    expect(h.call("SREM", "s", "a", "b", "c")).toEqual(integer(3));
    expect(h.call("EXISTS", "s")).toEqual(integer(0));
    expect(h.call("SCARD", "s")).toEqual(integer(0));
  });
});

describe("SPOP and SRANDMEMBER", () => {
  it("SPOP of one member propagates as SREM key member", () => {
    const h = new Harness();
    h.call("SADD", "s", "a", "b", "c");
    const popped = h.call("SPOP", "s");
    if (popped.type !== "bulk" || popped.value === null) throw new Error("no member");
    expect(h.propagated).toEqual([["SREM", "s", popped.value]]);
    expect(h.call("SISMEMBER", "s", popped.value)).toEqual(integer(0));
    expect(h.call("SCARD", "s")).toEqual(integer(2));
  });

  it("SPOP with a count propagates one SREM per member (7.0), not the SPOP", () => {
    const h = new Harness();
    h.call("SADD", "s", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
    const few = members(h.call("SPOP", "s", "2"));
    expect(h.propagated).toEqual(few.map((m) => ["SREM", "s", m]));
    const most = members(h.call("SPOP", "s", "7"));
    expect(most).toHaveLength(7);
    expect(h.propagated).toEqual(most.map((m) => ["SREM", "s", m]));
    expect(h.call("SCARD", "s")).toEqual(integer(1));
  });

  it("SPOP of the whole set propagates DEL, whatever lazyfree-lazy-server-del says", () => {
    const h = new Harness();
    h.lazyfreeLazyServerDel = true;
    h.call("SADD", "s", "a", "b");
    expect(members(h.call("SPOP", "s", "5")).sort()).toEqual(["a", "b"]);
    expect(h.propagated).toEqual([["DEL", "s"]]);
    expect(h.call("EXISTS", "s")).toEqual(integer(0));
  });

  it("SPOP replies for missing keys, zero counts and bad arguments", () => {
    const h = new Harness();
    expect(h.call("SPOP", "nope")).toEqual(NIL);
    expect(h.call("SPOP", "nope", "3")).toEqual(EMPTY_ARRAY);
    h.call("SADD", "s", "a");
    expect(h.call("SPOP", "s", "0")).toEqual(EMPTY_ARRAY);
    expect(h.propagated).toEqual([]);
    expect(h.call("SPOP", "s", "-1")).toEqual(error("ERR value is out of range, must be positive"));
    expect(h.call("SPOP", "s", "1", "2")).toEqual(error(ERR.syntax));
  });

  it("SRANDMEMBER never changes the set; a negative count may repeat", () => {
    const h = new Harness();
    h.call("SADD", "s", "a", "b", "c");
    expect(members(h.call("SRANDMEMBER", "s", "2"))).toHaveLength(2);
    expect(new Set(members(h.call("SRANDMEMBER", "s", "2"))).size).toBe(2);
    expect(members(h.call("SRANDMEMBER", "s", "-5"))).toHaveLength(5);
    expect(members(h.call("SRANDMEMBER", "s", "10")).sort()).toEqual(["a", "b", "c"]);
    expect(h.call("SRANDMEMBER", "nope")).toEqual(NIL);
    expect(h.call("SRANDMEMBER", "s", "-9223372036854775808")).toEqual(
      error(
        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
      ),
    );
    expect(h.propagated).toEqual([]);
    expect(h.call("SCARD", "s")).toEqual(integer(3));
  });

  it("draws from the injected random source, so runs replay", () => {
    const run = () => {
      const h = new Harness();
      h.call("SADD", "s", ..."abcdefghij");
      return [h.call("SPOP", "s"), h.call("SRANDMEMBER", "s", "-4"), h.call("SPOP", "s", "3")];
    };
    expect(run()).toEqual(run());
  });
});

describe("set algebra", () => {
  it("SINTER, SUNION and SDIFF, with missing keys as empty sets", () => {
    const h = new Harness();
    h.call("SADD", "a", "1", "2", "3", "4");
    h.call("SADD", "b", "3", "4", "5");
    expect(h.call("SINTER", "a", "b")).toEqual(bulkArray(["3", "4"]));
    expect(h.call("SINTER", "a", "nope")).toEqual(EMPTY_ARRAY);
    expect(h.call("SUNION", "a", "b")).toEqual(bulkArray(["1", "2", "3", "4", "5"]));
    expect(h.call("SDIFF", "a", "b")).toEqual(bulkArray(["1", "2"]));
    expect(h.call("SDIFF", "nope", "a")).toEqual(EMPTY_ARRAY);
    h.call("SET", "k", "v");
    expect(h.call("SINTER", "nope", "k")).toEqual(error(ERR.wrongType));
  });

  it("the STORE forms replace the destination and its TTL, or delete it for an empty result", () => {
    const h = new Harness();
    h.call("SADD", "a", "1", "2");
    h.call("SADD", "b", "2", "3");
    expect(h.call("SUNIONSTORE", "d", "a", "b")).toEqual(integer(3));
    expect(h.propagated).toEqual([["SUNIONSTORE", "d", "a", "b"]]);
    h.call("EXPIRE", "d", "100");
    expect(h.call("SDIFFSTORE", "d", "a", "b")).toEqual(integer(1));
    expect(h.call("TTL", "d")).toEqual(integer(-1));
    expect(h.call("SINTERSTORE", "d", "a", "nope")).toEqual(integer(0));
    expect(h.propagated).toEqual([["SINTERSTORE", "d", "a", "nope"]]);
    expect(h.call("SINTERSTORE", "d", "a", "nope")).toEqual(integer(0));
    expect(h.propagated).toEqual([]);
  });

  it("SMOVE moves a member; a move within one set changes nothing", () => {
    const h = new Harness();
    h.call("SADD", "a", "1", "2");
    expect(h.call("SMOVE", "a", "b", "1")).toEqual(integer(1));
    expect(h.propagated).toEqual([["SMOVE", "a", "b", "1"]]);
    expect(h.call("SMOVE", "a", "b", "1")).toEqual(integer(0));
    expect(h.call("SMOVE", "a", "a", "2")).toEqual(integer(1));
    expect(h.propagated).toEqual([]);
    expect(h.call("SMOVE", "a", "b", "2")).toEqual(integer(1));
    expect(h.call("EXISTS", "a")).toEqual(integer(0));
    h.call("SET", "k", "v");
    expect(h.call("SMOVE", "b", "k", "1")).toEqual(error(ERR.wrongType));
  });
});
