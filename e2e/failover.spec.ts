import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page, TestInfo } from "@playwright/test";
import { expect, test } from "./fixtures";

// Sentinel in the page: the reader crashes the master, the Sentinels promote a
// replica, the application client follows, and the ledger reports the write
// that no server holds any more.

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = path.join(testInfo.project.outputDir, "screenshots", `${name}.png`);
  mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

test("crashing the master makes Sentinel promote a replica, and the ledger reports the lost write", async ({
  page,
  playground,
}, testInfo) => {
  await page.goto("./?scenario=crash-the-master");
  await playground.setSpeed(100);
  const status = page.getByTestId("guide-status");
  const next = page.getByTestId("guide-next");
  const ledger = page.getByTestId("ledger");

  // Through the script: the client writes twice; the second write only m holds.
  for (let i = 0; i < 5; i++) {
    const text = (await status.textContent()) ?? "";
    if (text.startsWith("The script is done")) break;
    if (text.startsWith("Next")) await next.click();
    await expect(status).not.toHaveText(text, { timeout: 60_000 });
  }
  await expect(status).toContainText("The script is done", { timeout: 60_000 });
  await expect(page.getByTestId("topology-node-app")).toHaveAttribute(
    "aria-label",
    /application client, 2 writes acknowledged, 0 lost/,
  );
  await expect(page.getByTestId("topology-node-s1")).toBeVisible();
  await expect(page.getByTestId("ledger-counts")).toContainText("2 acknowledged");
  await expect(page.getByTestId("ledger-counts")).toContainText("0 lost");
  await shoot(page, testInfo, "before-crash");

  // The reader crashes m; time runs on.
  const m = playground.node("m");
  await m.button("Crash").click();
  await playground.play();
  await expect(m.role).toHaveText("crashed", { timeout: 15_000 });
  await expect(page.getByTestId("ledger-counts")).toContainText("1 lost", { timeout: 30_000 });
  await expect(
    ledger.getByTestId("ledger-row").filter({ hasText: "SET balance 250" }),
  ).toContainText(/lost (between|at) /);
  await expect(
    ledger.getByTestId("ledger-row").filter({ hasText: "SET balance 100" }),
  ).toContainText("held");

  // Sentinel promotes r2 (replica-priority 10) and points r1 at it.
  const r2 = playground.node("r2");
  await expect(r2.role).toHaveText("master", { timeout: 60_000 });
  await expect(page.getByTestId("event-log")).toContainText("+switch-master", { timeout: 30_000 });

  // The client follows +switch-master: its read goes to r2, which never had 250.
  const app = playground.node("app");
  await app.run("GET balance");
  await expect(app.lastReply()).toHaveText('"100"', { timeout: 30_000 });
  await expect(page.getByTestId("ledger-counts")).toContainText("1 stale read", {
    timeout: 30_000,
  });
  await shoot(page, testInfo, "after-failover");
});
