import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ByteString } from "../bytes";
import { ByteQueue } from "./byteQueue";
import { encodeCommand } from "./encode";
import { RequestParser } from "./parser";

describe("ByteQueue", () => {
  it("peeks a line without taking it, and takes it with its terminator", () => {
    const q = new ByteQueue();
    q.append("+FULLRESYNC abc 0\r\nrest");
    expect(q.peekLine()).toBe("+FULLRESYNC abc 0");
    expect(q.available).toBe(23);
    expect(q.takeLine()).toBe("+FULLRESYNC abc 0");
    expect(q.available).toBe(4);
    expect(q.consumed).toBe(19);
  });

  it("tolerates a bare LF and reads an empty line as a keep-alive", () => {
    const q = new ByteQueue();
    q.append("\n\r\n+OK\n");
    expect(q.takeLine()).toBe("");
    expect(q.takeLine()).toBe("");
    expect(q.takeLine()).toBe("+OK");
    expect(q.consumed).toBe(7);
  });

  it("has no line until the newline arrives", () => {
    const q = new ByteQueue();
    q.append("+CONTINUE\r");
    expect(q.peekLine()).toBeUndefined();
    expect(q.takeLine()).toBeUndefined();
    q.append("\n");
    expect(q.takeLine()).toBe("+CONTINUE");
  });

  it("takes at most what is available", () => {
    const q = new ByteQueue();
    q.append("abc");
    expect(q.take(5)).toBe("abc");
    expect(q.take(5)).toBe("");
    expect(q.available).toBe(0);
  });

  it("takes a payload up to an EOF mark and leaves what follows", () => {
    const mark = "m".repeat(40);
    const q = new ByteQueue();
    q.append("REDIS0009" + mark + "*1\r\n");
    expect(q.takeUntil(mark)).toEqual({ bytes: "REDIS0009", found: true });
    expect(q.takeAll()).toBe("*1\r\n");
  });

  it("hands out payload while holding back bytes that could start the mark", () => {
    const mark = "0123456789".repeat(4);
    const q = new ByteQueue();
    q.append("payload" + mark.slice(0, 30));
    expect(q.takeUntil(mark)).toEqual({ bytes: "payload", found: false });
    expect(q.available).toBe(30);
    q.append(mark.slice(30));
    expect(q.takeUntil(mark)).toEqual({ bytes: "", found: true });
    expect(q.consumed).toBe(7 + 40);
  });

  it("finds the mark however the payload and the mark are split", () => {
    const mark = "aab";
    const text = fc.array(fc.constantFrom("a", "b"), { maxLength: 30 }).map((c) => c.join(""));
    fc.assert(
      fc.property(
        text.filter((t) => !t.includes(mark)),
        fc.array(fc.nat(), { maxLength: 8 }),
        (payload, cuts) => {
          const bytes = payload + mark + "rest";
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort(
            (x, y) => x - y,
          );
          const q = new ByteQueue();
          let got = "";
          let found = false;
          let from = 0;
          for (const p of [...points, bytes.length]) {
            q.append(bytes.slice(from, p));
            from = p;
            if (found) continue;
            const part = q.takeUntil(mark);
            got += part.bytes;
            found = part.found;
          }
          expect(found).toBe(true);
          expect(got).toBe(payload);
          expect(q.takeAll()).toBe("rest");
        },
      ),
    );
  });

  it("keeps every byte across many appends and compactions", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 3000 }), { maxLength: 40 }),
        fc.array(fc.nat(5000)),
        (chunks, takes) => {
          const q = new ByteQueue();
          let taken = "";
          chunks.forEach((chunk, i) => {
            q.append(chunk);
            taken += q.take(takes[i] ?? 0);
          });
          taken += q.takeAll();
          expect(taken).toBe(chunks.join(""));
          expect(q.consumed).toBe(taken.length);
        },
      ),
    );
  });
});

/**
 * A replica reading its master link the way readSyncBulkPayload and the
 * command loop do: reply line, keep-alives, bulk preamble, payload, stream.
 */
