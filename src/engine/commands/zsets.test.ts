import { describe, expect, it } from "vitest";
import { EMPTY_ARRAY, ERR, NIL, array, bulk, bulkArray, error, integer } from "../reply";
import { Harness } from "./harness";

// Replies and propagated commands checked against redis-server 7.0.15 (its replication stream).

function zset(...pairs: string[]): Harness {
  const h = new Harness();
  h.call("ZADD", "z", ...pairs);
  return h;
}

describe("ZADD and ZINCRBY", () => {
  it("replies scores with %.17g, as 7.0 does", () => {
    const h = zset("1.1", "a", "0.1", "b", "1e21", "c", "2", "d");
    expect(h.call("ZSCORE", "z", "a")).toEqual(bulk("1.1000000000000001"));
    expect(h.call("ZMSCORE", "z", "b", "c", "d", "zz")).toEqual(
      bulkArray(["0.10000000000000001", "1e+21", "2", null]),
    );
  });

  it("NX, XX, GT, LT and CH decide what changes and what is counted", () => {
    const h = zset("1", "a", "2", "b", "3", "c");
    expect(h.call("ZADD", "z", "CH", "5", "a", "2", "b")).toEqual(integer(1));
    expect(h.call("ZADD", "z", "NX", "10", "a", "4", "d")).toEqual(integer(1));
    expect(h.call("ZADD", "z", "XX", "10", "a", "5", "e")).toEqual(integer(0));
    expect(h.call("ZSCORE", "z", "a")).toEqual(bulk("10"));
    expect(h.call("ZADD", "z", "GT", "CH", "1", "a")).toEqual(integer(0));
    expect(h.propagated).toEqual([]);
    expect(h.call("ZADD", "z", "LT", "CH", "1", "a")).toEqual(integer(1));
    expect(h.propagated).toEqual([["ZADD", "z", "LT", "CH", "1", "a"]]);
  });

  it("a ZADD that changes nothing propagates nothing", () => {
    const h = zset("1", "a");
    expect(h.call("ZADD", "z", "1", "a")).toEqual(integer(0));
    expect(h.propagated).toEqual([]);
    expect(h.call("ZADD", "nope", "XX", "1", "a")).toEqual(integer(0));
    expect(h.call("EXISTS", "nope")).toEqual(integer(0));
  });

  it("option conflicts and bad scores use Redis's texts", () => {
    const h = zset("1", "a");
    expect(h.call("ZADD", "z", "XX", "NX", "1", "a")).toEqual(
      error("ERR XX and NX options at the same time are not compatible"),
    );
    expect(h.call("ZADD", "z", "GT", "LT", "1", "a")).toEqual(
      error("ERR GT, LT, and/or NX options at the same time are not compatible"),
    );
    expect(h.call("ZADD", "z", "INCR", "1", "a", "2", "b")).toEqual(
      error("ERR INCR option supports a single increment-element pair"),
    );
    expect(h.call("ZADD", "z", "NX", "1")).toEqual(error(ERR.syntax));
    expect(h.call("ZADD", "z", "x", "a")).toEqual(error(ERR.notFloat));
    expect(h.call("ZADD", "z", "nan", "a")).toEqual(error(ERR.notFloat));
  });

  it("INCR replies the new score, or nil when NX/XX/GT/LT stopped it", () => {
    const h = zset("1", "a");
    expect(h.call("ZADD", "z", "INCR", "5", "a")).toEqual(bulk("6"));
    expect(h.call("ZADD", "z", "INCR", "NX", "5", "a")).toEqual(NIL);
    expect(h.call("ZADD", "z", "INCR", "XX", "5", "zz")).toEqual(NIL);
    expect(h.propagated).toEqual([]);
  });

  it("ZINCRBY by 0 replies the score but propagates nothing", () => {
    const h = new Harness();
    expect(h.call("ZINCRBY", "z", "1.5", "a")).toEqual(bulk("1.5"));
    expect(h.propagated).toEqual([["ZINCRBY", "z", "1.5", "a"]]);
    expect(h.call("ZINCRBY", "z", "0", "a")).toEqual(bulk("1.5"));
    expect(h.propagated).toEqual([]);
  });

  it("an increment that makes NaN is refused", () => {
    const h = zset("inf", "a");
    expect(h.call("ZINCRBY", "z", "-inf", "a")).toEqual(
      error("ERR resulting score is not a number (NaN)"),
    );
    expect(h.call("ZSCORE", "z", "a")).toEqual(bulk("inf"));
  });

  it("a stored -0 reads back as 0, as a listpack stores it", () => {
    const h = zset("-0", "a");
    expect(h.call("ZSCORE", "z", "a")).toEqual(bulk("0"));
  });
});

