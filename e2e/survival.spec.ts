import type { Page, Worker } from "@playwright/test";
import { PlaygroundPage, expect, test } from "./fixtures";
import type { NodeObject } from "./fixtures";

// Issue 10, part 5: faults in the page itself. A node's worker that throws, a worker that
// stops existing, and a tab hidden for an hour leave the page usable: the affected
// process is shown as crashed (with what killed it), the others go on, and hidden time
// is not made up for.

/**
 * The page's workers named after `node` (a worker is named after its process). A run
 * rebuilt for time travel starts workers of its own, so there may be more than one;
 * the test faults them all.
 */
async function workersOf(page: Page, node: string): Promise<Worker[]> {
  let found: Worker[] = [];
  await expect
    .poll(
      async () => {
        found = [];
        for (const w of page.workers()) {
          const name = await w.evaluate(() => self.name).catch(() => "");
          if (name === `node ${node}`) found.push(w);
        }
        return found.length;
      },
      { timeout: 15_000 },
    )
    .toBeGreaterThan(0);
  return found;
}

async function openSettled(page: Page): Promise<PlaygroundPage> {
  const playground = new PlaygroundPage(page);
  await playground.open();
  await playground.setSpeed(10);
  await playground.waitForLinksUp("r1", "r2");
  return playground;
}

/** Asks a node for a key and returns what its console printed. */
async function read(node: NodeObject, key: string): Promise<string | null> {
  const count = await node.replies.count();
  await node.run(`GET ${key}`);
  await expect(node.replies).toHaveCount(count + 1);
  return node.lastReply().textContent();
}

/** The master still takes writes and the surviving replica still follows. */
async function expectUsable(playground: PlaygroundPage, key: string): Promise<void> {
  const m = playground.node("m");
  const r1 = playground.node("r1");
  await m.run(`SET ${key} alive`);
  await expect(m.lastReply()).toHaveText("OK");
  await expect.poll(() => read(r1, key), { timeout: 15_000 }).toBe('"alive"');
}

test("a node worker that throws is shown crashed with its error; the rest goes on", async ({
  page,
}) => {
  const playground = await openSettled(page);
  // An exception nobody catches inside r2's worker, as a bug in the runtime would raise.
  for (const worker of await workersOf(page, "r2")) {
    await worker.evaluate(() => {
      setTimeout(() => {
        throw new Error("injected fault in r2's worker");
      });
    });
  }

  const r2 = playground.node("r2");
  await expect(r2.role).toHaveText("crashed", { timeout: 15_000 });
  await expect(playground.eventLog).toContainText("r2 crashed: ");
  await expect(playground.eventLog).toContainText("injected fault in r2's worker");
  await expect(playground.node("m").role).toHaveText("master");
  await expect(playground.node("r1").role).toHaveText("replica");
  await expectUsable(playground, "after-throw");
  // Its machine answers the master's next bytes with a reset: the master lets the replica go.
  await expect(playground.node("m").link).toHaveText("1/1 replica online", { timeout: 20_000 });

  // Restarting it starts a fresh worker, which catches up with the master.
  await r2.button("Restart").click();
  await expect(r2.role).toHaveText("replica");
  await expect.poll(() => read(r2, "after-throw"), { timeout: 15_000 }).toBe('"alive"');
  await expect(page.getByRole("alert")).toHaveCount(0);
});

test("a node worker that is gone (closed, never answering) is shown crashed; the rest goes on", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const playground = await openSettled(page);
  // The worker ends itself: no error event reaches the page, it simply never answers again.
  for (const worker of await workersOf(page, "r1")) {
    await worker.evaluate(() => self.close()).catch(() => undefined);
  }

  const r1 = playground.node("r1");
  await expect(r1.role).toHaveText("crashed", { timeout: 40_000 });
  await expect(playground.eventLog).toContainText("r1 crashed: no answer within");
  await expect(playground.node("r2").role).toHaveText("replica");

  const m = playground.node("m");
  await m.run("SET after-close alive");
  await expect(m.lastReply()).toHaveText("OK");
  const r2 = playground.node("r2");
  await expect.poll(() => read(r2, "after-close"), { timeout: 15_000 }).toBe('"alive"');

  await r1.button("Restart").click();
  await playground.waitForLinksUp("r1");
  await expect(page.getByRole("alert")).toHaveCount(0);
});

test("a node past the keys limit dies of it, named in the log; the others go on", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const playground = await openSettled(page);
  const m = playground.node("m");
  // One key more than a node holds (docs/limits.md), as a curious student might type.
  await m.run("DEBUG POPULATE 1000001");
  await expect(m.role).toHaveText("crashed", { timeout: 60_000 });
  await expect(m.lastReply()).toHaveText("Error: Server closed the connection");
  await expect(playground.eventLog).toContainText(
    "m crashed: Out Of Memory: no room for key 1000001; a node holds at most 1000000 keys in the playground",
  );
  const r1 = playground.node("r1");
  await r1.run("PING");
  await expect(r1.lastReply()).toHaveText("PONG");
  await m.button("Restart").click();
  await expect(m.role).toHaveText("master", { timeout: 15_000 });
  await expect(page.getByRole("alert")).toHaveCount(0);
});

/** Makes the page report itself hidden (or visible) as a backgrounded tab would. */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((h) => {
    Object.defineProperty(document, "visibilityState", {
      configurable: true,
      get: () => (h ? "hidden" : "visible"),
    });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => h });
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
}

test("a tab hidden for an hour comes back where it was, every node alive and usable", async ({
  page,
}) => {
  await page.clock.install();
  const playground = await openSettled(page);
  await playground.setSpeed(1);

  await setHidden(page, true);
  // Let the frame in progress end, then an hour passes on the page's clocks.
  await page.waitForTimeout(300);
  const before = await playground.timeUs();
  await page.clock.fastForward("01:00:00");
  await page.waitForTimeout(1000);
  // Hidden, the run stood still: virtual time did not move.
  expect(await playground.timeUs()).toBe(before);

  await setHidden(page, false);
  // Back in view it runs again from where it was, without making up for the hour.
  await expect.poll(() => playground.timeUs(), { timeout: 10_000 }).toBeGreaterThan(before);
  expect(await playground.timeUs()).toBeLessThan(before + 60_000_000);
  for (const name of ["m", "r1", "r2"]) {
    await expect(playground.node(name).role).not.toHaveText("crashed");
  }
  await expect(playground.eventLog).not.toContainText("crashed");
  await expectUsable(playground, "after-hour");
  await expect(page.getByRole("alert")).toHaveCount(0);
});
