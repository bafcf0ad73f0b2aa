import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import type { PlaygroundPage } from "./fixtures";

// Issue 6: the views and interactions beyond the break-it buttons (the offsets chart, drag to
// REPLICAOF, removing nodes, link latency and bandwidth, the ring after a heal, Sentinels), each
// driven as a reader would and checked against what the engine reports.

test.beforeEach(async ({ playground }) => {
  await playground.setSpeed(10);
  await playground.waitForLinksUp("r1", "r2");
});

/** The "Your actions" script, as text. */
async function script(page: Page): Promise<Locator> {
  await page.getByRole("tab", { name: "Your actions" }).click();
  return page.getByTestId("actions-script");
}

/** Drags one node of the topology onto another with the mouse, in small moves as a hand does. */
async function dragOnto(playground: PlaygroundPage, from: string, to: string): Promise<void> {
  const { page } = playground;
  const a = await playground.node(from).topologyNode.boundingBox();
  const b = await playground.node(to).topologyNode.boundingBox();
  if (!a || !b) throw new Error("nodes not drawn");
  // A node's box includes its caption on the right; its circle is the box's left part.
  const centre = (box: { x: number; y: number; height: number }) => ({
    x: box.x + 37,
    y: box.y + box.height / 2,
  });
  const p = centre(a);
  const q = centre(b);
  await page.mouse.move(p.x, p.y);
  await page.mouse.down();
  await page.mouse.move(p.x + 10, p.y + 10, { steps: 3 });
  await page.mouse.move(q.x, q.y, { steps: 12 });
  await expect(page.getByText(`Let go to make it a replica of ${to}`)).toBeVisible();
  await page.mouse.up();
}

test("the offsets chart follows every node's offset and a cut replica's lag", async ({
  playground,
  page,
}) => {
  const m = playground.node("m");
  const r1 = playground.node("r1");
  await m.run("SET k1 v1");
  await expect.poll(() => r1.offsetValue(), { timeout: 15_000 }).toBe(await m.offsetValue());
  await page.getByRole("tab", { name: "Offsets" }).click();
  const chart = page.getByTestId("offset-chart");
  const offsets = chart.getByRole("img", { name: /Replication offset/ });
  await expect(offsets).toBeVisible();
  await expect(offsets.locator(".chart-line")).toHaveCount(3);
  await expect(chart.getByRole("img", { name: /Lag behind the master/ })).toBeVisible();

  await page.getByRole("button", { name: "Cut the link between r1 and m" }).click();
  await m.run("SET k2 v2");
  await m.run("SET k3 v3");
  await expect(playground.node("r2").dbsize).toHaveText("3", { timeout: 15_000 });
  await playground.pause();
  // The table says what the chart draws, and it matches the panels (the engine's INFO).
  await chart.getByText("The same as a table").click();
  const table = page.getByTestId("chart-table");
  const masterOffset = await m.offsetValue();
  const r1Offset = await r1.offsetValue();
  expect(masterOffset).toBeGreaterThan(r1Offset);
  await expect(table.locator('tr[data-node="m"] td').first()).toHaveText(String(masterOffset));
  await expect(table.locator('tr[data-node="r1"] td').first()).toHaveText(String(r1Offset));
  await expect(table.locator('tr[data-node="r1"] td').nth(1)).toHaveText(
    `${masterOffset - r1Offset} B`,
  );
  await expect(page.getByTestId("chart-summary")).toContainText(
    `r1 at ${r1Offset} is ${masterOffset - r1Offset} B behind its master`,
  );
});

test("dragging a replica onto another node makes it that node's replica", async ({
  playground,
  page,
}) => {
  const r2 = playground.node("r2");
  await dragOnto(playground, "r2", "r1");
  await expect(r2.lastReply()).toHaveText("OK");
  await expect(page.getByTestId("master-of-r2")).toHaveText("r1");
  await expect(page.getByTestId("edge-r2-r1")).toBeVisible();
  await expect(page.getByTestId("edge-r2-m")).toHaveCount(0);
  await playground.waitForLinksUp("r2");
  // The chain works: a write on m reaches r2 through r1.
  await playground.node("m").run("SET chained yes");
  await expect(r2.dbsize).toHaveText("1", { timeout: 15_000 });
  await expect(await script(page)).toContainText("r2> REPLICAOF r1 6379");
});

