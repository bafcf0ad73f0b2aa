import { expect, test } from "./fixtures";
import type { NodeObject } from "./fixtures";

// Issue 6: each break-it interaction, driven as a reader would, checked against what the
// engine reports (offsets, roles, replication ids, Redis's own log lines).

/** "same" when two nodes show the same offset, else both offsets (for the failure message). */
async function offsets(a: NodeObject, b: NodeObject): Promise<string> {
  const [x, y] = [await a.offsetValue(), await b.offsetValue()];
  return x === y ? "same" : `${a.name}=${x} ${b.name}=${y}`;
}

test.beforeEach(async ({ playground }) => {
  await playground.setSpeed(10);
  await playground.waitForLinksUp("r1", "r2");
});

test("a cut link holds the stream; healing it delivers the held bytes", async ({
  playground,
  page,
}) => {
  const m = playground.node("m");
  const r1 = playground.node("r1");
  const r2 = playground.node("r2");
  await page.getByRole("button", { name: "Cut the link between r1 and m" }).click();
  await expect(page.getByTestId("edge-r1-m")).toHaveClass(/is-cut/);
  await expect(r1.link).toHaveText("link cut (Redis: up)");

  const before = await r1.offsetValue();
  await m.run("SET held 1");
  await expect(m.lastReply()).toHaveText("OK");
  // r2 follows the master (pings included); r1 stays where the cut left it.
  await expect(r2.dbsize).toHaveText("1", { timeout: 15_000 });
  await expect.poll(() => offsets(m, r2), { timeout: 15_000 }).toEqual("same");
  await expect(r1.offset).toHaveText(String(before));
  await expect(r1.dbsize).toHaveText("0");
  // The write waits at the cut, drawn held on the link.
  await expect(page.locator(".packet.is-held").first()).toBeVisible();

  await page.getByRole("button", { name: "Heal the link between r1 and m" }).click();
  await expect(r1.link).toHaveText("link up");
  await expect(r1.dbsize).toHaveText("1", { timeout: 15_000 });
  await expect.poll(() => offsets(m, r1), { timeout: 15_000 }).toEqual("same");
});

test("a reset connection comes back with a partial resync (+CONTINUE)", async ({ playground }) => {
  const r1 = playground.node("r1");
  await playground.node("m").run("SET before-reset 1");
  await r1.button("Reset").click();
  await expect(playground.eventLog).toContainText("Connection with master lost.");
  await expect(playground.eventLog).toContainText("m accepts a partial resync from r1: +CONTINUE", {
    timeout: 15_000,
  });
  await expect(playground.eventLog).toContainText(
    "Successful partial resynchronization with master.",
  );
  await expect(r1.link).toHaveText("link up");
});

test("promotion gives the replica a new replid and keeps the old one as replid2", async ({
  playground,
}) => {
  const m = playground.node("m");
  const r1 = playground.node("r1");
  await m.run("SET k1 v1");
  await expect(r1.offset).toHaveText("52", { timeout: 15_000 });
  const oldId = (await m.replId.getAttribute("title"))?.split(" ")[1] ?? "";
  expect(oldId).toMatch(/^[0-9a-f]{40}$/);

  await r1.button("Promote").click();
  await expect(r1.lastReply()).toHaveText("OK");
  await expect(r1.role).toHaveText("master");
  await expect(r1.replId2).toHaveAttribute(
    "title",
    `master_replid2 ${oldId}, valid up to second_repl_offset 53`,
  );
  await expect(r1.replId).not.toHaveAttribute("title", `master_replid ${oldId}`);
  await r1.tab("INFO").click();
  await expect(r1.panel.getByTestId("info-r1")).toContainText(`master_replid2:${oldId}`);
  await expect(r1.panel.getByTestId("info-r1")).toContainText("second_repl_offset:53");
  await r1.tab("Console").click();
  await r1.run("SET mine 1");
  await expect(r1.lastReply()).toHaveText("OK");
});

test("a crashed node greys out, refuses the console, and restarts as a replica", async ({
  playground,
  page,
}) => {
  const r2 = playground.node("r2");
  await r2.button("Crash").click();
  await expect(r2.role).toHaveText("crashed");
  await expect(r2.panel).toHaveClass(/is-down/);
  await expect(r2.topologyNode).toHaveClass(/is-down/);
  await expect(page.getByTestId("ring-verdicts")).toContainText("r2 is down.");
  await r2.run("PING");
  await expect(r2.lastReply()).toHaveText(
    "Could not connect to Redis at r2:6379: Connection refused",
  );

  await r2.button("Restart").click();
  await expect(r2.role).toHaveText("replica");
  await expect(r2.link).toHaveText("link up", { timeout: 15_000 });
});

test("the console keeps a history, prints replies as redis-cli and says when it cannot parse", async ({
  playground,
}) => {
  const m = playground.node("m");
  await m.run("RPUSH l a b c");
  await expect(m.lastReply()).toHaveText("(integer) 3");
  await m.run("LRANGE l 0 -1");
  await expect(m.lastReply()).toHaveText('1) "a"\n2) "b"\n3) "c"');
  await m.run('SET "unbalanced');
  await expect(m.lastReply()).toHaveText("Invalid argument(s)");
  await m.input.press("ArrowUp");
  await expect(m.input).toHaveValue('SET "unbalanced');
  await m.input.press("ArrowUp");
  await expect(m.input).toHaveValue("LRANGE l 0 -1");
  await m.input.press("ArrowDown");
  await m.input.press("ArrowDown");
  await expect(m.input).toHaveValue("");
  await m.run("NOSUCH x");
  await expect(m.lastReply()).toHaveText(
    "(error) ERR unknown command 'NOSUCH', with args beginning with: 'x' ",
  );
});

test("every action is recorded as a scenario line", async ({ playground, page }) => {
  await playground.node("m").run("SET a 1");
  await playground.node("r1").button("Cut link").click();
  await page.getByRole("tab", { name: "Your actions" }).click();
  const script = page.getByTestId("actions-script");
  await expect(script).toContainText("node r1 replicaof m");
  await expect(script).toContainText("m> SET a 1");
  await expect(script).toContainText("cut r1 m");
  await expect(script).toContainText(/advance \d/);
});
