import { describe, expect, it } from "vitest";
import { createBacklog, jemallocUsableSize } from "./backlog";

const write = (n: number, ch = "x") => ch.repeat(n);

describe("the 7.0 backlog (shared replication buffer)", () => {
  it("starts empty with its first byte at master_repl_offset + 1", () => {
    const b = createBacklog("7.0", 1048576, 500);
    expect(b.firstByteOffset).toBe(501);
    expect(b.histlen).toBe(0);
  });

  it("takes blocks of 20,440 usable bytes for a 16 KB request, as jemalloc sizes them", () => {
    expect(jemallocUsableSize(16384 + 40) - 40).toBe(20440);
    const b = createBacklog("7.0", 16384, 0);
    b.feed(write(100));
    expect(b.blocks()).toEqual([{ offset: 1, size: 20440, used: 100 }]);
  });

  it("is not capped at repl-backlog-size: a block is dropped only if the rest still exceeds it", () => {
    const b = createBacklog("7.0", 16384, 0);
    b.feed(write(20694));
    expect(b.histlen).toBe(20694);
    expect(b.firstByteOffset).toBe(1);
    b.feed(write(20671));
    // Real redis-server 7.0.15 shows first byte 20441 and histlen 20925 here.
    expect(b.firstByteOffset).toBe(20441);
    expect(b.histlen).toBe(20925);
  });

  it("raises a repl-backlog-size below 16384 to 16384", () => {
    const b = createBacklog("7.0", 100, 0);
    b.feed(write(16384 + 20440));
    expect(b.histlen).toBeGreaterThanOrEqual(16384);
  });

  it("keeps blocks a replica still has to send, and trims them once it lets go", () => {
    const b = createBacklog("7.0", 16384, 0);
    const replica = {};
    b.reference(replica, 1);
    b.feed(write(100_000));
    expect(b.firstByteOffset).toBe(1);
    expect(b.histlen).toBe(100_000);
    b.release(replica);
    expect(b.firstByteOffset).toBeGreaterThan(1);
    expect(b.histlen).toBeLessThanOrEqual(16384 + 20440);
  });

  it("returns the exact bytes from any offset it still holds", () => {
    const b = createBacklog("7.0", 16384, 0);
    let all = "";
    for (let i = 0; i < 500; i++) {
      const chunk = `cmd${i};`;
      all += chunk;
      b.feed(chunk);
    }
    const from = b.firstByteOffset + 7;
    expect(b.readFrom(from)).toBe(all.slice(from - 1));
  });
});

describe("the 6.2 backlog (fixed ring)", () => {
  it("holds exactly repl-backlog-size bytes once full", () => {
    const b = createBacklog("6.2", 16384, 0);
    b.feed(write(40_000));
    expect(b.histlen).toBe(16384);
    expect(b.firstByteOffset).toBe(40_000 - 16384 + 1);
  });

  it("returns the last bytes written", () => {
    const b = createBacklog("6.2", 16384, 10);
    b.feed(write(16000, "a"));
    b.feed(write(1000, "b"));
    expect(b.readFrom(b.firstByteOffset)).toBe(write(15384, "a") + write(1000, "b"));
  });

  it("discards its contents when resized", () => {
    const b = createBacklog("6.2", 16384, 0);
    b.feed(write(1000));
    b.resize(32768, 1000);
    expect(b.histlen).toBe(0);
    expect(b.firstByteOffset).toBe(1001);
  });
});
