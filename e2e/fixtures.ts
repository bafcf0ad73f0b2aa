import { test as base, expect } from "@playwright/test";
import type { Locator, Page } from "@playwright/test";

/** One node of the page: its panel, its console and its circle in the topology. */
export class NodeObject {
  readonly panel: Locator;
  readonly role: Locator;
  readonly link: Locator;
  readonly offset: Locator;
  readonly dbsize: Locator;
  readonly input: Locator;
  readonly replies: Locator;
  readonly topologyNode: Locator;
  readonly topologyKeys: Locator;
  readonly replId: Locator;
  readonly replId2: Locator;

  constructor(
    readonly page: Page,
    readonly name: string,
  ) {
    this.panel = page.getByTestId(`node-panel-${name}`);
    this.role = page.getByTestId(`role-${name}`);
    this.link = page.getByTestId(`link-${name}`);
    this.offset = page.getByTestId(`offset-${name}`);
    this.dbsize = page.getByTestId(`dbsize-${name}`);
    this.input = page.getByRole("textbox", { name: `${name}:6379> command for ${name}` });
    this.replies = page.getByTestId(`console-${name}`).getByTestId("console-reply");
    this.topologyNode = page.getByTestId(`topology-node-${name}`);
    this.topologyKeys = page.getByTestId(`topology-keys-${name}`);
    this.replId = page.getByTestId(`replid-${name}`);
    this.replId2 = page.getByTestId(`replid2-${name}`);
  }

  /** One of the node's action buttons (Crash, Promote, Cut link, …). */
  button(name: string): Locator {
    return this.panel.getByRole("button", { name, exact: true });
  }

  /** Types a command into the node's console and presses Enter, as a reader would. */
  async run(command: string): Promise<void> {
    await this.input.fill(command);
    await this.input.press("Enter");
  }

  /** The reply printed last in the console. */
  lastReply(): Locator {
    return this.replies.last();
  }

  tab(name: "Console" | "Keys" | "INFO"): Locator {
    return this.panel.getByRole("tab", { name: new RegExp(`^${name}`) });
  }

  /** The row of a key in the node's Keys tab (open the tab first). */
  keyRow(key: string): Locator {
    return this.panel.locator(`tr[data-key="${key}"]`);
  }

  async offsetValue(): Promise<number> {
    return Number(await this.offset.textContent());
  }
}

/** The playground page: playback controls and the nodes. */
export class PlaygroundPage {
  readonly playPause: Locator;
  readonly stepButton: Locator;
  readonly clock: Locator;
  readonly eventLog: Locator;

  constructor(readonly page: Page) {
    this.playPause = page.getByTestId("play-pause");
    this.stepButton = page.getByTestId("step");
    this.clock = page.getByTestId("clock");
    this.eventLog = page.getByTestId("event-log");
  }

  async open(): Promise<void> {
    await this.page.goto("./");
    await expect(this.page.getByRole("heading", { level: 1 })).toHaveText(
      "Redis Replication Playground",
    );
  }

  node(name: string): NodeObject {
    return new NodeObject(this.page, name);
  }

  /** Waits (virtual time running) until every named replica reports its link up. */
  async waitForLinksUp(...replicas: string[]): Promise<void> {
    for (const name of replicas) {
      await expect(this.node(name).link).toHaveText("link up", { timeout: 30_000 });
    }
  }

  async pause(): Promise<void> {
    if ((await this.playPause.getAttribute("aria-label")) === "Pause") await this.playPause.click();
    await expect(this.playPause).toHaveAttribute("aria-label", "Play");
  }

  async setSpeed(speed: number): Promise<void> {
    await this.page.getByTestId("speed").selectOption(String(speed));
  }

  async play(): Promise<void> {
    if ((await this.playPause.getAttribute("aria-label")) === "Play") await this.playPause.click();
    await expect(this.playPause).toHaveAttribute("aria-label", "Pause");
  }

  /** Virtual time in microseconds, as the clock shows it. */
  async timeUs(): Promise<number> {
    return Number(await this.clock.getAttribute("data-time-us"));
  }

  /**
   * Steps virtual time event by event until `done` holds, instead of sleeping:
   * what the page shows then is exactly what the engine reached.
   */
  async stepUntil(done: () => Promise<boolean>, maxSteps = 50): Promise<void> {
    for (let i = 0; i < maxSteps; i++) {
      if (await done()) return;
      const before = await this.timeUs();
      await this.stepButton.click();
      // A step is done when virtual time has moved.
      await expect.poll(() => this.timeUs(), { timeout: 5_000 }).toBeGreaterThan(before);
    }
    if (!(await done())) throw new Error(`not reached after ${maxSteps} steps`);
  }
}

export const test = base.extend<{ playground: PlaygroundPage }>({
  playground: async ({ page }, use) => {
    const playground = new PlaygroundPage(page);
    await playground.open();
    await use(playground);
  },
});

export { expect };
