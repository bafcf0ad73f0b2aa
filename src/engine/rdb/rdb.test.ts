import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ByteString } from "../bytes";
import { Keyspace } from "../keyspace/db";
import type { RedisValue } from "../keyspace/value";
import { CRC64_INIT, crc64ToLeBytes, crc64Update } from "./crc64";
import { intsetEncode } from "./intset";
import { lpEncode } from "./listpack";
import { RdbError } from "./rdbError";
import { readObject, readRdb, tryReadRdb } from "./reader";
import type { RdbAux } from "./writer";
import { writeObject, writeRdb } from "./writer";
import { ziplistDecode } from "./ziplist";

// --- helpers to hand-build RDB files -----------------------------------------

function hex(h: string): ByteString {
  let s = "";
  for (let i = 0; i < h.length; i += 2) s += String.fromCharCode(parseInt(h.slice(i, i + 2), 16));
  return s;
}

function len(n: number): ByteString {
  if (n < 64) return String.fromCharCode(n);
  if (n < 16384) return String.fromCharCode(0x40 | (n >> 8), n & 0xff);
  return String.fromCharCode(0x80, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

function str(s: ByteString): ByteString {
  return len(s.length) + s;
}

function le(v: bigint, width: number): ByteString {
  let s = "";
  for (let k = 0; k < width; k++)
    s += String.fromCharCode(Number((BigInt.asUintN(64, v) >> BigInt(8 * k)) & 0xffn));
  return s;
}

/** Header, body, EOF and a correct checksum. */
function rdbFile(body: ByteString, version = "0010"): ByteString {
  const payload = `REDIS${version}` + body + "\xff";
  return payload + crc64ToLeBytes(crc64Update(CRC64_INIT, payload));
}

const AUX: RdbAux = {
  redisVer: "7.0.15",
  ctimeSec: 1_700_000_000,
  usedMem: 1_000_000,
  replStreamDb: 0,
  replId: "52904b4e460874f5c86832368d9aa039a6b3b30e",
  replOffset: 0,
};

function rdbError(f: () => unknown): RdbError {
  try {
    f();
  } catch (e) {
    if (e instanceof RdbError) return e;
    throw new Error(`threw a non-RdbError: ${String(e)}`, { cause: e });
  }
  throw new Error("did not throw");
}

function everyType(): Keyspace {
  const ks = new Keyspace();
  const db0 = ks.db(0);
  const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join("");
  db0.dict.set("s", "hello");
  db0.dict.set("empty", "");
  db0.dict.set("bin\x00\xff", all);
  db0.dict.set("big", all.repeat(400));
  for (const v of [
    "0",
    "-1",
    "127",
    "-128",
    "128",
    "-32768",
    "32768",
    "2147483647",
    "-2147483648",
    "2147483648",
    "9223372036854775807",
    "007",
    "-0",
    "+1",
  ]) {
    db0.dict.set(`n${v}`, v);
  }
  db0.dict.set("42", "key looks like an integer");
  db0.dict.set("list", {
    type: "list",
    value: ["a", "", "1", "-70000", all, "9223372036854775808"],
  });
  db0.dict.set("biglist", {
    type: "list",
    value: Array.from({ length: 5000 }, (_, i) => (i % 3 ? `e${i}` : String(i * 997))),
  });
  db0.dict.set("hash", {
    type: "hash",
    value: new Map([
      ["f", "v"],
      ["n", "12"],
      ["", ""],
      ["b\x00", all.slice(0, 60)],
    ]),
  });
  db0.dict.set("bighash", {
    type: "hash",
    value: new Map([
      ["long", "v".repeat(100)],
      ["x", "1"],
    ]),
  });
  db0.dict.set("intset", { type: "set", value: new Set(["3", "-1", "9223372036854775807"]) });
  db0.dict.set("strset", { type: "set", value: new Set(["a", "1", all]) });
  db0.dict.set("zset", {
    type: "zset",
    value: new Map([
      ["a", 1],
      ["b", 0.1],
      ["c", -Infinity],
      ["d", 1e300],
      ["e", 2 ** 63],
    ]),
  });
  db0.dict.set("bigzset", {
    type: "zset",
    value: new Map(Array.from({ length: 200 }, (_, i) => [`m${i}`, i / 7] as [string, number])),
  });
  db0.expires.set("s", 1_700_000_123_456);
  db0.expires.set("zset", 1_600_000_000_000); // already past: still written and read
  ks.db(3).dict.set("s", "db 3");
  ks.db(15).dict.set("l", { type: "list", value: ["x"] });
  ks.db(15).expires.set("l", 4_102_444_800_000);
  return ks;
}

function expectSameKeyspace(got: Keyspace, want: Keyspace): void {
  for (const db of want.dbs) {
    const g = got.db(db.id);
    expect(new Map(g.dict), `db ${db.id}`).toEqual(new Map(db.dict));
    expect(new Map(g.expires), `expires of db ${db.id}`).toEqual(new Map(db.expires));
  }
}

/** Builds a ziplist the way Redis 6.2 lays one out, for the reader's sake. */
function ziplistOf(
  entries: readonly (string | { int: bigint; enc: number; width: number })[],
): string {
  let body = "";
  let prev = 0;
  for (const e of entries) {
    const prevlen = prev < 254 ? String.fromCharCode(prev) : "\xfe" + zle(BigInt(prev), 4);
    let enc: string;
    if (typeof e === "string") {
      const n = e.length;
      enc =
        n < 64
          ? String.fromCharCode(n)
          : n < 16384
            ? String.fromCharCode(0x40 | (n >> 8), n & 0xff)
            : "\x80" + be(n);
      enc += e;
    } else {
      enc =
        String.fromCharCode(e.enc) +
        (e.width > 0 ? zle(BigInt.asUintN(e.width * 8, e.int), e.width) : "");
    }
    body += prevlen + enc;
    prev = prevlen.length + enc.length;
  }
  const total = 10 + body.length + 1;
  return zle(BigInt(total), 4) + zle(0n, 4) + zle(BigInt(entries.length), 2) + body + "\xff";
}

function zle(v: bigint, width: number): string {
  let s = "";
  for (let k = 0; k < width; k++) s += String.fromCharCode(Number((v >> BigInt(8 * k)) & 0xffn));
  return s;
}

function be(n: number): string {
  return String.fromCharCode(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

describe("ziplist", () => {
  it("reads strings of every length class and every integer encoding", () => {
    const long = "y".repeat(300);
    const huge = "z".repeat(20000);
    const zl = ziplistOf([
      "a",
      long,
      huge,
      { int: -2n, enc: 0xfe, width: 1 },
      { int: -300n, enc: 0xc0, width: 2 },
      { int: 100000n, enc: 0xf0, width: 3 },
      { int: -100000000n, enc: 0xd0, width: 4 },
      { int: 2n ** 62n, enc: 0xe0, width: 8 },
      { int: 0n, enc: 0xf1, width: 0 },
      { int: 12n, enc: 0xfd, width: 0 },
    ]);
    expect(ziplistDecode(zl, 0)).toEqual([
      "a",
      long,
      huge,
      "-2",
      "-300",
      "100000",
      "-100000000",
      String(2n ** 62n),
      "0",
      "12",
    ]);
  });

  it("rejects a wrong prevlen", () => {
    const zl = ziplistOf(["a", "b"]);
    const broken = zl.slice(0, 13) + "\x09" + zl.slice(14); // prevlen of "b"
    expect(() => ziplistDecode(broken, 0)).toThrow(RdbError);
  });
});

// --- writer and reader together ---------------------------------------------

describe("writeRdb and readRdb", () => {
  it("an empty dataset with 7.0.15's aux values is the 172-byte file redis-server 7.0.15 wrote", () => {
    // SAVE on a 7.0.15 master that had a replica (so it had a backlog and wrote repl-* fields).
    const real = hex(
      "524544495330303130fa0972656469732d76657206372e302e3135fa0a72656469732d62697473c040fa056374696d65c27ae1066bfa08757365642d6d656dc2e06e0f00fa0e7265706c2d73747265616d2d6462c000fa077265706c2d69642835323930346234653436303837346635633836383332333638643961613033396136623362333065fa0b7265706c2d6f6666736574c000fa08616f662d62617365c000ff1dd213c1dbc7ec98",
    );
    const loaded = readRdb(real);
    expect([...loaded.aux.keys()]).toEqual([
      "redis-ver",
      "redis-bits",
      "ctime",
      "used-mem",
      "repl-stream-db",
      "repl-id",
      "repl-offset",
      "aof-base",
    ]);
    const ours = writeRdb(
      new Keyspace(),
      {
        ...AUX,
        ctimeSec: Number(loaded.aux.get("ctime")),
        usedMem: Number(loaded.aux.get("used-mem")),
      },
      0,
    );
    expect(ours.length).toBe(172);
    expect(ours).toBe(real);
  });

  it("writes the aux fields in 7.0's order with integers INT-encoded", () => {
    const rdb = writeRdb(
      new Keyspace(),
      { ...AUX, usedMem: 5_000_000_000, replOffset: 70_000, aofBase: 1 },
      0,
    );
    expect(
      rdb.startsWith(
        "REDIS0010\xfa\x09redis-ver\x067.0.15\xfa\x0aredis-bits\xc0\x40\xfa\x05ctime\xc2",
      ),
    ).toBe(true);
    expect(rdb).toContain("\xfa\x08used-mem\x0a5000000000"); // beyond int32: written as text
    expect(rdb).toContain("\xfa\x0brepl-offset\xc2\x70\x11\x01\x00");
    expect(rdb).toContain("\xfa\x08aof-base\xc0\x01\xff");
    const aux = readRdb(rdb).aux;
    expect(aux.get("used-mem")).toBe("5000000000");
    expect(aux.get("repl-offset")).toBe("70000");
  });

  it("round-trips every type, binary keys and values, TTLs and several dbs", () => {
    const ks = everyType();
    const rdb = writeRdb(ks, AUX, 0);
    const loaded = readRdb(rdb);
    expect(loaded.sizeBytes).toBe(rdb.length);
    expectSameKeyspace(loaded.keyspace, ks);
    // zset order in a Map is not meaningful, but scores must be exact.
    expect(loaded.keyspace.db(0).dict.get("zset")).toEqual(ks.db(0).dict.get("zset"));
  });

  it("writes SELECTDB and RESIZEDB only for non-empty dbs, and EXPIRETIME_MS before the type", () => {
    const ks = new Keyspace();
    ks.db(2).dict.set("k", "v");
    ks.db(2).expires.set("k", 0x0102030405);
    const rdb = writeRdb(ks, AUX, 0);
    const tail = rdb.slice(rdb.indexOf("\xfe"));
    expect(tail.slice(0, -8)).toBe(
      "\xfe\x02\xfb\x01\x01\xfc\x05\x04\x03\x02\x01\x00\x00\x00\x00\x01k\x01v\xff",
    );
  });

  it("skips empty collections, which Redis never holds", () => {
    const ks = new Keyspace();
    ks.db(0).dict.set("l", { type: "list", value: [] });
    ks.db(0).dict.set("h", { type: "hash", value: new Map() });
    expect(writeRdb(ks, AUX, 0)).toBe(writeRdb(new Keyspace(), AUX, 0));
  });

  it("handles a multi-megabyte dataset", () => {
    const ks = new Keyspace();
    const db = ks.db(0);
    for (let i = 0; i < 50_000; i++) db.dict.set(`key:${i}`, `value-${i}-${"x".repeat(i % 50)}`);
    db.dict.set("list", {
      type: "list",
      value: Array.from({ length: 100_000 }, (_, i) => `item${i}`),
    });
    db.dict.set("blob", "\xab".repeat(2_000_000));
    const rdb = writeRdb(ks, AUX, 0, { compression: false });
    expect(rdb.length).toBeGreaterThan(4_000_000);
    expectSameKeyspace(readRdb(rdb).keyspace, ks);
    // LZF shrinks the 2 MB blob to about 23 KB (3 bytes per 264-byte back reference).
    const compressed = writeRdb(ks, AUX, 0);
    expect(compressed.length).toBeLessThan(rdb.length - 1_900_000);
    expectSameKeyspace(readRdb(compressed).keyspace, ks);
  });
});

// --- value encodings ---------------------------------------------------------

describe("value encodings", () => {
  const s = (value: ByteString): RedisValue => value;

  it("INT-encodes strings that are canonical integers in int32 range", () => {
    expect(writeObject(s("100"))).toBe("\x00\xc0\x64");
    expect(writeObject(s("-128"))).toBe("\x00\xc0\x80");
    expect(writeObject(s("-129"))).toBe("\x00\xc1\x7f\xff");
    expect(writeObject(s("32767"))).toBe("\x00\xc1\xff\x7f");
    expect(writeObject(s("32768"))).toBe("\x00\xc2\x00\x80\x00\x00");
    expect(writeObject(s("-2147483648"))).toBe("\x00\xc2\x00\x00\x00\x80");
    expect(writeObject(s("2147483648"))).toBe("\x00\x0a2147483648");
    for (const v of ["007", "-0", "+1", "1 ", " 1", "1.0", ""])
      expect(writeObject(s(v))).toBe("\x00" + str(v));
  });

  it("uses 6-bit, 14-bit and 32-bit lengths", () => {
    const raw = { compression: false };
    expect(writeObject(s("a".repeat(63)), raw).slice(0, 2)).toBe("\x00\x3f");
    expect(writeObject(s("a".repeat(64)), raw).slice(0, 3)).toBe("\x00\x40\x40");
    expect(writeObject(s("a".repeat(16384)), raw).slice(0, 6)).toBe("\x00\x80\x00\x00\x40\x00");
  });

  it("chooses the encoding 7.0 gives each collection by size", () => {
    const type = (v: RedisValue) => writeObject(v).charCodeAt(0);
    const hash = (n: number, vlen = 1) =>
      new Map(Array.from({ length: n }, (_, i) => [`f${i}`, "v".repeat(vlen)] as [string, string]));
    expect(type({ type: "list", value: ["a"] })).toBe(18);
    expect(type({ type: "hash", value: hash(512) })).toBe(16);
    expect(type({ type: "hash", value: hash(513) })).toBe(4);
    expect(type({ type: "hash", value: hash(1, 64) })).toBe(16);
    expect(type({ type: "hash", value: hash(1, 65) })).toBe(4);
    const ints = (n: number) => new Set(Array.from({ length: n }, (_, i) => String(i)));
    expect(type({ type: "set", value: ints(512) })).toBe(11);
    expect(type({ type: "set", value: ints(513) })).toBe(2);
    expect(type({ type: "set", value: new Set(["1", "a"]) })).toBe(2);
    const zset = (n: number, mlen = 1) =>
      new Map(
        Array.from({ length: n }, (_, i) => [`${"m".repeat(mlen)}${i}`, i] as [string, number]),
      );
    expect(type({ type: "zset", value: zset(128) })).toBe(17);
    expect(type({ type: "zset", value: zset(129) })).toBe(5);
    expect(type({ type: "zset", value: zset(1, 64) })).toBe(5); // "m"*64 + "0" is 65 bytes
  });

  it("splits lists into listpack nodes of at most 8 KB", () => {
    const list = Array.from({ length: 1000 }, (_, i) => `${i}`.padStart(100, "x"));
    const obj = writeObject({ type: "list", value: list });
    // 1000 entries of 102 bytes: 80 per node (7 + 80*102 = 8167; one more would pass 8192).
    expect(obj.slice(0, 2)).toBe("\x12\x0d"); // 13 nodes
    expect(readObject(obj)).toEqual({ type: "list", value: list });
  });

  it("saves small zsets sorted by score then member, large ones highest first", () => {
    const small = writeObject({
      type: "zset",
      value: new Map([
        ["b", 1],
        ["a", 1],
        ["c", 0.5],
      ]),
    });
    expect(small).toBe("\x11" + str(lpEncode(["c", "0.5", "a", "1", "b", "1"])));
    const big = new Map(Array.from({ length: 129 }, (_, i) => [`m${i}`, i] as [string, number]));
    const obj = writeObject({ type: "zset", value: big });
    expect(obj.slice(0, 8)).toBe("\x05\x40\x81\x04m128"); // type, 129 entries, first member m128
  });
});

// --- reading what other Redis versions write ---------------------------------

describe("readRdb on hand-built files", () => {
  const key = (type: number, k: ByteString, v: ByteString) =>
    String.fromCharCode(type) + str(k) + v;

  it("reads an LZF-compressed string as redis-server 7.0.15 wrote it", () => {
    // From a real DUMP of "abc" x 42 (rdbcompression yes): 0xC3, clen 11, len 126, data.
    const lzf = "\xc3\x0b\x40\x7e\x03abca\xe0o\x02\x01bc";
    const loaded = readRdb(rdbFile("\xfe\x00" + "\x00" + str("k") + lzf));
    expect(loaded.keyspace.db(0).dict.get("k")).toEqual("abc".repeat(42));
    expect(readObject("\x00" + lzf)).toEqual("abc".repeat(42));
  });

  it("rejects corrupt LZF data", () => {
    for (const bad of [
      "\xc3\x0b\x40\x7f\x03abca\xe0o\x02\x01bc",
      "\xc3\x03\x05\x04\x20\x00a",
      "\xc3\x02\x7f\xff\xe0\xff",
    ]) {
      expect(rdbError(() => readObject("\x00" + bad)).reason).toMatch(/LZF/);
    }
  });

  it("reads pre-7.0 and 7.2 encodings", () => {
    const body = [
      key(1, "list1", len(2) + str("a") + "\xc0\x05"),
      key(2, "set2", len(2) + str("x") + str("y")),
      key(3, "zset3", len(3) + str("a") + "\x031.5" + str("b") + "\xfe" + str("c") + "\xff"),
      key(4, "hash4", len(1) + str("f") + str("v")),
      key(10, "listzl", str(ziplistOf(["a", { int: 7n, enc: 0xfe, width: 1 }]))),
      key(11, "intset", str(intsetEncode([2n, 1n]))),
      key(12, "zsetzl", str(ziplistOf(["m", "2.5", "n", { int: 3n, enc: 0xf4, width: 0 }]))),
      key(13, "hashzl", str(ziplistOf(["f", "v"]))),
      key(14, "quick1", len(2) + str(ziplistOf(["a", "b"])) + str(ziplistOf(["c"]))),
      key(18, "quick2", len(2) + len(1) + str("plain node") + len(2) + str(lpEncode(["p", "q"]))),
      key(20, "setlp", str(lpEncode(["x", "1"]))),
    ].join("");
    const loaded = readRdb(rdbFile("\xfe\x00" + body, "0011"));
    const d = loaded.keyspace.db(0).dict;
    expect(d.get("list1")).toEqual({ type: "list", value: ["a", "5"] });
    expect(d.get("set2")).toEqual({ type: "set", value: new Set(["x", "y"]) });
    expect(d.get("zset3")).toEqual({
      type: "zset",
      value: new Map([
        ["a", 1.5],
        ["b", Infinity],
        ["c", -Infinity],
      ]),
    });
    expect(d.get("hash4")).toEqual({ type: "hash", value: new Map([["f", "v"]]) });
    expect(d.get("listzl")).toEqual({ type: "list", value: ["a", "7"] });
    expect(d.get("intset")).toEqual({ type: "set", value: new Set(["1", "2"]) });
    expect(d.get("zsetzl")).toEqual({
      type: "zset",
      value: new Map([
        ["m", 2.5],
        ["n", 3],
      ]),
    });
    expect(d.get("hashzl")).toEqual({ type: "hash", value: new Map([["f", "v"]]) });
    expect(d.get("quick1")).toEqual({ type: "list", value: ["a", "b", "c"] });
    expect(d.get("quick2")).toEqual({ type: "list", value: ["plain node", "p", "q"] });
    expect(d.get("setlp")).toEqual({ type: "set", value: new Set(["x", "1"]) });
  });

  it("skips IDLE, FREQ, module aux data and collects FUNCTION2 libraries", () => {
    const moduleAux =
      "\xf7\x81" +
      "\x12\x34\x56\x78\x9a\xbc\xde\xf0" + // module id (64-bit length)
      "\x02\x02" + // when_opcode UINT, when 2
      "\x01\x05" +
      "\x02\x81" +
      le(2n ** 63n, 8)
        .split("")
        .reverse()
        .join("") +
      "\x03abcd" +
      "\x04" +
      "12345678" +
      "\x05" +
      str("module string") +
      "\x00";
    const body =
      moduleAux +
      "\xf5" +
      str("#!lua name=mylib\nredis.register_function('f', function() return 1 end)") +
      "\xfe\x00\xfb\x02\x01" +
      "\xf8\x81" +
      "\x00\x00\x00\x00\x00\x00\x00\x05" +
      key(0, "a", str("1")) +
      "\xf9\x07" +
      "\xfd" +
      le(1_700_000_000n, 4) +
      key(0, "b", str("2"));
    const loaded = readRdb(rdbFile(body));
    expect(loaded.functions).toEqual([
      "#!lua name=mylib\nredis.register_function('f', function() return 1 end)",
    ]);
    const db = loaded.keyspace.db(0);
    expect(db.dict.get("a")).toEqual("1");
    expect(db.dict.get("b")).toEqual("2");
    expect(db.expires.get("a")).toBeUndefined();
    expect(db.expires.get("b")).toBe(1_700_000_000_000);
  });

  it("keeps keys whose expire time has passed and drops empty collections", () => {
    const body =
      "\xfe\x00" +
      "\xfc" +
      le(1n, 8) +
      key(0, "old", str("v")) +
      key(2, "emptyset", len(0)) +
      key(18, "emptylist", len(1) + len(2) + str(lpEncode([])));
    const db = readRdb(rdbFile(body)).keyspace.db(0);
    expect(db.expires.get("old")).toBe(1);
    expect([...db.dict.keys()]).toEqual(["old"]);
  });

  it("ignores bytes after the checksum, as Redis does, and reports where the file ended", () => {
    const file = rdbFile("");
    expect(readRdb(file + "junk").sizeBytes).toBe(file.length);
  });

  it("reads version 1 to 4 files, which have no checksum", () => {
    const payload = "REDIS0004\xfe\x00" + key(0, "k", str("v")) + "\xff";
    expect(readRdb(payload).keyspace.db(0).dict.get("k")).toEqual("v");
  });
});

// --- errors --------------------------------------------------------------------

describe("readRdb errors", () => {
  const good = writeRdb(everyType(), AUX, 0);

  it("verifies the checksum, unless it is zero", () => {
    const flipped =
      good.slice(0, 200) + String.fromCharCode(good.charCodeAt(200) ^ 0x01) + good.slice(201);
    expect(() => readRdb(flipped)).toThrow(RdbError);
    const badSum = good.slice(0, -1) + String.fromCharCode(good.charCodeAt(good.length - 1) ^ 0xff);
    const e = rdbError(() => readRdb(badSum));
    expect(e.reason).toMatch(/wrong RDB checksum/);
    expect(e.offset).toBe(good.length - 8);
    const zeroSum = good.slice(0, -8) + "\x00".repeat(8);
    expectSameKeyspace(readRdb(zeroSum).keyspace, everyType());
  });

  it("names the problem and the offset", () => {
    expect(rdbError(() => readRdb("HELLO0010")).reason).toMatch(/not an RDB file/);
    expect(rdbError(() => readRdb("REDIS0012")).reason).toMatch(/version 12/);
    expect(rdbError(() => readRdb(rdbFile("\xfe\x10"))).reason).toMatch(/db 16 does not exist/);
    const dup = "\xfe\x00" + "\x00\x01k\x01v" + "\x00\x01k\x01w";
    expect(rdbError(() => readRdb(rdbFile(dup))).reason).toMatch(/duplicate key "k"/);
    const stream = "\xfe\x00" + "\x13\x01s";
    expect(rdbError(() => readRdb(rdbFile(stream))).reason).toMatch(
      /streams .* not supported .*key "s"/,
    );
    const unknown = rdbError(() => readRdb(rdbFile("\xfe\x00\x2a\x01k")));
    expect(unknown.reason).toMatch(/unknown value type 42/);
    expect(unknown.offset).toBe(11);
    const truncated = rdbError(() => readRdb(good.slice(0, 100)));
    expect(truncated.reason).toMatch(/unexpected end of file/);
    expect(truncated.message).toMatch(/at byte \d+$/);
    const badLp = "\xfe\x00" + "\x10\x01h" + str("\x07\x00\x00\x00\x00\x00\x00");
    expect(rdbError(() => readRdb(rdbFile(badLp))).reason).toMatch(/corrupt listpack.*key "h"/);
  });

  it("tryReadRdb returns the error instead of throwing", () => {
    const r = tryReadRdb("garbage");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBeInstanceOf(RdbError);
    const ok = tryReadRdb(good);
    expect(ok.ok).toBe(true);
  });

  it("every truncation of a valid file is an RdbError", () => {
    for (let n = 0; n < good.length; n += Math.max(1, Math.floor(n / 50))) {
      expect(() => readRdb(good.slice(0, n)), `prefix of ${n} bytes`).toThrow(RdbError);
    }
  });

  it("arbitrary bytes never throw anything but RdbError", () => {
    const bytes = fc.uint8Array({ maxLength: 300 }).map((a) => String.fromCharCode(...a));
    const withHeader = bytes.map((b) => "REDIS0010" + b);
    const withChecksum = bytes.map((b) => rdbFile(b));
    fc.assert(
      fc.property(fc.oneof(bytes, withHeader, withChecksum), (input) => {
        try {
          readRdb(input);
        } catch (e) {
          if (!(e instanceof RdbError)) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("random corruptions of a valid file never throw anything but RdbError", () => {
    const compact = everyType();
    for (const k of ["big", "biglist", "bigzset"]) compact.db(0).dict.delete(k);
    const base = writeRdb(compact, AUX, 0);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (edits) => {
          let s = base;
          for (const [at, b] of edits)
            s = s.slice(0, at) + String.fromCharCode(b) + s.slice(at + 1);
          const payload = s.slice(0, -8);
          s = payload + crc64ToLeBytes(crc64Update(CRC64_INIT, payload));
          try {
            readRdb(s);
          } catch (e) {
            if (!(e instanceof RdbError)) throw e;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
