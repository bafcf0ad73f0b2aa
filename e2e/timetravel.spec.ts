import path from "node:path";
import { expect, test } from "./fixtures";

// Time travel: the scrubber under the diagram rebuilds the cluster as it was at an
// earlier moment (replaying the script and the reader's actions on fresh workers),
// one event back and forth, and "Fork here" continues from the past keeping the original.

test.describe("time travel", () => {
  test("scrubbing back shows an earlier offset, and forward again the later one", async ({
    page,
    playground,
  }) => {
    const m = playground.node("m");
    await playground.waitForLinksUp("r1", "r2");
    for (const cmd of ["SET a 1", "SET b 2", "SET c 3"]) await m.run(cmd);
    await expect(m.dbsize).toHaveText("3");
    await expect(playground.node("r2").dbsize).toHaveText("3", { timeout: 10_000 });
    await playground.pause();
    const late = await m.offsetValue();
    const end = await playground.timeUs();
    expect(late).toBeGreaterThan(0);

    // The keyboard moves the slider a tenth of the run at a time; each move rebuilds the past.
    const scrubber = page.getByTestId("scrubber");
    await scrubber.focus();
    await scrubber.press("Home");
    await expect.poll(() => playground.timeUs()).toBe(0);
    await expect(m.dbsize).toHaveText("0");
    await expect.poll(() => m.offsetValue()).toBeLessThan(late);
    await expect(page.getByText(/In the past/)).toBeVisible();

    // The mouse, too: a click near the end of the track.
    const box = await scrubber.boundingBox();
    if (!box) throw new Error("no scrubber");
    await page.mouse.click(box.x + box.width * 0.999, box.y + box.height / 2);
    await expect.poll(() => playground.timeUs()).toBeGreaterThan(end * 0.9);
    await scrubber.press("End");
    await expect.poll(() => playground.timeUs()).toBe(end);
    await expect(m.offset).toHaveText(String(late));
    await expect(m.dbsize).toHaveText("3");

    // The script editor follows: the actions of the moment shown, each once.
    await page.getByTestId("script-editor").locator("summary").click();
    const editor = page.getByTestId("editor-text");
    await expect(editor).toHaveValue(
      /m> SET a 1\n(advance .+\n)?m> SET b 2\n(advance .+\n)?m> SET c 3\n$/,
    );
    await scrubber.press("Home");
    await expect.poll(() => playground.timeUs()).toBe(0);
    await expect(editor).not.toHaveValue(/SET a 1/);
    await scrubber.press("End");
    await expect.poll(() => playground.timeUs()).toBe(end);
    await expect(editor).toHaveValue(/node r2 replicaof m\n(advance .+\n)?m> SET a 1\n/);
    expect((await editor.inputValue()).match(/SET a 1/g)).toHaveLength(1);

    // One event back: the clock goes back to the last thing that happened before now.
    await page.getByTestId("event-back").click();
    await expect.poll(() => playground.timeUs()).toBeLessThan(end);
  });

  test("a fork continues from the past with new actions and keeps the original run", async ({
    page,
    playground,
  }) => {
    // Several replays in a row: seconds each on a loaded machine.
    test.slow();
    const m = playground.node("m");
    await playground.waitForLinksUp("r1", "r2");
    await m.run("SET k original");
    await expect(playground.node("r1").dbsize).toHaveText("1", { timeout: 10_000 });
    await playground.pause();
    const end = await playground.timeUs();
    const offset = await m.offsetValue();

    await page.getByTestId("scrubber").focus();
    await page.getByTestId("scrubber").press("PageDown");
    await expect.poll(() => playground.timeUs()).toBeLessThan(end);
    // Back to the very start (Home): the nodes are there, the key is not yet.
    await page.getByTestId("scrubber").press("Home");
    await expect.poll(() => playground.timeUs(), { timeout: 30_000 }).toBe(0);
    await expect(m.dbsize).toHaveText("0", { timeout: 30_000 });
    await page.getByTestId("fork").click();
    const runs = page.getByTestId("run-picker");
    await expect(runs.locator("option")).toHaveCount(2, { timeout: 15_000 });
    await expect(runs.locator("option:checked")).toHaveText(/^Fork 1 at /);

    // Look at it: the scrubber in the past, the runs to choose from.
    const shot = path.join(test.info().project.outputDir, "screenshots", "timetravel-fork.png");
    await page.getByTestId("scrubber").scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot });
    await test.info().attach("timetravel-fork", { path: shot, contentType: "image/png" });

    await m.run("SET k forked");
    await m.run("GET k");
    await expect(m.lastReply()).toHaveText('"forked"');
    await playground.play();
    await expect(playground.node("r1").dbsize).toHaveText("1", { timeout: 10_000 });

    // Back to the original: its end, its write.
    await playground.pause();
    await runs.selectOption({ label: "Original run" });
    await expect.poll(() => playground.timeUs()).toBe(end);
    await expect(m.offset).toHaveText(String(offset));
    await m.run("GET k");
    await expect(m.lastReply()).toHaveText('"original"');
  });
});
