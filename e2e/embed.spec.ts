import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { ConsoleMessage, Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// The embed and its postMessage API, driven from the example host page in public/ as a
// course page would drive it; bad messages are ignored with a console warning; the built
// site works from a sub-path of any static server.

const PROTOCOL = "redis-replication-playground";

/** Every console.warn of the page and its frames, as text. */
function warnings(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (m: ConsoleMessage) => {
    if (m.type() === "warning") seen.push(m.text());
  });
  return seen;
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join("test-results", "screenshots", `${name}.png`) });
}

test.describe("the example host page", () => {
  test("drives the embedded playground through postMessage and hears its events", async ({
    page,
  }) => {
    await page.goto("./embed-example.html");
    const events = page.locator("#events");
    const frame = page.frameLocator("#playground");
    await expect(page.locator("#status")).toHaveText("The playground is ready.", {
      timeout: 30_000,
    });
    await expect(events).toContainText("ready (scenario first-full-sync)");
    // autoplay=0: the embed waits, paused, with a Start button.
    await expect(frame.getByTestId("embed-start")).toBeVisible();
    await expect(frame.getByTestId("play-pause")).toHaveAttribute("aria-label", "Play");
    // Only the playground: no page header.
    await expect(frame.getByRole("heading", { level: 1 })).toHaveCount(0);

    // The frame takes the height the playground reports.
    await expect
      .poll(() => page.locator("#playground").evaluate((f) => (f as HTMLElement).style.height))
      .toMatch(/^\d+px$/);

    await page.getByRole("button", { name: "Play", exact: true }).click();
    await expect(events).toContainText("accepted #1: play");
    await expect(frame.getByTestId("embed-start")).toHaveCount(0);
    await expect(frame.getByTestId("guide-next")).toBeEnabled({ timeout: 30_000 });

    await page.getByRole("button", { name: "Next", exact: true }).click();
    await expect(events).toContainText("accepted #2: next");
    await expect(events).toContainText(/step 1 of \d+: /, { timeout: 30_000 });
    await expect(frame.getByTestId("guide-progress")).toContainText("Step 1 of");

    await page.getByRole("button", { name: "Pause", exact: true }).click();
    await expect(frame.getByTestId("play-pause")).toHaveAttribute("aria-label", "Play");

    await page.getByRole("button", { name: "Run", exact: true }).click();
    await expect(events).toContainText("accepted #4: command");
    await expect(events).toContainText("m: OK", { timeout: 10_000 });
    await expect(frame.getByTestId("console-m").getByTestId("console-reply").last()).toHaveText(
      "OK",
    );

    await page.getByRole("button", { name: "Get state", exact: true }).click();
    await expect(events).toContainText(/state: paused at \d+ µs; m master offset \d+/);

    // Another built-in, by name.
    await page.locator("#scenario").fill("chain");
    await page.getByRole("button", { name: "Load", exact: true }).click();
    await expect(events).toContainText("accepted #6: load");
    await expect(frame.getByTestId("embed-guide")).toContainText("chain", {
      ignoreCase: true,
      timeout: 30_000,
    });
    await page.locator("#scenario").fill("no-such-lesson");
    await page.getByRole("button", { name: "Load", exact: true }).click();
    await expect(events).toContainText(
      'rejected #7: there is no built-in scenario "no-such-lesson" (known: first-full-sync,',
    );
    await shoot(page, "embed-example-host-page");
  });

  test("hears the acknowledged writes a failover loses", async ({ page }) => {
    await page.goto("./embed-example.html");
    await expect(page.locator("#status")).toHaveText("The playground is ready.", {
      timeout: 30_000,
    });
    const frame = page.frameLocator("#playground");
    const events = page.locator("#events");
    await page.locator("#scenario").fill("lost-writes");
    await page.getByRole("button", { name: "Load", exact: true }).click();
    await expect(events).toContainText("accepted #1: load");
    await frame.getByTestId("speed").selectOption("100");
    await page.getByRole("button", { name: "Play", exact: true }).click();
    const next = frame.getByTestId("guide-next");
    for (let k = 1; k <= 3; k++) {
      await expect(next).toBeEnabled({ timeout: 60_000 });
      await page.getByRole("button", { name: "Next", exact: true }).click();
      await expect(events).toContainText(`step ${k} of 4`);
    }
    await expect(events).toContainText("write lost: SET balance 250 (acknowledged by m)", {
      timeout: 60_000,
    });
    await expect(events).toContainText("3 lost in all", { timeout: 60_000 });
    await expect(events).toContainText("r2 is now a master");

    // Time travel from the host page: back to 12 s, before the crash; m is the master again.
    await page.getByRole("button", { name: "Pause", exact: true }).click();
    await page.locator("#seek-us").fill("12000000");
    await page.getByRole("button", { name: "Seek", exact: true }).click();
    await expect(events).toContainText(/accepted #\d+: seek/);
    await expect(frame.getByTestId("clock")).toHaveAttribute("data-time-us", "12000000", {
      timeout: 30_000,
    });
    await page.getByRole("button", { name: "Get state", exact: true }).click();
    await expect(events).toContainText(/state: paused at 12000000 µs; m master offset \d+/);
  });

  test("ignores messages that do not fit the schema, with a console warning, and runs none", async ({
    page,
  }) => {
    const warned = warnings(page);
    await page.goto("./embed-example.html");
    await expect(page.locator("#status")).toHaveText("The playground is ready.", {
      timeout: 30_000,
    });
    const frame = page.frameLocator("#playground");
    await expect(frame.getByTestId("node-panel-m")).toBeVisible({ timeout: 30_000 });
    await page.evaluate((protocol) => {
      const target = (document.getElementById("playground") as HTMLIFrameElement).contentWindow;
      if (!target) throw new Error("no frame");
      const origin = window.location.origin;
      target.postMessage("play", origin);
      target.postMessage({ protocol, version: 1, type: "eval", id: 91, code: "alert(1)" }, origin);
      target.postMessage({ protocol, version: 2, type: "play", id: 92 }, origin);
      target.postMessage(
        { protocol, version: 1, type: "command", id: 93, node: "m", line: "SET a 1\r\nFLUSHALL" },
        origin,
      );
      target.postMessage({ protocol, version: 1, type: "seek", id: 94, tUs: -5 }, origin);
      target.postMessage({ protocol, version: 1, type: "play", id: 95, extra: true }, origin);
    }, PROTOCOL);
    const events = page.locator("#events");
    await expect(events).toContainText(
      'rejected #91: its "type" "eval" is not one of load, play, pause, step, next, back, seek, command, getState',
    );
    await expect(events).toContainText(
      'rejected #92: its "version" is 2; this playground speaks version 1',
    );
    await expect(events).toContainText('rejected #93: "command" needs "line", one line');
    await expect(events).toContainText('rejected #94: "seek" needs "tUs"');
    await expect(events).toContainText('rejected #95: a "play" message has no field "extra"');
    await expect
      .poll(() => warned.filter((w) => w.startsWith("Redis Replication Playground ignored")))
      .toHaveLength(6);
    expect(warned).toContain(
      'Redis Replication Playground ignored a message: it is "play", not an object.',
    );
    // None of them ran: still paused, nothing written.
    await expect(frame.getByTestId("play-pause")).toHaveAttribute("aria-label", "Play");
    await expect(frame.getByTestId("dbsize-m")).toHaveText("0");
  });

  test("obeys only its parent window", async ({ page }) => {
    const warned = warnings(page);
    await page.goto("./embed-example.html");
    await expect(page.locator("#status")).toHaveText("The playground is ready.", {
      timeout: 30_000,
    });
    const frame = page.frames().find((f) => f.url().includes("embed=1"));
    if (!frame) throw new Error("no embedded frame");
    // The frame posting to itself: a message whose source is not the parent.
    await frame.evaluate((protocol) => {
      window.postMessage({ protocol, version: 1, type: "play" }, "*");
    }, PROTOCOL);
    await expect
      .poll(() => warned)
      .toContain(
        "Redis Replication Playground ignored a message that did not come from its parent window.",
      );
    await expect(page.frameLocator("#playground").getByTestId("play-pause")).toHaveAttribute(
      "aria-label",
      "Play",
    );
  });
});

test.describe("the embed on its own", () => {
  test("shows the diagram, the controls and the panels asked for; Start plays", async ({
    page,
  }) => {
    const warned = warnings(page);
    await page.setViewportSize({ width: 760, height: 900 });
    await page.goto(
      "./?embed=1&scenario=first-full-sync&panels=narration,ring,console,bogus&autoplay=0",
    );
    await expect(page.getByTestId("embed")).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).toHaveCount(0);
    await expect(page.locator("svg.topology")).toBeVisible();
    await expect(page.getByTestId("node-panel-r1")).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole("region", { name: "Replication backlog" })).toBeVisible();
    await expect(page.getByTestId("embed-guide")).toContainText("full sync", { ignoreCase: true });
    // Panels not asked for are not there.
    await expect(page.getByRole("tablist", { name: "Timeline views" })).toHaveCount(0);
    expect(warned).toContain(
      'Redis Replication Playground: panels: "bogus" is not a panel (known: narration, ring, console, log, chart, timeline).',
    );
    await shoot(page, "embed-waiting-760");
    await page.getByTestId("embed-start").click();
    await expect(page.getByTestId("play-pause")).toHaveAttribute("aria-label", "Pause");
    await expect(page.getByTestId("embed-start")).toHaveCount(0);
    await expect(page.getByTestId("guide-next")).toBeEnabled({ timeout: 30_000 });
    await page.getByTestId("guide-next").click();
    await expect(page.getByTestId("guide-progress")).toContainText("Step 1 of");
    await page.setViewportSize({ width: 375, height: 900 });
    await shoot(page, "embed-playing-375");
  });

  test("the Embed button gives a snippet that opens the same scenario", async ({
    page,
    context,
  }) => {
    await page.goto("./?scenario=chain");
    await expect(page.getByTestId("guide")).toContainText("chain", { ignoreCase: true });
    await page.getByTestId("embed-button").click();
    await page.getByRole("checkbox", { name: "ring" }).check();
    const snippet = page.getByTestId("embed-snippet");
    await expect(snippet).toHaveValue(
      /^<iframe src="[^"]*\?embed=1&amp;scenario=chain&amp;panels=narration%2Cring"/,
    );
    const html = await snippet.inputValue();
    // The clipboard is refused here (no permission): the text is selected for the reader.
    await expect(page.getByTestId("embed-snippet-status")).toContainText(/Copied|copy it with/);
    const src = /src="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, "&") ?? "";
    const embedded = await context.newPage();
    await embedded.goto(src);
    await expect(embedded.getByTestId("embed-guide")).toContainText("chain", {
      ignoreCase: true,
      timeout: 30_000,
    });
    await expect(embedded.getByRole("region", { name: "Replication backlog" })).toBeVisible();
  });
});

