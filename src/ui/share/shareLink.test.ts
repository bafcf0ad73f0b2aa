import fc from "fast-check";
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { SharedRun } from "./shareLink";
import { MAX_SHARED_BYTES, decodeShare, encodeShare, shareTokenFrom, shareUrl } from "./shareLink";
import { deflateRaw } from "./deflate";
import { toBase64Url } from "./base64url";

const SCENARIOS = new URL("../../../scenarios/", import.meta.url);

const run: SharedRun = {
  name: "partial-resync",
  script: "title T\nnode m\nnode r1 replicaof m\nsettle\n",
  actions: [
    { t: 1_500_000, line: "m> SET k v" },
    { t: 2_000_000, line: "cut m r1" },
  ],
  seed: 7,
  positionUs: 2_500_000,
  doneAtUs: 1_000_000,
  nexts: [
    { t: 0, seq: 2 },
    { t: 1_200_000, seq: 5 },
  ],
};

async function tokenOf(json: string): Promise<string> {
  return `v1.${toBase64Url(await deflateRaw(new TextEncoder().encode(json)))}`;
}

describe("share links", () => {
  it("decode to the run they were made from", async () => {
    const token = await encodeShare(run);
    expect(token.startsWith("v1.")).toBe(true);
    expect(token).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(await decodeShare(token)).toEqual({ ok: true, run, notice: null });
  });

  it("carry an unedited built-in scenario as its name and a hash of its text", async () => {
    const library = (name: string) => (name === "partial-resync" ? run.script : undefined);
    const token = await encodeShare(run, library);
    expect(await decodeShare(token, library)).toEqual({ ok: true, run, notice: null });
    // The same run as a custom script carries the text, so it is longer.
    expect(token.length).toBeLessThan((await encodeShare(run)).length);
    // A built-in the reader edited travels whole.
    const edited = { ...run, script: `${run.script}m> SET edited yes\n` };
    expect(await decodeShare(await encodeShare(edited, library), library)).toEqual({
      ok: true,
      run: edited,
      notice: null,
    });
  });

  it("open a built-in that changed since the link was made, and say so", async () => {
    const before = (name: string) => (name === "partial-resync" ? run.script : undefined);
    const after = (name: string) => (name === "partial-resync" ? "title New\n" : undefined);
    const decoded = await decodeShare(await encodeShare(run, before), after);
    expect(decoded).toEqual({
      ok: true,
      run: { ...run, script: "title New\n" },
      notice:
        'The built-in scenario "partial-resync" has changed since this link was made: you see its current version, which may differ from what the link\'s author saw.',
    });
    expect(await decodeShare(await encodeShare(run, before), () => undefined)).toEqual({
      ok: false,
      message:
        'This share link cannot be opened: it names the built-in scenario "partial-resync", which this playground does not have.',
    });
  });

  it("round-trip any script, actions, seed and position", async () => {
    const arbitraryRun = fc.record({
      name: fc.option(fc.string(), { nil: null }),
      script: fc.string({ unit: "grapheme", maxLength: 400 }),
      actions: fc.array(
        fc.record({
          t: fc.nat(),
          line: fc.string().filter((l) => !/[\r\n]/.test(l)),
        }),
        { maxLength: 5 },
      ),
      seed: fc.nat(),
      positionUs: fc.maxSafeNat(),
      doneAtUs: fc.option(fc.maxSafeNat(), { nil: null }),
      nexts: fc
        .uniqueArray(fc.nat(), { maxLength: 4 })
        .map((seqs) => [...seqs].sort((a, b) => a - b).map((seq) => ({ t: seq * 10, seq }))),
    });
    await fc.assert(
      fc.asyncProperty(arbitraryRun, async (r) => {
        expect(await decodeShare(await encodeShare(r))).toEqual({ ok: true, run: r, notice: null });
      }),
      { numRuns: 150 },
    );
  });

  it("give a result or a sentence for any string, and never throw", async () => {
    const candidates = fc.oneof(
      fc.string(),
      fc.string().map((s) => `v1.${s}`),
      fc
        .base64String()
        .map((s) => `v1.${s.replace(/\+/g, "-").replace(/\//g, "_").replace(/=/g, "")}`),
      fc.uint8Array({ maxLength: 64 }).map((b) => `v1.${toBase64Url(b)}`),
      fc.json(),
    );
    await fc.assert(
      fc.asyncProperty(candidates, async (s) => {
        const r = await decodeShare(s);
        if (!r.ok) expect(r.message).toMatch(/^This share link cannot be opened: .+\.$/);
      }),
      { numRuns: 400 },
    );
  });

  it("say what is wrong with a link that does not decode", async () => {
    const message = async (token: string) => {
      const r = await decodeShare(token);
      return r.ok ? "decoded" : r.message;
    };
    expect(await message("")).toBe("This share link cannot be opened: it is empty.");
    expect(await message("hello")).toBe(
      'This share link cannot be opened: it should start with "v1." (it starts with "hello").',
    );
    expect(await message("v9.AAAA")).toMatch(/made in format v9, and this playground reads v1/);
    expect(await message("v1.abc$def")).toMatch(/character 4 \("\$"\) is not URL-safe base64/);
    expect(await message("v1.a")).toMatch(/cannot be base64: it was cut short/);
    const good = await encodeShare(run);
    expect(await message(good.slice(0, good.length - 8))).toMatch(
      /does not decompress \(damaged or cut short\)|content is damaged/,
    );
    expect(await message(await tokenOf("[1,2]"))).toMatch(/its content is not a run\.$/);
    expect(await message(await tokenOf('{"n":null,"s":1,"p":0,"t":"x","a":[],"z":1}'))).toMatch(
      /fields this format does not know: z/,
    );
    expect(await message(await tokenOf('{"n":null,"s":-1,"p":0,"t":"x","a":[]}'))).toMatch(
      /its seed is not a whole number/,
    );
    expect(
      await message(await tokenOf('{"n":null,"s":1,"p":0,"t":"x","a":[[1,"a\\nb"]]}')),
    ).toMatch(/its action 1 is not a time and a script line/);
    expect(
      await message(await tokenOf('{"n":null,"s":1,"p":0,"t":"x","a":[],"x":[[5,2],[4,3]]}')),
    ).toMatch(/its Next press 2 comes before the one ahead of it/);
  });

  it("stay under 0.75 characters per script byte when a script travels whole", async () => {
    // Deflate shrinks scenario text to ~40%; base64 grows it by a third: ~0.6 characters per byte.
    const script = readFileSync(new URL("partial-resync.scenario", SCENARIOS), "utf8");
    const token = await encodeShare({ ...run, name: null, script });
    expect(token.length).toBeLessThan(script.length * 0.75);
  });

  it("refuse a link that would inflate beyond the limit", async () => {
    const huge = await tokenOf(" ".repeat(MAX_SHARED_BYTES + 1));
    // Deflate makes a megabyte of spaces a link of about 1.4 kB: the kind of link to refuse.
    expect(huge.length).toBeLessThan(3000);
    const r = await decodeShare(huge);
    expect(r).toEqual({
      ok: false,
      message: `This share link cannot be opened: it expands to more than ${MAX_SHARED_BYTES} bytes.`,
    });
  });

  it("travel in the fragment, so a static host never sees them", () => {
    const url = shareUrl("https://example.org/course/playground/?seed=3#old", "v1.AAAA");
    expect(url).toBe("https://example.org/course/playground/?seed=3#share=v1.AAAA");
    expect(shareTokenFrom(new URL(url).hash)).toBe("v1.AAAA");
    expect(shareTokenFrom("#other")).toBeNull();
    expect(shareTokenFrom("")).toBeNull();
  });

  // Measured (two actions, before the narration was added to the library): a built-in
  // travels in 133-149 characters (with two Next presses too, up to ~175); the same scripts sent whole, as an edited one would be,
  // take 565 (ring-vs-blocks, 0.7 kB) to 2,098 characters (sentinel-failover, 3.7 kB).
  it("stay under 200 characters for every built-in scenario with a few actions", async () => {
    const files = readdirSync(SCENARIOS).filter((f) => f.endsWith(".scenario"));
    expect(files.length).toBeGreaterThan(5);
    const lengths: Record<string, number> = {};
    for (const file of files) {
      const script = readFileSync(new URL(file, SCENARIOS), "utf8");
      const library = (name: string) => (`${name}.scenario` === file ? script : undefined);
      const token = await encodeShare(
        {
          name: file.replace(/\.scenario$/, ""),
          script,
          actions: [
            { t: 12_000_000, line: "m> SET greeting hello" },
            { t: 13_500_000, line: "cut m r1" },
          ],
          seed: 1,
          positionUs: 14_000_000,
          doneAtUs: 10_000_000,
          nexts: [
            { t: 2_000_000, seq: 3 },
            { t: 5_000_000, seq: 9 },
          ],
        },
        library,
      );
      lengths[file] = token.length;
    }
    for (const [file, length] of Object.entries(lengths)) {
      expect({ file, length, short: length < 200 }).toEqual({ file, length, short: true });
    }
  });
});
