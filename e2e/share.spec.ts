import { readFileSync } from "node:fs";
import type { Download, Page } from "@playwright/test";
import { PlaygroundPage, expect, test } from "./fixtures";

// Share links and exports, driven as a reader does: Share makes a link to the view shown,
// opening it in a new page shows the same view; a link that does not decode says why and
// leaves an empty playground; Export downloads files that parse.

/** Opens the Share panel and returns the link it made. */
async function shareLink(page: Page): Promise<string> {
  await page.getByTestId("share-button").click();
  const field = page.getByTestId("share-link");
  await expect(field).toHaveValue(/#share=v1\.[A-Za-z0-9_-]+$/);
  return field.inputValue();
}

test.describe("share links", () => {
  test("a link to a guided step opens the same step, offsets and moment, paused", async ({
    page,
    playground,
    context,
  }) => {
    await page.goto("./?scenario=partial-resync");
    await playground.setSpeed(100);
    const status = page.getByTestId("guide-status");
    await expect(status).toContainText("Next: A replica started", { timeout: 30_000 });
    await page.getByTestId("guide-next").click();
    await expect(status).toContainText("Next: The master drops the replica", { timeout: 30_000 });
    await expect(playground.node("r1").offset).toHaveText("375", { timeout: 10_000 });
    await playground.pause();
    const at = await playground.timeUs();

    const link = await shareLink(page);
    await page.screenshot({ path: "test-results/screenshots/share-panel-1280.png" });
    // A built-in travels by name: the link stays short.
    expect(link.length - link.indexOf("#")).toBeLessThan(200);

    const other = new PlaygroundPage(await context.newPage());
    await other.page.goto(link);
    await expect(other.page.getByTestId("guide-step")).toHaveText(
      "A replica started with --replicaof asks for everything",
      { timeout: 30_000 },
    );
    await expect(other.page.getByTestId("guide-status")).toContainText(
      "Next: The master drops the replica",
    );
    await expect(other.node("r1").offset).toHaveText("375", { timeout: 10_000 });
    await expect(other.node("m").offset).toHaveText("375");
    await expect.poll(() => other.timeUs(), { timeout: 10_000 }).toBe(at);
    await expect(other.playPause).toHaveAttribute("aria-label", "Play");
  });

  test("a link carries the reader's own commands", async ({ page, playground, context }) => {
    await playground.waitForLinksUp("r1", "r2");
    await playground.pause();
    await playground.node("m").run("SET greeting hello");
    await expect(playground.node("m").lastReply()).toHaveText("OK");
    await playground.stepUntil(
      async () => (await playground.node("r2").dbsize.textContent()) === "1",
    );
    const offset = await playground.node("r2").offset.textContent();
    const at = await playground.timeUs();

    const link = await shareLink(page);
    const other = new PlaygroundPage(await context.newPage());
    await other.page.goto(link);
    await expect(other.node("r2").dbsize).toHaveText("1", { timeout: 30_000 });
    await expect(other.node("r2").offset).toHaveText(offset ?? "");
    await expect.poll(() => other.timeUs(), { timeout: 10_000 }).toBe(at);
    await other.node("r2").run("GET greeting");
    await expect(other.node("r2").lastReply()).toHaveText('"hello"');
  });

  for (const [name, token, message] of [
    [
      "a character outside base64url",
      "v1.AAAA$$AA",
      'This share link cannot be opened: character 5 ("$") is not URL-safe base64.',
    ],
    [
      "a format this page does not read",
      "v2.AAAA",
      "This share link cannot be opened: it was made in format v2, and this playground reads v1",
    ],
    [
      "content that does not decompress",
      "v1.AAAAAAAAAAAAAAAAAAAAAAAA",
      "This share link cannot be opened: it does not decompress (damaged or cut short).",
    ],
    ["no version at all", "hello", 'it should start with "v1." (it starts with "hello")'],
  ] as const) {
    test(`a link with ${name} says so and leaves an empty playground`, async ({ page }) => {
      await page.goto(`./#share=${token}`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(
        "Redis Replication Playground",
      );
      const notice = page.getByTestId("page-notice");
      await expect(notice).toContainText(message);
      await expect(notice).toContainText("The playground below is empty");
      await expect(notice).toHaveAttribute("role", "alert");
      await expect(page.getByTestId("play-pause")).toBeVisible();
      await expect(page.locator('[data-testid^="node-panel-"]')).toHaveCount(0);
      if (token === "hello")
        await page.screenshot({ path: "test-results/screenshots/share-bad-link-1280.png" });
    });
  }

  test("a share link pasted into the open page's address opens there", async ({
    page,
    playground,
  }) => {
    await playground.waitForLinksUp("r1");
    await page.goto("./#share=v9.x");
    await expect(page.getByTestId("page-notice")).toContainText("made in format v9");
  });
});

test.describe("exports", () => {
  async function saved(page: Page, button: string): Promise<{ name: string; bytes: Buffer }> {
    const [download]: [Download, void] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId(button).click(),
    ]);
    const path = await download.path();
    // Kept beside the screenshots, to look at.
    await download.saveAs(`test-results/screenshots/exported-${download.suggestedFilename()}`);
    return { name: download.suggestedFilename(), bytes: readFileSync(path) };
  }

  test("the scenario, the trace and the diagram download and parse", async ({
    page,
    playground,
  }) => {
    const violations: string[] = [];
    await page.exposeFunction("reportViolation", (v: string) => violations.push(v));
    await page.evaluate(() => {
      document.addEventListener("securitypolicyviolation", (e) => {
        (window as unknown as { reportViolation(v: string): void }).reportViolation(
          `${e.violatedDirective} ${e.blockedURI}`,
        );
      });
    });
    await playground.waitForLinksUp("r1", "r2");
    await playground.pause();
    await playground.node("m").run("SET exported yes");
    await expect(playground.node("m").lastReply()).toHaveText("OK");
    await page.getByTestId("export-button").click();
    await page.screenshot({ path: "test-results/screenshots/export-panel-1280.png" });

    const scenario = await saved(page, "export-scenario");
    expect(scenario.name).toBe("playground.scenario");
    const script = scenario.bytes.toString("utf8");
    expect(script).toContain("node r1 replicaof m");
    expect(script).toContain("m> SET exported yes");

    const trace = await saved(page, "export-trace");
    expect(trace.name).toBe("playground.trace.jsonl");
    const events = trace.bytes
      .toString("utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { t: number; type: string; node?: string });
    expect(events.find((e) => e.type === "nodeStarted")?.node).toBe("m");
    expect(events.some((e) => e.type === "command")).toBe(true);
    expect(events.every((e, i) => i === 0 || e.t >= (events[i - 1]?.t ?? 0))).toBe(true);

    const svg = await saved(page, "export-svg");
    expect(svg.name).toBe("playground.svg");
    const svgText = svg.bytes.toString("utf8");
    expect(svgText.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true);
    expect(svgText).toContain('xmlns="http://www.w3.org/2000/svg"');
    // The page's CSS is written onto the elements: the file looks the same on its own.
    expect(svgText).toMatch(/<circle [^>]*fill="rgb\(/);
    // It parses as an image: the browser draws it at its size.
    const [width, height] = await page.evaluate(async (text): Promise<[number, number]> => {
      const img = new Image();
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    }, svgText);
    expect(width).toBeGreaterThan(200);
    expect(height).toBeGreaterThan(150);

    const png = await saved(page, "export-png");
    expect(png.name).toBe("playground.png");
    expect([...png.bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    // Twice the drawing's size, for sharp slides.
    expect(png.bytes.readUInt32BE(16)).toBe(width * 2);
    expect(png.bytes.readUInt32BE(20)).toBe(height * 2);
    await expect(page.getByTestId("export-status")).toContainText("Saved playground.png");
    // Downloads and the PNG's canvas work under the page's Content-Security-Policy.
    expect(violations).toEqual([]);
  });
});