test("the node menu's Replica of… does the same from the keyboard", async ({
  playground,
  page,
}) => {
  const r2 = playground.node("r2");
  // Its choices are the other servers but its master: r1 first. Arrow keys pick on a closed select.
  await r2.panel.getByRole("combobox", { name: /Make r2 a replica of another node/ }).focus();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByTestId("master-of-r2")).toHaveText("r1");
  await expect(await script(page)).toContainText("r2> REPLICAOF r1 6379");
});

test("removing a node crashes it and takes it off the page", async ({ playground, page }) => {
  await playground.node("m").button("Add replica").click();
  const r3 = playground.node("r3");
  await playground.waitForLinksUp("r3");
  await r3.button("Remove").click();
  await expect(r3.panel).toHaveCount(0);
  await expect(r3.topologyNode).toHaveCount(0);
  await expect(page.getByTestId("edge-r3-m")).toHaveCount(0);
  // The master saw it go: only r1 and r2 remain connected.
  await expect(page.getByTestId("master-of-m")).toHaveText("2/2", { timeout: 15_000 });
  const lines = await script(page);
  await expect(lines).toContainText("node r3 replicaof m");
  await expect(lines).toContainText("crash r3");
  // A node added later gets a new name.
  await playground.node("m").button("Add replica").click();
  await expect(playground.node("r4").panel).toBeVisible();
  // Travelling back in time replays the removal too: r3 stays off the page.
  await playground.pause();
  const before = await playground.timeUs();
  await page.getByRole("button", { name: "Back one event" }).click();
  await expect.poll(() => playground.timeUs(), { timeout: 15_000 }).toBeLessThan(before);
  await expect(playground.node("r4").panel).toBeVisible();
  await expect(r3.panel).toHaveCount(0);
  await expect(r3.topologyNode).toHaveCount(0);
  await expect(playground.node("r2").panel).toBeVisible();
});

test("a link's menu sets its latency and bandwidth, and a write then takes that long", async ({
  playground,
  page,
}) => {
  await page.getByRole("button", { name: "Link r1 ⇄ m: latency, bandwidth, reset" }).click();
  const menu = page.getByRole("dialog", { name: "Link r1 ⇄ m" });
  await menu.getByLabel("Latency (ms, one way)").fill("0");
  await menu.getByRole("button", { name: "Apply" }).click();
  await expect(menu.getByRole("alert")).toHaveText(
    "Latency must be a number of milliseconds above 0 (got '0').",
  );
  await menu.getByLabel("Latency (ms, one way)").fill("250");
  await menu.getByLabel("Bandwidth (kB/s, empty: unlimited)").fill("100");
  await menu.getByRole("button", { name: "Apply" }).click();
  await expect(menu).toHaveCount(0);
  await expect(page.getByTestId("edge-r1-m")).toContainText("250 ms · 100 kB/s");
  await expect(
    page.getByRole("combobox", { name: "Latency and bandwidth between r1 and m" }),
  ).toHaveValue("custom");
  await expect(await script(page)).toContainText("link r1 m latency 250ms bandwidth 100000/s");

  // The engine's network now takes 250 ms from m to r1, and still 1 ms to r2.
  await playground.pause();
  const t0 = await playground.timeUs();
  await playground.node("m").run("SET slow 1");
  const r1 = playground.node("r1");
  await playground.stepUntil(async () => (await r1.dbsize.textContent()) === "1", 200);
  expect((await playground.timeUs()) - t0).toBeGreaterThanOrEqual(250_000);
});

test("a long cut times the link out; healing it resumes with +CONTINUE and the ring marker catches up", async ({
  playground,
  page,
}) => {
  const m = playground.node("m");
  const r1 = playground.node("r1");
  // Shorter timeouts than Redis's 60 s so the cut is noticed soon, on both sides.
  await m.run("CONFIG SET repl-timeout 5");
  await r1.run("CONFIG SET repl-timeout 5");
  await expect(r1.lastReply()).toHaveText("OK");
  await page.getByRole("button", { name: "Cut the link between r1 and m" }).click();
  await m.run("SET during-cut 1");
  await expect(playground.eventLog).toContainText("MASTER timeout: no data nor PING received", {
    timeout: 30_000,
  });
  const marker = page.getByTestId("ring-marker-r1");
  const behind = Number(await marker.getAttribute("data-offset"));
  // The master's panel shows the write once its view is next fetched (ten times a second).
  await expect.poll(() => m.offsetValue(), { timeout: 5_000 }).toBeGreaterThan(behind);
  await expect(page.getByTestId("ring-verdicts")).toContainText(/r1.*can resume with \+CONTINUE/);

  await page.getByRole("button", { name: "Heal the link between r1 and m" }).click();
  await expect(playground.eventLog).toContainText("m accepts a partial resync from r1: +CONTINUE", {
    timeout: 30_000,
  });
  await expect(r1.link).toHaveText("link up", { timeout: 15_000 });
  await expect(r1.dbsize).toHaveText("1");
  // The marker is r1's acknowledged offset: it moves with r1's next REPLCONF ACK (every second).
  await expect
    .poll(async () => Number(await marker.getAttribute("data-offset")), { timeout: 15_000 })
    .toBeGreaterThan(behind);
  await expect(page.getByTestId("ring-verdicts")).toContainText("r1 is streaming");
});