/** axe's serious and critical findings, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")} ${n.failureSummary ?? ""}`));
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`the embed and the share panels have no serious accessibility violations, ${colorScheme} theme`, async ({
    page,
  }) => {
    test.setTimeout(90_000);
    await page.emulateMedia({ colorScheme });
    await page.goto("./?embed=1&scenario=first-full-sync&panels=narration,ring&autoplay=0");
    await expect(page.getByTestId("embed-guide")).toBeVisible({ timeout: 30_000 });
    expect(await seriousViolations(page), "embed waiting for Start").toEqual([]);
    await page.goto("./");
    for (const panel of ["share", "embed", "export"]) {
      await page.getByTestId(`${panel}-button`).click();
      await expect(page.getByRole("region", { name: /Share link|Embed|Export/ })).toBeVisible();
      expect(await seriousViolations(page), `${panel} panel`).toEqual([]);
    }
    await page.goto("./#share=v1.@");
    await expect(page.getByTestId("page-notice")).toBeVisible();
    expect(await seriousViolations(page), "a bad share link's notice").toEqual([]);
  });
}

test.describe("static hosting", () => {
  const DIST = process.env.E2E_DIST ?? "dist";
  const SUB = "/courses/redis/playground/";
  let server: Server;
  let base = "";

  test.beforeAll(async () => {
    // A plain static file server that knows nothing of the app, serving the build under SUB.
    server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      if (!url.pathname.startsWith(SUB)) {
        res.writeHead(404).end("not here");
        return;
      }
      let file = path.join(DIST, decodeURIComponent(url.pathname.slice(SUB.length)));
      if (!path.resolve(file).startsWith(path.resolve(DIST))) {
        res.writeHead(403).end();
        return;
      }
      if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, "index.html");
      if (!existsSync(file)) {
        res.writeHead(404).end("not found");
        return;
      }
      const types: Record<string, string> = {
        ".html": "text/html",
        ".js": "text/javascript",
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".map": "application/json",
      };
      res.writeHead(200, {
        "content-type": types[path.extname(file)] ?? "application/octet-stream",
      });
      createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${SUB}`;
  });

  test.afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  test("the built site runs from a sub-path: workers, scenarios, share links, the example page", async ({
    page,
    context,
  }) => {
    const failed: string[] = [];
    page.on("requestfailed", (r) => failed.push(r.url()));
    page.on("response", (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`${base}?scenario=partial-resync`);
    await expect(page.getByTestId("guide")).toContainText("Partial resync", { timeout: 30_000 });
    await page.getByTestId("speed").selectOption("100");
    await expect(page.getByTestId("guide-next")).toBeEnabled({ timeout: 30_000 });
    await page.getByTestId("guide-next").click();
    await expect(page.getByTestId("offset-r1")).toHaveText("375", { timeout: 30_000 });

    await page.getByTestId("share-button").click();
    const link = await page.getByTestId("share-link").inputValue();
    expect(link.startsWith(base)).toBe(true);
    const shared = await context.newPage();
    await shared.goto(link);
    await expect(shared.getByTestId("offset-r1")).toHaveText("375", { timeout: 30_000 });

    const host = await context.newPage();
    await host.goto(`${base}embed-example.html`);
    await expect(host.locator("#status")).toHaveText("The playground is ready.", {
      timeout: 30_000,
    });
    await host.getByRole("button", { name: "Run", exact: true }).click();
    await expect(host.locator("#events")).toContainText("m: OK", { timeout: 30_000 });
    expect(failed).toEqual([]);
  });
});
