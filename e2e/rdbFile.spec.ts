import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "./fixtures";

// Issue 4 item 3: a node's dataset downloads as dump.rdb, and a dump.rdb loads into a node.

const CHECK_RDB = "/usr/bin/redis-check-rdb";

test.beforeEach(async ({ playground }) => {
  await playground.setSpeed(10);
  await playground.waitForLinksUp("r1", "r2");
});

test("m's dump.rdb downloads, loads into a promoted r2, and a bad file changes nothing", async ({
  playground,
  page,
}) => {
  const m = playground.node("m");
  const r2 = playground.node("r2");
  await m.run("SET a 1");
  await expect(m.lastReply()).toHaveText("OK");
  await m.run("RPUSH l x y z");
  await expect(m.lastReply()).toHaveText("(integer) 3");
  await expect(r2.dbsize).toHaveText("2", { timeout: 15_000 });

  // r2 leaves m and gets a key of its own; m gets one more.
  await r2.button("Promote").click();
  await expect(r2.role).toHaveText("master");
  await r2.run("SET only-r2 1");
  await expect(r2.lastReply()).toHaveText("OK");
  await m.run("SET b 2");
  await expect(m.lastReply()).toHaveText("OK");
  await expect(m.dbsize).toHaveText("3");

  const dir = mkdtempSync(join(tmpdir(), "rdb-e2e-"));
  try {
    const downloading = page.waitForEvent("download");
    await m.button("Download dump.rdb").click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe("m-dump.rdb");
    const file = join(dir, "dump.rdb");
    await download.saveAs(file);

    // Real Redis reads the file.
    if (existsSync(CHECK_RDB)) {
      const report = execFileSync(CHECK_RDB, [file], { encoding: "utf8" });
      expect(report).toContain("RDB looks OK");
      expect(report).toContain("3 keys read");
    }

    await page.getByTestId("load-rdb-r2").setInputFiles(file);
    await expect(playground.eventLog).toContainText("DB loaded from dump.rdb: 3 keys", {
      timeout: 15_000,
    });
    await expect(r2.dbsize).toHaveText("3", { timeout: 15_000 });
    await r2.tab("Keys").click();
    await expect(r2.keyRow("b")).toBeVisible();
    await expect(r2.keyRow("l")).toBeVisible();
    await expect(r2.keyRow("only-r2")).toHaveCount(0);

    await page.getByTestId("load-rdb-r2").setInputFiles({
      name: "dump.rdb",
      mimeType: "application/octet-stream",
      buffer: Buffer.from("this is not an RDB file"),
    });
    await expect(playground.eventLog).toContainText("Error loading the RDB:", { timeout: 15_000 });
    await r2.tab("Console").click();
    await r2.run("DBSIZE");
    await expect(r2.lastReply()).toHaveText("(integer) 3");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
