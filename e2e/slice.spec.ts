import { expect, test } from "./fixtures";

// The first vertical slice (issue 2): three nodes, a write on the master reaches both
// replicas with the offsets real Redis 7.0 recorded (../shared/oracle/S1.json: SELECT 0 is
// 23 bytes and SET k1 v1 is 29, so the offset moves by 52), and a replica refuses writes.

test("a write on the master reaches both replicas at offset 52, as in real Redis", async ({
  playground,
  page,
}) => {
  const m = playground.node("m");
  const r1 = playground.node("r1");
  const r2 = playground.node("r2");

  await expect(m.role).toHaveText("master");
  await expect(r1.role).toHaveText("replica");
  await expect(r2.role).toHaveText("replica");
  await playground.waitForLinksUp("r1", "r2");
  // One Web Worker per node.
  expect(page.workers()).toHaveLength(3);

  // From here on, time moves only when the test steps it.
  await playground.pause();
  await expect(m.offset).toHaveText("0");

  await m.run("SET k1 v1");
  await expect(m.lastReply()).toHaveText("OK");
  await expect(m.offset).toHaveText("52");

  await playground.stepUntil(async () => {
    const offsets = await Promise.all([r1.offset.textContent(), r2.offset.textContent()]);
    return offsets.every((o) => o === "52");
  });
  for (const replica of [r1, r2]) {
    await expect(replica.offset).toHaveText("52");
    await expect(replica.dbsize).toHaveText("1");
    await expect(replica.topologyKeys).toHaveText("k1");
    await replica.tab("Keys").click();
    await expect(replica.keyRow("k1")).toContainText('"v1"');
  }

  await r1.tab("Console").click();
  await r1.run("GET k1");
  await expect(r1.lastReply()).toHaveText('"v1"');
});

test("a replica refuses writes with Redis's exact READONLY error", async ({ playground }) => {
  const r1 = playground.node("r1");
  await playground.waitForLinksUp("r1");
  await r1.run("SET x 1");
  await expect(r1.lastReply()).toHaveText(
    "(error) READONLY You can't write against a read only replica.",
  );
  await expect(r1.dbsize).toHaveText("0");
});
