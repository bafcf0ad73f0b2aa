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
  await page.getByTestId("backlog-ring").getByLabel("Size").selectOption("16384");
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

    test("offsets chart after a cut", async ({ playground, page }, testInfo) => {
      await playground.setSpeed(10);
      await playground.waitForLinksUp("r1", "r2");
      const m = playground.node("m");
      await m.run("SET a 1");
      await page.getByRole("button", { name: "Cut the link between r1 and m" }).click();
      await page.getByRole("button", { name: "Write 8 kB" }).click();
      await expect(playground.node("r2").dbsize).toHaveText("9", { timeout: 15_000 });
      await page.getByRole("button", { name: "Heal the link between r1 and m" }).click();
      await expect(playground.node("r1").dbsize).toHaveText("9", { timeout: 15_000 });
      await playground.pause();
      await page.getByRole("tab", { name: "Offsets" }).click();
      await page.getByTestId("offset-chart").scrollIntoViewIfNeeded();
      await shoot(page, testInfo, `chart-${size.width}`);
    });

    test("Sentinels, a link's menu and a drag onto another node", async ({
      playground,
      page,
    }, testInfo) => {
      await playground.setSpeed(10);
      await playground.waitForLinksUp("r1", "r2");
      // One at a time, as a reader would: the second after the first is drawn.
      await playground.node("m").button("Add Sentinel").click();
      await expect(page.getByTestId("watches-s1")).toHaveText("m (mymaster)", { timeout: 15_000 });
      await playground.node("m").button("Add Sentinel").click();
      await expect(page.getByTestId("watches-s2")).toHaveText("m (mymaster)", { timeout: 15_000 });
      await playground.pause();
      await page.evaluate(() => window.scrollTo(0, 0));
      await shoot(page, testInfo, `sentinels-${size.width}`);
      await playground.node("s1").panel.scrollIntoViewIfNeeded();
      await shoot(page, testInfo, `sentinel-panel-${size.width}`);

      await page.evaluate(() => window.scrollTo(0, 0));
      await page.getByRole("button", { name: "Link r1 ⇄ m: latency, bandwidth, reset" }).click();
      await expect(page.getByRole("dialog", { name: "Link r1 ⇄ m" })).toBeVisible();
      await shoot(page, testInfo, `link-menu-${size.width}`);
      await page.keyboard.press("Escape");

      const from = await playground.node("r2").topologyNode.getByRole("button").boundingBox();
      const to = await playground.node("r1").topologyNode.getByRole("button").boundingBox();
      if (!from || !to) throw new Error("nodes not drawn");
      await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await page.mouse.down();
      await page.mouse.move(to.x + to.width / 2 + 8, to.y + to.height / 2 + 4, { steps: 12 });
      await expect(page.getByText("Let go to make it a replica of r1")).toBeVisible();
      await shoot(page, testInfo, `drag-${size.width}`);
      await page.mouse.up();
    });

    test("a full sync on a slow link", async ({ playground, page }, testInfo) => {
      await playground.setSpeed(10);
      await playground.waitForLinksUp("r1", "r2");
      // Keys enough for an RDB of about 100 kB (values compress, so many small keys).
      await playground.node("m").run("DEBUG POPULATE 5000");
      await expect(playground.node("m").lastReply()).toHaveText("OK");
      await page.getByRole("button", { name: "Link r1 ⇄ m: latency, bandwidth, reset" }).click();
      const menu = page.getByRole("dialog", { name: "Link r1 ⇄ m" });
      await menu.getByLabel("Bandwidth (kB/s, empty: unlimited)").fill("20");
      await menu.getByRole("button", { name: "Apply" }).click();
      await playground.setSpeed(1);
      const r1 = playground.node("r1");
      await r1.button("Crash").click();
      await r1.button("Restart").click();
      await expect(page.getByTestId("sync-progress-r1")).toContainText(/[1-9][0-9.]* kB of/, {
        timeout: 30_000,
      });
      await playground.pause();
      await page.evaluate(() => window.scrollTo(0, 0));
      await shoot(page, testInfo, `full-sync-${size.width}`);
      await r1.panel.scrollIntoViewIfNeeded();
      await shoot(page, testInfo, `full-sync-panel-${size.width}`);
    });
  });
}
