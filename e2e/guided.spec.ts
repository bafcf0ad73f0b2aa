import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Page, TestInfo } from "@playwright/test";
import { expect, test } from "./fixtures";

// The guided scenarios: played through with Next, Back, the scenario editor with its
// located parse errors, and screenshots of both at a desktop and a phone width.

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = path.join(testInfo.project.outputDir, "screenshots", `${name}.png`);
  mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
  copyFileSync(file, path.join("test-results", `guided-${name}.png`));
}

test.describe("guided scenarios", () => {
  test("a guided scenario plays through with Next, and Back returns to the step before", async ({
    page,
    playground,
  }) => {
    await page.goto("./?scenario=partial-resync");
    const guide = page.getByTestId("guide");
    await expect(guide).toContainText("Partial resync after a short disconnect");
    await playground.setSpeed(100);
    const next = page.getByTestId("guide-next");
    const status = page.getByTestId("guide-status");
    const step = page.getByTestId("guide-step");
    await expect(status).toContainText("Next: A replica started with --replicaof", {
      timeout: 30_000,
    });
    await next.click();
    await expect(step).toHaveText("A replica started with --replicaof asks for everything");
    await expect(page.getByTestId("guide-narration")).toContainText("PSYNC ? -1");
    await expect(status).toContainText("Next: The master drops the replica", { timeout: 30_000 });
    // The script's writes reached r1: its offset is the runner's 375.
    await expect(playground.node("r1").offset).toHaveText("375", { timeout: 10_000 });
    await next.click();
    await expect(step).toHaveText("The master drops the replica while it sleeps");
    await expect(status).toContainText("Next:", { timeout: 30_000 });
    await expect(playground.node("r1").offset).toHaveText("560", { timeout: 10_000 });

    // Back: the run is rebuilt as it stood before this step, with the previous narration.
    await page.getByTestId("guide-back").click();
    await expect(step).toHaveText("A replica started with --replicaof asks for everything");
    await expect(status).toContainText("Next: The master drops the replica");
    await expect(playground.node("r1").offset).toHaveText("375", { timeout: 10_000 });

    // And through to the end, as fast as the machine goes.
    await page.getByTestId("speed").selectOption("max");
    for (let i = 0; i < 20; i++) {
      const text = (await status.textContent()) ?? "";
      if (text.startsWith("The script is done")) break;
      if (text.startsWith("Next")) await next.click();
      await expect(status).not.toHaveText(text, { timeout: 60_000 });
    }
    await expect(status).toContainText("The script is done");
    await expect(page.getByTestId("guide-progress")).toHaveText("Step 5 of 5");
  });

  test("the editor shows a parse error at its line and column, and runs the fixed script", async ({
    page,
    playground,
  }) => {
    await playground.pause();
    await playground.setSpeed(100);
    await page.getByTestId("script-editor").locator("summary").click();
    const text = page.getByTestId("editor-text");
    await text.fill("node m\nnode r1 replicaof m\nsettle\nm> SET k v\nsettle forever\n");
    const error = page.getByTestId("editor-error").first();
    await expect(error).toHaveText("Line 5, column 8");
    await expect(page.locator("#editor-errors")).toContainText("invalid duration 'forever'");
    await expect(page.getByTestId("editor-run")).toBeDisabled();
    await text.fill("node m\nnode r1 replicaof m\nsettle\nm> SET k v\nsettle\n");
    await expect(page.getByText("The script parses.")).toBeVisible();
    await page.getByTestId("editor-run").click();
    await expect(page.getByTestId("guide-status")).toContainText("The script is done", {
      timeout: 30_000,
    });
    await expect(playground.node("r1").dbsize).toHaveText("1", { timeout: 10_000 });
    await expect(page.getByTestId("node-panel-r2")).toHaveCount(0);
    // The reader's clicks become lines of the script.
    await playground.node("m").run("SET after run");
    await expect(text).toHaveValue(/settle\n(advance .+\n)?m> SET after run\n$/);
  });

  test("an unknown ?scenario= says so and runs the three nodes", async ({ page, playground }) => {
    await page.goto("./?scenario=no-such-lesson");
    await expect(page.getByTestId("guide")).toContainText(
      "There is no built-in scenario named “no-such-lesson”",
    );
    await playground.waitForLinksUp("r1", "r2");
    await expect(page.getByTestId("scenario-picker")).toHaveValue("");
  });

  test("a link the scenario slowed shows its latency and bandwidth, on the edge and in its menu", async ({
    page,
  }, testInfo) => {
    await page.goto("./?scenario=slow-link-full-sync");
    await expect(page.getByTestId("guide-status")).toContainText("Next:", { timeout: 30_000 });
    // The first step makes r1 m's replica: the link between them is drawn from then on.
    await page.getByTestId("guide-next").click();
    // `link m r1 latency 20ms bandwidth 10kb/s`: 10,240 bytes a second.
    await expect(page.getByTestId("edge-r1-m")).toContainText("20 ms · 10.2 kB/s");
    await page.getByRole("button", { name: "Link r1 ⇄ m: latency, bandwidth, reset" }).click();
    const menu = page.getByRole("dialog", { name: "Link r1 ⇄ m" });
    await expect(menu.getByLabel("Latency (ms, one way)")).toHaveValue("20");
    await expect(menu.getByLabel("Bandwidth (kB/s, empty: unlimited)")).toHaveValue("10.24");
    await shoot(page, testInfo, "slow-link-menu");
  });

  for (const size of [
    { name: "desktop", width: 1280, height: 800 },
    { name: "phone", width: 375, height: 812 },
  ]) {
    test(`screenshots of the guided view and the editor at ${size.width} px`, async ({
      page,
    }, testInfo) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.goto("./?scenario=first-full-sync");
      await page.getByTestId("speed").selectOption("100");
      await expect(page.getByTestId("guide-status")).toContainText("Next:", { timeout: 30_000 });
      await page.getByTestId("guide-next").click();
      await expect(page.getByTestId("guide-status")).toContainText("Next:", { timeout: 30_000 });
      await shoot(page, testInfo, `guided-${size.name}`);
      await page.getByTestId("script-editor").locator("summary").click();
      await page.getByTestId("editor-text").press("Control+End");
      await page.getByTestId("editor-text").pressSequentially("\nfrobnicate m\n");
      await expect(page.getByTestId("editor-error").first()).toBeVisible();
      await page.getByTestId("script-editor").scrollIntoViewIfNeeded();
      await shoot(page, testInfo, `editor-${size.name}`);
    });
  }
});