function readAsReplica(chunks: readonly ByteString[]) {
  const q = new ByteQueue();
  const parser = new RequestParser({ master: true });
  const lines: string[] = [];
  const commands: { argv: ByteString[]; bytes: number }[] = [];
  let mode: "reply" | "preamble" | "size" | "eof" | "stream" = "reply";
  let remaining = 0;
  let mark = "";
  let payload = "";
  for (const chunk of chunks) {
    q.append(chunk);
    for (let progress = true; progress;) {
      progress = false;
      if (mode === "reply" || mode === "preamble") {
        const line = q.takeLine();
        if (line === undefined) break;
        progress = true;
        lines.push(line);
        if (line === "") continue;
        if (mode === "reply") mode = "preamble";
        else if (line.startsWith("$EOF:")) {
          mark = line.slice(5);
          mode = "eof";
        } else {
          remaining = Number(line.slice(1));
          mode = "size";
        }
      } else if (mode === "size") {
        const bytes = q.take(remaining);
        payload += bytes;
        remaining -= bytes.length;
        if (remaining === 0) {
          mode = "stream";
          progress = true;
        }
      } else if (mode === "eof") {
        const { bytes, found } = q.takeUntil(mark);
        payload += bytes;
        if (found) {
          mode = "stream";
          progress = true;
        }
      } else {
        parser.feed(q.takeAll());
        for (let r = parser.next(); r !== undefined; r = parser.next()) {
          if ("error" in r) throw new Error(r.error);
          commands.push({ argv: r.argv, bytes: r.bytes });
        }
      }
    }
  }
  return { lines, payload, commands, offset: commands.reduce((sum, c) => sum + c.bytes, 0) };
}

describe("switching modes on one master link", () => {
  const rdb = "REDIS0009\xfa\x09redis-ver\x057.0.15\r\n\xff" + "\x00".repeat(8);
  const stream =
    encodeCommand(["SELECT", "0"]) + encodeCommand(["SET", "k", "v"]) + encodeCommand(["ping"]);
  const mark = "a1b2c3d4e5".repeat(4);
  const disk =
    "\n+FULLRESYNC 8de1787ba490483314a4d30f1c628bc5025eb761 0\r\n\n\n" +
    `$${rdb.length}\r\n` +
    rdb +
    stream;
  const diskless =
    "+FULLRESYNC 8de1787ba490483314a4d30f1c628bc5025eb761 14\r\n" +
    `$EOF:${mark}\r\n` +
    rdb +
    mark +
    stream;

  const expected = (preamble: string[]) => ({
    lines: preamble,
    payload: rdb,
    commands: [
      { argv: ["SELECT", "0"], bytes: 23 },
      { argv: ["SET", "k", "v"], bytes: 27 },
      { argv: ["ping"], bytes: 14 },
    ],
    offset: 64,
  });
  const diskLines = [
    "",
    "+FULLRESYNC 8de1787ba490483314a4d30f1c628bc5025eb761 0",
    "",
    "",
    `$${rdb.length}`,
  ];
  const disklessLines = ["+FULLRESYNC 8de1787ba490483314a4d30f1c628bc5025eb761 14", `$EOF:${mark}`];

  it("loses and double-counts no byte for any two-chunk split of a disk-based sync", () => {
    for (let cut = 0; cut <= disk.length; cut++) {
      expect(readAsReplica([disk.slice(0, cut), disk.slice(cut)])).toEqual(expected(diskLines));
    }
  });

  it("loses and double-counts no byte for any two-chunk split of a diskless sync", () => {
    for (let cut = 0; cut <= diskless.length; cut++) {
      expect(readAsReplica([diskless.slice(0, cut), diskless.slice(cut)])).toEqual(
        expected(disklessLines),
      );
    }
  });

  it("reads both kinds of sync fed byte by byte", () => {
    expect(readAsReplica(disk.split(""))).toEqual(expected(diskLines));
    expect(readAsReplica(diskless.split(""))).toEqual(expected(disklessLines));
  });

  it("streams a 100 MB diskless payload in 16 KB chunks", () => {
    const big = "\xab".repeat(100 * 1024 * 1024);
    const bytes = `$EOF:${mark}\r\n` + big + mark + stream;
    const q = new ByteQueue();
    let received = 0;
    let found = false;
    for (let i = 0; i < bytes.length && !found; i += 16 * 1024) {
      q.append(bytes.slice(i, i + 16 * 1024));
      if (i === 0) expect(q.takeLine()).toBe(`$EOF:${mark}`);
      const part = q.takeUntil(mark);
      received += part.bytes.length;
      found = part.found;
      if (found) {
        const parser = new RequestParser({ master: true });
        parser.feed(q.takeAll());
        parser.feed(bytes.slice(i + 16 * 1024));
        expect(parser.next()).toEqual({ argv: ["SELECT", "0"], bytes: 23, inline: false });
      }
    }
    expect(found).toBe(true);
    expect(received).toBe(big.length);
  });
});
