import type { Page, Request } from "@playwright/test";
import { PlaygroundPage, expect, test } from "./fixtures";

// Issue 10, part 4: the page is safe to embed. Whatever a reader types or a script holds
// is shown as text and never runs; the page runs under its Content-Security-Policy
// without a single violation; and once loaded it asks the network for nothing.

/** Each sets `window.__pwned` (or opens a dialog) if it ever runs. */
const PAYLOADS = [
  `<img src=x onerror="window.__pwned='img';alert(1)">`,
  `<script>window.__pwned='script'</script>`,
  `javascript:window.__pwned='js'`,
  `<svg onload="window.__pwned='svg'"></svg>`,
  `"><iframe src="javascript:parent.__pwned='iframe'"></iframe>`,
];

interface Watch {
  readonly dialogs: string[];
  readonly violations: () => Promise<string[]>;
  readonly pwned: () => Promise<unknown>;
}

/** Records dialogs, CSP violations (from before the first script runs) and the payloads' flag. */
async function watch(page: Page): Promise<Watch> {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (e) => {
      seen.push(
        `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`,
      );
    });
  });
  return {
    dialogs,
    violations: () =>
      page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
    pwned: () => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned),
  };
}

/** A redis-cli word holding `text` (single quotes keep `"` and `<` literal). */
const quoted = (text: string) => `'${text.replaceAll("'", "\\'")}'`;

test.describe("hostile text", () => {
  test("keys and values full of HTML and javascript: URLs show as text and never run", async ({
    page,
  }) => {
    const w = await watch(page);
    const playground = new PlaygroundPage(page);
    await playground.open();
    await playground.setSpeed(10);
    await playground.waitForLinksUp("r1", "r2");
    const m = playground.node("m");
    const r1 = playground.node("r1");

    for (const [i, payload] of PAYLOADS.entries()) {
      await m.run(`SET ${quoted(payload)} ${quoted(PAYLOADS[(i + 1) % PAYLOADS.length] ?? "")}`);
      await expect(m.lastReply()).toHaveText("OK");
    }
    await m.run(`RPUSH ${quoted(`${PAYLOADS[0] ?? ""}:list`)} ${PAYLOADS.map(quoted).join(" ")}`);
    await expect(m.lastReply()).toHaveText(`(integer) ${PAYLOADS.length}`);
    await m.run(`HSET h ${quoted(PAYLOADS[1] ?? "")} ${quoted(PAYLOADS[2] ?? "")}`);
    await expect(m.lastReply()).toHaveText("(integer) 1");
    // An unknown command named by a payload: Redis's error quotes it back, as text.
    await m.run("<img/src=x/onerror=alert(1)> javascript:alert(2)");
    await expect(m.lastReply()).toHaveText(
      "(error) ERR unknown command '<img/src=x/onerror=alert(1)>', with args beginning with: 'javascript:alert(2)' ",
    );

    // The console shows what was typed and what came back, character for character.
    await m.run(`GET ${quoted(PAYLOADS[0] ?? "")}`);
    await expect(m.lastReply()).toHaveText(`"${(PAYLOADS[1] ?? "").replaceAll('"', '\\"')}"`);
    await expect(page.getByTestId("console-m")).toContainText(`GET ${quoted(PAYLOADS[0] ?? "")}`);

    // The replica's Keys tab lists the replicated keys and values as text.
    await expect(r1.dbsize).toHaveText(String(PAYLOADS.length + 2), { timeout: 15_000 });
    await r1.tab("Keys").click();
    const keys = page.getByTestId("keys-r1");
    for (const payload of PAYLOADS) await expect(keys).toContainText(payload);
    await m.tab("INFO").click();
    await page.getByRole("tab", { name: "Wire" }).click();
    await expect(page.getByTestId("wire")).toContainText("<script>");

    // Nothing the payloads would have created exists in the page.
    expect(
      await page.locator("#root img, #root script, #root iframe, #root svg[onload]").count(),
    ).toBe(0);
    expect(await page.locator("[onerror], [onload]").count()).toBe(0);
    expect(await w.pwned()).toBeUndefined();
    expect(w.dialogs).toEqual([]);
    expect(await w.violations()).toEqual([]);
  });
});

