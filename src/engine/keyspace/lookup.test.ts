import { describe, expect, it } from "vitest";
import type { ByteString } from "../bytes";
import type { ExecContext } from "../commands/command";
import { Keyspace } from "./db";
import type { Db } from "./db";
import {
  checkAlreadyExpired,
  dbOverwrite,
  expiredKeys,
  isKeyExpired,
  lookupKeyRead,
  lookupKeyWrite,
  readTyped,
  setKey,
  WRONG_TYPE,
} from "./lookup";

const NOW = 1_700_000_000_000;

/** A bare ExecContext that records the keys it was asked to expire. */
function context(role: "master" | "replica" | "fromMaster", nowMs = NOW) {
  const keyspace = new Keyspace();
  const expired: ByteString[] = [];
  const ctx: ExecContext = {
    keyspace,
    db: keyspace.db(0),
    nowMs,
    expiryIsReadOnly: role === "replica",
    fromMaster: role === "fromMaster",
    expiryPaused: false,
    lazyfreeLazyExpire: false,
    lazyfreeLazyServerDel: false,
    lazyfreeLazyUserDel: false,
    random: () => 0,
    markDirty: () => undefined,
    rewrite: () => undefined,
    alsoPropagate: () => undefined,
    forcePropagation: () => undefined,
    preventPropagation: () => undefined,
    expireKey: (db: Db, key: ByteString) => {
      db.delete(key);
      expired.push(key);
    },
  };
  return { ctx, db: ctx.db, expired };
}

function putString(db: Db, key: ByteString, value: ByteString, expireAt?: number): void {
  db.dict.set(key, value);
  if (expireAt !== undefined) db.expires.set(key, expireAt);
}

describe("expiry on lookup", () => {
  it("a key whose expire time equals now is still alive (Redis expires when now > when)", () => {
    const { ctx, db } = context("master");
    putString(db, "k", "v", NOW);
    expect(isKeyExpired(db, "k", NOW)).toBe(false);
    expect(lookupKeyRead(ctx, "k")).toEqual("v");
    expect(isKeyExpired(db, "k", NOW + 1)).toBe(true);
  });

  it("a master deletes an expired key it reads, through expireKey", () => {
    const { ctx, db, expired } = context("master");
    putString(db, "k", "v", NOW - 1);
    expect(lookupKeyRead(ctx, "k")).toBeUndefined();
    expect(expired).toEqual(["k"]);
    expect(db.dict.has("k")).toBe(false);
  });

  it("a replica reads an expired key as missing but keeps it for the master's DEL", () => {
    const { ctx, db, expired } = context("replica");
    putString(db, "k", "v", NOW - 1);
    expect(lookupKeyRead(ctx, "k")).toBeUndefined();
    expect(expired).toEqual([]);
    expect(db.size).toBe(1);
  });

  it("the master link sees an expired key as present", () => {
    const { ctx, db, expired } = context("fromMaster");
    putString(db, "k", "v", NOW - 1);
    expect(lookupKeyRead(ctx, "k")).toEqual("v");
    expect(lookupKeyWrite(ctx, "k")).toEqual("v");
    expect(expired).toEqual([]);
  });

  it("a write lookup on a (writable) replica deletes the expired key, as 7.0 forces", () => {
    const { ctx, db, expired } = context("replica");
    putString(db, "k", "v", NOW - 1);
    expect(lookupKeyWrite(ctx, "k")).toBeUndefined();
    expect(expired).toEqual(["k"]);
  });

  it("lookups in another database expire keys there", () => {
    const { ctx, expired } = context("master");
    const db3 = ctx.keyspace.db(3);
    putString(db3, "k", "v", NOW - 1);
    expect(lookupKeyRead(ctx, "k", db3)).toBeUndefined();
    expect(expired).toEqual(["k"]);
    expect(db3.size).toBe(0);
  });
});

describe("typed lookups", () => {
  it("return the payload, undefined for a missing key, or WRONG_TYPE", () => {
    const { ctx, db } = context("master");
    putString(db, "s", "v");
    db.dict.set("l", { type: "list", value: ["a"] });
    expect(readTyped(ctx, "s", "string")).toBe("v");
    expect(readTyped(ctx, "l", "list")).toEqual(["a"]);
    expect(readTyped(ctx, "l", "string")).toBe(WRONG_TYPE);
    expect(readTyped(ctx, "nope", "hash")).toBeUndefined();
  });
});

describe("setKey and dbOverwrite", () => {
  it("setKey removes the TTL unless asked to keep it", () => {
    const { ctx, db } = context("master");
    putString(db, "k", "v", NOW + 1000);
    setKey(ctx, "k", "w", { keepTtl: true });
    expect(db.expires.get("k")).toBe(NOW + 1000);
    setKey(ctx, "k", "x");
    expect(db.expires.has("k")).toBe(false);
    expect(db.dict.get("k")).toEqual("x");
  });

  it("setKey on an expired key expires it first (the DEL is propagated before the write)", () => {
    const { ctx, db, expired } = context("master");
    putString(db, "k", "v", NOW - 1);
    setKey(ctx, "k", "w");
    expect(expired).toEqual(["k"]);
    expect(db.dict.get("k")).toEqual("w");
  });

  it("dbOverwrite keeps the TTL, as INCR and APPEND do", () => {
    const { db } = context("master");
    putString(db, "k", "1", NOW + 5);
    dbOverwrite(db, "k", "2");
    expect(db.expires.get("k")).toBe(NOW + 5);
  });
});

describe("checkAlreadyExpired", () => {
  it("is true for a time at or before now on a master, never on a replica", () => {
    expect(checkAlreadyExpired(context("master").ctx, NOW)).toBe(true);
    expect(checkAlreadyExpired(context("master").ctx, NOW + 1)).toBe(false);
    expect(checkAlreadyExpired(context("replica").ctx, NOW - 100)).toBe(false);
    expect(checkAlreadyExpired(context("fromMaster").ctx, NOW - 100)).toBe(false);
  });
});

describe("expiredKeys", () => {
  it("lists due keys in the order their TTLs were set, at most limit of them", () => {
    const { db } = context("master");
    putString(db, "late", "v", NOW + 10);
    putString(db, "b", "v", NOW - 5);
    putString(db, "a", "v", NOW - 1);
    putString(db, "c", "v", NOW - 9);
    putString(db, "now", "v", NOW);
    expect(expiredKeys(db, NOW, 10)).toEqual(["b", "a", "c"]);
    expect(expiredKeys(db, NOW, 2)).toEqual(["b", "a"]);
    expect(expiredKeys(db, NOW, 0)).toEqual([]);
  });
});