describe("ranges", () => {
  const five = () => zset("1", "a", "2", "b", "3", "c", "4", "d", "5", "e");

  it("ZRANGE by rank, with REV and WITHSCORES; ZREVRANGE", () => {
    const h = five();
    expect(h.call("ZRANGE", "z", "0", "-1")).toEqual(bulkArray(["a", "b", "c", "d", "e"]));
    expect(h.call("ZRANGE", "z", "-2", "-1", "withscores")).toEqual(
      bulkArray(["d", "4", "e", "5"]),
    );
    expect(h.call("ZRANGE", "z", "0", "1", "REV")).toEqual(bulkArray(["e", "d"]));
    expect(h.call("ZREVRANGE", "z", "0", "1", "WITHSCORES")).toEqual(
      bulkArray(["e", "5", "d", "4"]),
    );
    expect(h.call("ZRANGE", "nope", "0", "-1")).toEqual(EMPTY_ARRAY);
  });

  it("ZRANGE BYSCORE with open ends, REV (max first) and LIMIT", () => {
    const h = five();
    expect(h.call("ZRANGE", "z", "(1", "3", "BYSCORE")).toEqual(bulkArray(["b", "c"]));
    expect(h.call("ZRANGE", "z", "3", "1", "BYSCORE", "REV")).toEqual(bulkArray(["c", "b", "a"]));
    expect(h.call("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "2")).toEqual(
      bulkArray(["b", "c"]),
    );
    expect(h.call("ZRANGE", "z", "0", "10", "BYSCORE", "LIMIT", "1", "-1")).toEqual(
      bulkArray(["b", "c", "d", "e"]),
    );
    expect(h.call("ZRANGE", "z", "0", "10", "BYSCORE", "LIMIT", "-1", "2")).toEqual(EMPTY_ARRAY);
    expect(h.call("ZRANGEBYSCORE", "z", "(2", "4", "WITHSCORES")).toEqual(
      bulkArray(["c", "3", "d", "4"]),
    );
  });

  it("ZRANGE BYLEX with -, +, ( and [", () => {
    const h = zset("0", "a", "0", "b", "0", "c", "0", "d");
    expect(h.call("ZRANGE", "z", "[b", "[c", "BYLEX")).toEqual(bulkArray(["b", "c"]));
    expect(h.call("ZRANGE", "z", "(a", "+", "BYLEX", "LIMIT", "1", "1")).toEqual(bulkArray(["c"]));
    expect(h.call("ZRANGE", "z", "+", "-", "BYLEX", "REV")).toEqual(
      bulkArray(["d", "c", "b", "a"]),
    );
    expect(h.call("ZRANGE", "z", "a", "b", "BYLEX")).toEqual(
      error("ERR min or max not valid string range item"),
    );
  });

  it("range errors use Redis's texts", () => {
    const h = five();
    expect(h.call("ZRANGE", "z", "x", "y", "BYSCORE")).toEqual(
      error("ERR min or max is not a float"),
    );
    expect(h.call("ZRANGE", "z", "0", "-1", "LIMIT", "1", "2")).toEqual(
      error(
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
      ),
    );
    expect(h.call("ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES")).toEqual(
      error("ERR syntax error, WITHSCORES not supported in combination with BYLEX"),
    );
    expect(h.call("ZRANGE", "z", "1", "3", "BYSCORE", "BYLEX")).toEqual(error(ERR.syntax));
    expect(h.call("ZREVRANGE", "z", "0", "1", "REV")).toEqual(error(ERR.syntax));
    expect(h.call("ZRANGEBYSCORE", "z", "2", "4", "LIMIT", "1")).toEqual(error(ERR.syntax));
  });

  it("ZCOUNT, ZRANK and ZREVRANK", () => {
    const h = five();
    expect(h.call("ZCOUNT", "z", "(2", "4")).toEqual(integer(2));
    expect(h.call("ZCOUNT", "z", "-inf", "+inf")).toEqual(integer(5));
    expect(h.call("ZCOUNT", "z", "x", "1")).toEqual(error("ERR min or max is not a float"));
    expect(h.call("ZRANK", "z", "c")).toEqual(integer(2));
    expect(h.call("ZREVRANK", "z", "c")).toEqual(integer(2));
    expect(h.call("ZREVRANK", "z", "a")).toEqual(integer(4));
    expect(h.call("ZRANK", "z", "zz")).toEqual(NIL);
  });
});

describe("the older range commands", () => {
  it("ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX and ZLEXCOUNT share ZRANGE's rules", () => {
    const h = zset("0", "a", "0", "b", "0", "c", "0", "d");
    expect(h.call("ZREVRANGEBYSCORE", "z", "+inf", "-inf", "LIMIT", "0", "2")).toEqual(
      bulkArray(["d", "c"]),
    );
    expect(h.call("ZRANGEBYLEX", "z", "[a", "[c", "LIMIT", "1", "5")).toEqual(
      bulkArray(["b", "c"]),
    );
    expect(h.call("ZREVRANGEBYLEX", "z", "+", "(b")).toEqual(bulkArray(["d", "c"]));
    expect(h.call("ZRANGEBYLEX", "z", "-", "+", "WITHSCORES")).toEqual(
      error("ERR syntax error, WITHSCORES not supported in combination with BYLEX"),
    );
    expect(h.call("ZLEXCOUNT", "z", "(a", "+")).toEqual(integer(3));
  });

  it("ZREMRANGEBYRANK, ZREMRANGEBYSCORE and ZREMRANGEBYLEX propagate only when they remove", () => {
    const h = zset("1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
    expect(h.call("ZREMRANGEBYRANK", "z", "0", "0")).toEqual(integer(1));
    expect(h.propagated).toEqual([["ZREMRANGEBYRANK", "z", "0", "0"]]);
    expect(h.call("ZREMRANGEBYSCORE", "z", "100", "200")).toEqual(integer(0));
    expect(h.propagated).toEqual([]);
    expect(h.call("ZREMRANGEBYSCORE", "z", "(2", "3")).toEqual(integer(1));
    expect(h.call("ZREMRANGEBYLEX", "z", "[d", "+")).toEqual(integer(2));
    expect(h.call("ZRANGE", "z", "0", "-1")).toEqual(bulkArray(["b"]));
    expect(h.call("ZREMRANGEBYRANK", "z", "0", "-1")).toEqual(integer(1));
    expect(h.call("EXISTS", "z")).toEqual(integer(0));
  });
});

describe("removal", () => {
  it("ZREM deletes an emptied set and propagates only when something went", () => {
    const h = zset("1", "a", "2", "b");
    expect(h.call("ZREM", "z", "zz")).toEqual(integer(0));
    expect(h.propagated).toEqual([]);
    expect(h.call("ZREM", "z", "a", "b", "zz")).toEqual(integer(2));
    expect(h.propagated).toEqual([["ZREM", "z", "a", "b", "zz"]]);
    expect(h.call("EXISTS", "z")).toEqual(integer(0));
  });

  it("ZPOPMIN and ZPOPMAX reply member/score pairs and propagate as sent", () => {
    const h = zset("1", "a", "2", "b", "3", "c");
    expect(h.call("ZPOPMIN", "z")).toEqual(bulkArray(["a", "1"]));
    expect(h.propagated).toEqual([["ZPOPMIN", "z"]]);
    expect(h.call("ZPOPMAX", "z", "5")).toEqual(bulkArray(["c", "3", "b", "2"]));
    expect(h.call("EXISTS", "z")).toEqual(integer(0));
    expect(h.call("ZPOPMIN", "z")).toEqual(EMPTY_ARRAY);
    expect(h.call("ZPOPMIN", "z", "-1")).toEqual(
      error("ERR value is out of range, must be positive"),
    );
    expect(h.call("ZPOPMIN", "z", "1", "2")).toEqual(error(ERR.syntax));
  });

  it("every command refuses a key of another type", () => {
    const h = new Harness();
    h.call("SET", "k", "v");
    for (const argv of [
      ["ZADD", "k", "1", "a"],
      ["ZSCORE", "k", "a"],
      ["ZRANGE", "k", "0", "1"],
      ["ZCARD", "k"],
      ["ZPOPMIN", "k"],
      ["ZMSCORE", "k", "a"],
    ]) {
      expect(h.call(...argv)).toEqual(error(ERR.wrongType));
    }
    expect(h.call("ZMSCORE", "nope", "a")).toEqual(array([NIL]));
  });
});