test.describe("hostile console input", () => {
  test("gets redis-cli's and Redis's own answers, and a line past the limit a clear refusal", async ({
    playground,
  }) => {
    await playground.setSpeed(10);
    const m = playground.node("m");
    await m.run('SET k "unterminated');
    await expect(m.lastReply()).toHaveText("Invalid argument(s)");
    await m.run('SET bin "\\x00\\xff\\r\\n"');
    await expect(m.lastReply()).toHaveText("OK");
    await m.run("GET bin");
    await expect(m.lastReply()).toHaveText('"\\x00\\xff\\r\\n"');
    await m.run("FOO bar baz");
    await expect(m.lastReply()).toHaveText(
      "(error) ERR unknown command 'FOO', with args beginning with: 'bar' 'baz' ",
    );
    await m.run(`SET big ${"v".repeat(60_000)}`);
    await expect(m.lastReply()).toHaveText("OK");
    await m.run("STRLEN big");
    await expect(m.lastReply()).toHaveText("(integer) 60000");
    await m.run(`SET huge ${"v".repeat(70_000)}`);
    await expect(m.lastReply()).toHaveText(
      "Line too long: the console takes at most 65536 characters. For a large value use a script's $bytes(N) or DEBUG POPULATE.",
    );
    await m.run("EXISTS huge");
    await expect(m.lastReply()).toHaveText("(integer) 0");
  });
});

test.describe("hostile scripts", () => {
  test("a script's title, steps and narration full of HTML show as text and never run", async ({
    page,
  }) => {
    const w = await watch(page);
    const playground = new PlaygroundPage(page);
    await playground.open();
    await playground.pause();
    const title = `<img src=x onerror="window.__pwned='title';alert(1)">`;
    const step1 = `<script>window.__pwned='step'</script>`;
    const say1 = `<img src=x onerror="window.__pwned='say'"> javascript:alert(3)`;
    const step2 = `javascript:window.__pwned='step2'`;
    const say2 = `<a href="javascript:window.__pwned='link'">click</a>`;
    const script = [
      `title ${title}`,
      "node m",
      "node r1 replicaof m",
      "settle",
      `step ${step1}`,
      `say ${say1}`,
      `m> SET '<svg/onload=alert(1)>' '<img src=x onerror=alert(2)>'`,
      "settle",
      `step ${step2}`,
      `say ${say2}`,
    ].join("\n");
    await page.getByTestId("script-editor").locator("summary").click();
    await page.getByTestId("editor-text").fill(script);
    await expect(page.getByText("The script parses.")).toBeVisible();
    await page.getByTestId("editor-run").click();
    await playground.setSpeed(100);
    await playground.play();

    const guide = page.getByTestId("guide");
    await expect(guide).toContainText(title);
    const next = page.getByTestId("guide-next");
    await expect(page.getByTestId("guide-status")).toContainText(`Next: ${step1}`, {
      timeout: 30_000,
    });
    await next.click();
    await expect(page.getByTestId("guide-step")).toHaveText(step1);
    await expect(page.getByTestId("guide-narration")).toContainText(say1);
    await expect(page.getByTestId("guide-status")).toContainText(`Next: ${step2}`, {
      timeout: 30_000,
    });
    await next.click();
    await expect(page.getByTestId("guide-step")).toHaveText(step2);
    await expect(page.getByTestId("guide-narration")).toContainText(say2);
    await expect(playground.node("r1").dbsize).toHaveText("1", { timeout: 15_000 });
    await playground.node("r1").tab("Keys").click();
    await expect(page.getByTestId("keys-r1")).toContainText("<svg/onload=alert(1)>");

    expect(
      await page
        .locator("#root img, #root script, #root iframe, #root a[href^=javascript]")
        .count(),
    ).toBe(0);
    expect(await page.locator("[onerror], [onload]").count()).toBe(0);
    expect(await w.pwned()).toBeUndefined();
    expect(w.dialogs).toEqual([]);
    expect(await w.violations()).toEqual([]);
  });
});

