import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import type { PlaygroundPage } from "./fixtures";

// Issue 6, quality bar: no serious or critical axe violations (contrast included) on the main
// views in the light and the dark theme; every control named; focus visible; reduced motion
// replaces motion with fades; usable from 360 px wide.

/** axe's serious and critical findings, one line each, so a failure names what and where. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) =>
      v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(" ")} ${n.failureSummary ?? ""}`),
    );
}

/** The main views one after another, each checked by axe. */
async function checkMainViews(playground: PlaygroundPage): Promise<void> {
  const { page } = playground;
  await playground.setSpeed(10);
  await playground.waitForLinksUp("r1", "r2");
  await playground.node("m").run("SET k1 v1");
  await playground.node("m").button("Add Sentinel").click();
  await expect(playground.node("s1").role).toHaveText("sentinel");
  await playground.pause();
  expect(await seriousViolations(page), "overview").toEqual([]);

  for (const tab of ["Wire", "Sequence", "Offsets", "Your actions", "Log"]) {
    await page.getByRole("tab", { name: tab }).click();
    expect(await seriousViolations(page), `timeline tab ${tab}`).toEqual([]);
  }
  const r1 = playground.node("r1");
  for (const tab of ["Keys", "INFO"] as const) {
    await r1.tab(tab).click();
    expect(await seriousViolations(page), `node tab ${tab}`).toEqual([]);
  }
  await page.getByRole("button", { name: "Cut the link between r1 and m" }).click();
  await playground.node("r2").button("Crash").click();
  await expect(playground.node("r2").role).toHaveText("crashed");
  expect(await seriousViolations(page), "a cut link and a crashed node").toEqual([]);

  await page.getByRole("button", { name: "Link r1 ⇄ m: latency, bandwidth, reset" }).click();
  await expect(page.getByRole("dialog", { name: "Link r1 ⇄ m" })).toBeVisible();
  expect(await seriousViolations(page), "link menu").toEqual([]);
  await page.keyboard.press("Escape");

  await page.getByRole("button", { name: "Keyboard shortcuts" }).click();
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  expect(await seriousViolations(page), "shortcuts").toEqual([]);
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`no serious or critical accessibility violations on the main views, ${colorScheme} theme`, async ({
    page,
    playground,
  }) => {
    test.setTimeout(90_000);
    await page.emulateMedia({ colorScheme });
    await checkMainViews(playground);
  });
}

test("every control has a name", async ({ playground, page }) => {
  await playground.waitForLinksUp("r1", "r2");
  const unnamed = await page.evaluate(() => {
    const controls = document.querySelectorAll<HTMLElement>(
      'button, select, input, textarea, [role="button"], [role="tab"]',
    );
    return [...controls]
      .filter((el) => {
        const labelled =
          el.getAttribute("aria-label") ??
          el.getAttribute("aria-labelledby") ??
          (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ??
          el.closest("label")?.textContent ??
          el.textContent;
        return !labelled || labelled.trim() === "";
      })
      .map((el) => el.outerHTML.slice(0, 80));
  });
  expect(unnamed).toEqual([]);
});

test("the focused control is outlined, on a node, a link and a button", async ({
  playground,
  page,
}) => {
  await playground.waitForLinksUp("r1", "r2");
  const outlined = async () =>
    page.evaluate(() => {
      const el = document.activeElement;
      if (!el) return "nothing focused";
      const target = el.querySelector(".node-halo, :scope > circle") ?? el;
      const style = getComputedStyle(target);
      const ring =
        style.outlineStyle !== "none" && style.outlineWidth !== "0px"
          ? "outline"
          : style.stroke !== "none" &&
              style.stroke !== "transparent" &&
              style.stroke !== "rgba(0, 0, 0, 0)"
            ? "stroke"
            : "none";
      return ring;
    });
  await playground.node("m").topologyNode.getByRole("button").focus();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab");
  expect(await outlined()).not.toBe("none");
  await page.getByRole("button", { name: "Cut the link between r1 and m" }).focus();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab");
  expect(await outlined()).not.toBe("none");
  await page.getByTestId("step").focus();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab");
  expect(await outlined()).not.toBe("none");
});

test("an aria-live region narrates what happens", async ({ playground, page }) => {
  await playground.setSpeed(10);
  await playground.waitForLinksUp("r1", "r2");
  const narrator = page.locator('[role="status"][aria-live="polite"]').first();
  await playground.node("r2").button("Crash").click();
  await expect(narrator).toContainText("r2 crashed.");
});

test.describe("with reduced motion", () => {
  test.use({ reducedMotion: "reduce" });

  test("packets fade in place instead of travelling, and trimmed bytes fade instead of falling", async ({
    playground,
    page,
  }) => {
    await playground.waitForLinksUp("r1", "r2");
    // A 2 s flight to r1, so the write is still on its way after a few steps.
    await page.getByRole("button", { name: "Link r1 ⇄ m: latency, bandwidth, reset" }).click();
    await page.getByLabel("Latency (ms, one way)").fill("2000");
    await page.getByRole("button", { name: "Apply" }).click();
    await playground.pause();
    await playground.node("m").run("SET still 1");
    // Read without waiting: a packet may leave the page at any step.
    const transformTo = (to: string) =>
      page
        .locator(`.packet[data-label*="SET still 1"]`)
        .evaluateAll(
          (els, node) =>
            els.find((e) => e.getAttribute("data-to") === node)?.getAttribute("transform") ?? null,
          to,
        );
    await playground.stepUntil(async () => (await transformTo("r1")) !== null, 10);
    const at = await transformTo("r1");
    await playground.stepButton.click();
    await playground.stepButton.click();
    // Still in flight, and where it was: in the middle of its link, fading, never sliding.
    expect(await transformTo("r1")).toBe(at);
    const animation = await page.evaluate(() => {
      const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
      path.setAttribute("class", "ring-fall");
      svg.appendChild(path);
      document.body.appendChild(svg);
      const name = getComputedStyle(path).animationName;
      svg.remove();
      return name;
    });
    expect(animation).toBe("fade-out");
  });
});

test.describe("at 360 px wide", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test("nothing is wider than the screen, and the topology and consoles are usable", async ({
    playground,
    page,
  }) => {
    await playground.waitForLinksUp("r1", "r2");
    await playground.node("m").button("Add Sentinel").click();
    await page.getByRole("tab", { name: "Offsets" }).click();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await playground.node("m").run("SET narrow 1");
    await expect(playground.node("m").lastReply()).toHaveText("OK");
    // Every node of the drawing, the Sentinel's row included, lies within the screen's width.
    for (const name of ["m", "r1", "r2", "s1"]) {
      const box = await playground.node(name).topologyNode.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 360, `${name} inside 360 px`).toBe(true);
    }
  });
});
