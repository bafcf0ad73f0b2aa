import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_EMBED_PANELS, fullPageUrl, readPageParams } from "./embedParams";

describe("page parameters", () => {
  it("show the whole page, playing, when the address says nothing", () => {
    expect(readPageParams("")).toEqual({
      embed: false,
      panels: DEFAULT_EMBED_PANELS,
      scenario: null,
      autoplay: true,
      origin: null,
      warnings: [],
    });
  });

  it("read an embed with its panels, scenario, autoplay and origin", () => {
    expect(
      readPageParams(
        "?embed=1&panels=ring,console,ring&scenario=first-full-sync&autoplay=0&origin=https://course.example",
      ),
    ).toEqual({
      embed: true,
      panels: ["ring", "console"],
      scenario: "first-full-sync",
      autoplay: false,
      origin: "https://course.example",
      warnings: [],
    });
  });

  it("say which panel names, flags and origins they did not understand", () => {
    const p = readPageParams(
      "?embed=yes&panels=ring,<img>&autoplay=maybe&origin=javascript:alert(1)",
    );
    expect(p.embed).toBe(false);
    expect(p.panels).toEqual(["ring"]);
    expect(p.autoplay).toBe(true);
    expect(p.origin).toBeNull();
    expect(p.warnings).toEqual([
      "embed=yes is not 1 or 0; showing the whole page",
      'panels: "<img>" is not a panel (known: narration, ring, console, log, chart, timeline)',
      "autoplay=maybe is not 1 or 0; playing at once",
      "origin=javascript:alert(1) is not an origin like https://example.org; messages from any parent are obeyed",
    ]);
  });

  it("take an origin only as scheme, host and port", () => {
    expect(readPageParams("?origin=https://a.example/").origin).toBe("https://a.example");
    expect(readPageParams("?origin=http://localhost:8080").origin).toBe("http://localhost:8080");
    expect(readPageParams("?origin=https://a.example/path").origin).toBeNull();
  });

  it("link an embed to the full page with the same scenario, seed and share link", () => {
    expect(
      fullPageUrl(
        "https://a.example/p/?embed=1&scenario=chain&panels=ring&autoplay=0&seed=4&origin=https://b.example#share=v1.x",
      ),
    ).toBe("https://a.example/p/?scenario=chain&seed=4#share=v1.x");
  });

  it("never throw, whatever the query", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const p = readPageParams(s);
        expect(Array.isArray(p.warnings)).toBe(true);
      }),
    );
  });
});
