import { describe, expect, it } from "vitest";
import { embedSnippet } from "./embedSnippet";

const base = {
  pageUrl: "https://course.example/replication/playground/?seed=3#share=v1.old",
  scenario: "first-full-sync",
  shareToken: null,
  title: "The first full sync",
  panels: ["narration"] as const,
  heightPx: 560,
};

describe("the embed snippet", () => {
  it("opens a built-in scenario by name from the playground's own address", () => {
    expect(embedSnippet(base)).toBe(
      '<iframe src="https://course.example/replication/playground/?embed=1&amp;scenario=first-full-sync" title="Redis Replication Playground: The first full sync" width="100%" height="560" style="border: 0" loading="lazy"></iframe>',
    );
  });

  it("carries anything else as a share link, with the panels asked for", () => {
    const html = embedSnippet({
      ...base,
      scenario: null,
      shareToken: "v1.AbC-_",
      panels: ["narration", "ring", "console"],
    });
    expect(html).toContain(
      'src="https://course.example/replication/playground/?embed=1&amp;panels=narration%2Cring%2Cconsole#share=v1.AbC-_"',
    );
  });

  it("escapes a title that holds markup", () => {
    const html = embedSnippet({ ...base, title: '"><script>alert(1)</script>' });
    expect(html).toContain(
      'title="Redis Replication Playground: &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"',
    );
    expect(html).not.toContain("<script>");
  });
});
