import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Page, TestInfo } from "@playwright/test";
import { expect, test } from "./fixtures";
import type { PlaygroundPage } from "./fixtures";

// Screenshots of the main views at a desktop and a phone width, attached to the report as
// artifacts and written to test-results/screenshots/. Look at them. With UPDATE_README_SCREENSHOT=1
// the desktop overview is also saved as docs/screenshot.png for the README.

const WIDTHS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 375, height: 812 },
] as const;

async function shoot(
  page: Page,
  testInfo: TestInfo,
  name: string,
  fullPage = false,
): Promise<string> {
  // One folder for the whole run (test-results/screenshots), emptied when a run starts.
  const file = path.join(testInfo.project.outputDir, "screenshots", `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
  return file;
}

/** A busy moment: keys written, the backlog partly filled, a write on its way to both replicas. */
async function busyMoment(playground: PlaygroundPage): Promise<void> {
  const { page } = playground;
  const m = playground.node("m");
  await playground.waitForLinksUp("r1", "r2");
  await page.getByLabel("Size").selectOption("16384");
  await page.getByRole("button", { name: "Write 8 kB" }).click();
  for (const cmd of ["SET user:1 ada", "INCR visits", "RPUSH queue job-1 job-2"]) await m.run(cmd);
  await expect(playground.node("r2").dbsize).toHaveText("11", { timeout: 15_000 });
  await m.run("SET greeting hello");
  // Let the write get about halfway along its links (a flight takes 0.6 s at 1×), then freeze.
  await expect(page.locator('.packet[data-label="SET greeting hello"]').first()).toBeVisible();
  await page.waitForTimeout(250);
  await playground.pause();
  await page.evaluate(() => window.scrollTo(0, 0));
}

for (const size of WIDTHS) {
  test.describe(`at ${size.width} px`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test("overview", async ({ playground, page }, testInfo) => {
      await busyMoment(playground);
      const file = await shoot(page, testInfo, `overview-${size.width}`);
      await shoot(page, testInfo, `overview-${size.width}-full`, true);
      if (size.name === "desktop" && process.env.UPDATE_README_SCREENSHOT) {
        const target = path.join(import.meta.dirname, "..", "docs", "screenshot.png");
        mkdirSync(path.dirname(target), { recursive: true });
        copyFileSync(file, target);
      }
    });

    test("a cut link and a replica falling behind", async ({ playground, page }, testInfo) => {
      await playground.setSpeed(10);
      await playground.waitForLinksUp("r1", "r2");
      await page.getByRole("button", { name: "Cut the link between r1 and m" }).click();
      const m = playground.node("m");
      for (const cmd of ["SET a 1", "SET b 2", "DEL a"]) await m.run(cmd);
      const r1 = playground.node("r1");
      await expect(playground.node("r2").dbsize).toHaveText("1", { timeout: 15_000 });
      await r1.tab("Keys").click();
      await expect(r1.keyRow("b")).toContainText("missing here");
      await playground.pause();
      await r1.panel.scrollIntoViewIfNeeded();
      await shoot(page, testInfo, `cut-${size.width}`);
      await page.getByTestId("backlog-ring").scrollIntoViewIfNeeded();
      await shoot(page, testInfo, `cut-ring-${size.width}`);
    });

    test("a crashed node and a promoted replica", async ({ playground, page }, testInfo) => {
      await playground.setSpeed(10);
      await playground.waitForLinksUp("r1", "r2");
      await playground.node("r2").button("Crash").click();
      await playground.node("r1").button("Promote").click();
      await expect(playground.node("r1").role).toHaveText("master");
      await page.evaluate(() => window.scrollTo(0, 0));
      await shoot(page, testInfo, `crash-promote-${size.width}`);
    });

    test("event log, wire, sequence and shortcuts", async ({ playground, page }, testInfo) => {
      await playground.waitForLinksUp("r1", "r2");
      await playground.pause();
      const timeline = page.getByTestId("event-log");
      await timeline.scrollIntoViewIfNeeded();
      await shoot(page, testInfo, `log-${size.width}`);
      await page.getByRole("tab", { name: "Wire" }).click();
      await page.getByTestId("wire").getByRole("button").first().click();
      await shoot(page, testInfo, `wire-${size.width}`);
      await page.getByRole("tab", { name: "Sequence" }).click();
      await shoot(page, testInfo, `sequence-${size.width}`);
      await page.getByRole("button", { name: "Keyboard shortcuts" }).click();
      await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
      await shoot(page, testInfo, `shortcuts-${size.width}`);
    });
  });
}