test.describe("Content-Security-Policy", () => {
  test("the built page carries a policy with no inline script, no eval and no connections", async ({
    page,
  }) => {
    await page.goto("./");
    const policy = await page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute("content");
    const directives = new Map(
      (policy ?? "").split(";").map((d) => {
        const [name = "", ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get("default-src")).toEqual(["'none'"]);
    // WebAssembly may be compiled (the CRC-64 kernel), nothing else evaluated.
    expect(directives.get("script-src")).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives.get("connect-src")).toEqual(["'none'"]);
    expect(directives.get("object-src")).toEqual(["'none'"]);
    expect(directives.get("base-uri")).toEqual(["'none'"]);
  });

  test("the page runs under it, workers and all, without a single violation", async ({ page }) => {
    const w = await watch(page);
    const playground = new PlaygroundPage(page);
    await playground.open();
    await playground.setSpeed(10);
    await playground.waitForLinksUp("r1", "r2");
    await exercise(page);
    expect(await w.violations()).toEqual([]);
  });

  test("a worker started as the node workers are (a blob: URL) may compile WebAssembly under it", async ({
    page,
  }) => {
    // The blob: workers inherit the page's policy; the CRC-64 kernel needs 'wasm-unsafe-eval'
    // there, or every checksum falls back to JavaScript.
    await page.goto("./");
    const compiled = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const source =
            "try { new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); postMessage('compiled'); }" +
            " catch (e) { postMessage(String(e)); }";
          const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
          const worker = new Worker(url);
          worker.onmessage = (e: MessageEvent<string>) => resolve(e.data);
        }),
    );
    expect(compiled).toBe("compiled");
  });

  test("an injected inline script is refused (the policy is in force)", async ({ page }) => {
    const w = await watch(page);
    await page.goto("./");
    await page.evaluate(() => {
      const s = document.createElement("script");
      s.textContent = "window.__pwned = 'inline'";
      document.body.append(s);
    });
    expect(await w.pwned()).toBeUndefined();
    await expect.poll(() => w.violations()).toContainEqual(expect.stringMatching(/^script-src/));
  });
});

/** What a reader does in a session: commands, every tab, faults, a new replica, a download. */
async function exercise(page: Page): Promise<void> {
  const playground = new PlaygroundPage(page);
  const m = playground.node("m");
  const r1 = playground.node("r1");
  await m.run("SET k v");
  await expect(m.lastReply()).toHaveText("OK");
  await m.run("INFO replication");
  await expect(m.lastReply()).toContainText("role:master");
  await r1.tab("Keys").click();
  await r1.tab("INFO").click();
  await r1.tab("Console").click();
  for (const tab of ["Wire", "Log"]) {
    const t = page.getByRole("tab", { name: tab, exact: true });
    if ((await t.count()) > 0) await t.click();
  }
  await r1.button("Crash").click();
  await expect(r1.role).toHaveText("crashed", { timeout: 15_000 });
  await r1.button("Restart").click();
  await playground.waitForLinksUp("r1");
  await m.tab("Keys").click();
  const download = page.waitForEvent("download");
  await m.button("Download dump.rdb").click();
  await download;
  // A built-in lesson: its script is in the page already, and its run starts new workers.
  await page.getByTestId("scenario-picker").selectOption("partial-resync");
  await expect(page.getByTestId("guide")).toContainText("Partial resync", { timeout: 15_000 });
  await expect(page.getByTestId("guide-status")).toContainText("Next:", { timeout: 30_000 });
}

test.describe("embedded", () => {
  test("in a host page the playground runs under its policy and asks for nothing after load", async ({
    page,
  }) => {
    const w = await watch(page);
    await page.goto("./embed-example.html");
    await expect(page.locator("#status")).toHaveText("The playground is ready.", {
      timeout: 30_000,
    });
    await page.waitForLoadState("networkidle");
    const requests: Request[] = [];
    page.on("request", (r) => requests.push(r));
    // The host page drives it: play, Next to the first step, a console command.
    const frame = page.frameLocator("#playground");
    const events = page.locator("#events");
    await page.getByRole("button", { name: "Play", exact: true }).click();
    await expect(frame.getByTestId("guide-next")).toBeEnabled({ timeout: 30_000 });
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await expect(events).toContainText(/step 1 of \d+: /, { timeout: 30_000 });
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await expect(events).toContainText("m: OK", { timeout: 10_000 });

    const embedded = page.frames().find((f) => f.url().includes("embed=1"));
    if (!embedded) throw new Error("no playground frame");
    const violations = await embedded.evaluate(
      () => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? null,
    );
    expect(violations).toEqual([]);
    expect(await w.violations()).toEqual([]);
    const network = requests.filter((r) => !/^(blob|data):/.test(r.url()));
    expect(network.map((r) => `${r.method()} ${r.url()}`)).toEqual([]);
    expect(w.dialogs).toEqual([]);
  });
});

test.describe("network", () => {
  test("once loaded, the page asks the network for nothing", async ({ page }) => {
    const playground = new PlaygroundPage(page);
    await playground.open();
    await page.waitForLoadState("networkidle");
    await playground.setSpeed(10);
    await playground.waitForLinksUp("r1", "r2");
    const requests: Request[] = [];
    page.on("request", (r) => requests.push(r));
    await exercise(page);
    await page.waitForTimeout(1000);
    // A started process runs the worker code the page already holds, from a blob: URL.
    const network = requests.filter((r) => !/^(blob|data):/.test(r.url()));
    expect(network.map((r) => `${r.method()} ${r.url()}`)).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
  });
});