test("a Sentinel is drawn as a Sentinel, watches its master and answers SENTINEL commands", async ({
  playground,
  page,
}) => {
  await playground.node("m").button("Add Sentinel").click();
  const s1 = playground.node("s1");
  await expect(s1.topologyNode).toHaveClass(/role-sentinel/);
  await expect(s1.role).toHaveText("sentinel");
  await expect(page.getByTestId("edge-s1-m")).toHaveClass(/edge-monitor/);
  await expect(page.getByTestId("watches-s1")).toHaveText("m (mymaster)", { timeout: 15_000 });
  // A Sentinel has no backlog: the ring stays m's, with markers for the replicas only.
  await expect(page.getByTestId("ring-marker-s1")).toHaveCount(0);
  await expect(s1.panel.getByRole("tab")).toHaveCount(0);

  const input = page.getByRole("textbox", { name: "s1:26379> command for s1" });
  await input.fill("SENTINEL get-master-addr-by-name mymaster");
  await input.press("Enter");
  await expect(s1.lastReply()).toHaveText('1) "10.0.0.1"\n2) "6379"');
  await input.fill("SET k v");
  await input.press("Enter");
  await expect(s1.lastReply()).toContainText("ERR unknown command 'SET'");
  // INFO discovery finds the replicas within 10 s of virtual time.
  await expect(page.getByTestId("monitors-s1")).toContainText("knows 2 replicas", {
    timeout: 30_000,
  });
  await expect(await script(page)).toContainText("sentinel s1 monitor mymaster m 1");
});

test("a link carrying 1,000 writes a second is drawn as a stream with its rate", async ({
  page,
}) => {
  test.slow();
  // A write every millisecond of virtual time for 0.4 s (the editor runs it at the playback's pace).
  const lines = ["node m", "node r1 replicaof m", "settle"];
  for (let i = 0; i < 400; i++) lines.push(`m> SET k${i % 100} v`, "advance 1ms");
  await page.getByTestId("script-editor").locator("summary").click();
  await page.getByTestId("editor-text").fill(`${lines.join("\n")}\n`);
  await page.getByTestId("editor-run").click();
  const stream = page.locator('[data-testid="stream"][data-from="m"][data-to="r1"]');
  await expect(stream).toBeVisible({ timeout: 30_000 });
  await expect(stream.locator(".stream-rate")).toContainText(/\d cmd\/s/);
  // (A frame's slice passes as many `advance` lines as it covers: src/ui/session/gatedCluster.ts.)
  // Once the writes stop, the band goes and slow motion is back for single packets.
  await expect(stream).toHaveCount(0, { timeout: 30_000 });
});

test("a write fanned out to five replicas shows labels that do not overlap", async ({
  playground,
  page,
}) => {
  for (let i = 0; i < 3; i++) await playground.node("m").button("Add replica").click();
  await playground.waitForLinksUp("r3", "r4", "r5");
  await playground.setSpeed(0.25);
  await playground.node("m").run("SET greeting hello");
  const packets = page.locator('.packet[data-label*="SET greeting hello"]');
  await expect(packets).toHaveCount(5);
  await playground.pause();
  // The labels shown, as drawn: none may cover another (the packets keep their dots).
  const boxes = await page.locator(".packet-label").evaluateAll((labels) =>
    labels
      .filter((l) => getComputedStyle(l).visibility === "visible")
      .map((l) => l.getBoundingClientRect())
      .map((r) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom })),
  );
  expect(boxes.length).toBeGreaterThan(0);
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      if (!a || !b) continue;
      const overlap =
        Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
        Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
      expect(overlap, `labels ${i} and ${j} overlap`).toBe(false);
    }
});
