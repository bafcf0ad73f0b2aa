import { parseScenario } from "../../scenario/parse";
import type { PlaygroundActions } from "../runtime";
import type { PlaygroundStore } from "../store/store";
import type { HostMessage, PlaygroundEvent } from "./messages";
import { envelope, validateHostMessage } from "./messages";
import { eventsBetween } from "./storeEvents";

/** The built-in scenarios, by name. */
export interface ScenarioLibrary {
  names(): readonly string[];
  text(name: string): string | undefined;
}

/** The parts of `window` the bridge uses (a test passes its own). */
export interface BridgeWindow {
  readonly parent: { postMessage(message: unknown, targetOrigin: string): void };
  addEventListener(type: "message", listener: (e: MessageEvent) => void): void;
  removeEventListener(type: "message", listener: (e: MessageEvent) => void): void;
}

export interface BridgeOptions {
  readonly win: BridgeWindow;
  /** The host page's origin from `?origin=`, or null to obey any parent (docs/embedding.md). */
  readonly origin: string | null;
  readonly actions: PlaygroundActions;
  readonly store: PlaygroundStore;
  readonly library: ScenarioLibrary;
  readonly warn: (text: string) => void;
}

const WHO = "Redis Replication Playground";

/**
 * The playground's end of the postMessage API (docs/embedding.md): obeys
 * only its parent window (and, with `?origin=`, only that origin), checks
 * every message against the schema before it does anything, answers with
 * `accepted` or `rejected`, and tells the parent what happens (steps, roles,
 * replies) and how tall the content is. Replies go to the parent window
 * alone: to the pinned origin, else to the origin of the parent's last
 * accepted message, else (before any message) to any origin, since `ready`
 * and `height` say nothing the embedding page did not choose itself.
 */
export class EmbedBridge {
  private replyOrigin: string;
  private lastHeight = -1;

  constructor(private readonly options: BridgeOptions) {
    this.replyOrigin = options.origin ?? "*";
  }

  /** Starts listening and reporting; posts `ready`. Returns the function that stops it. */
  start(scenario: string | null): () => void {
    const { win, store } = this.options;
    const onMessage = (e: MessageEvent) => this.receive(e);
    win.addEventListener("message", onMessage);
    const unsubscribe = store.subscribe((next, prev) => {
      for (const event of eventsBetween(prev, next)) this.post(event);
    });
    this.post({ type: "ready", scenario, nodes: store.getState().order });
    return () => {
      win.removeEventListener("message", onMessage);
      unsubscribe();
    };
  }

  /** Tells the parent the content's height when it changed (the iframe sizes itself to it). */
  reportHeight(px: number): void {
    const rounded = Math.ceil(px);
    if (rounded === this.lastHeight) return;
    this.lastHeight = rounded;
    this.post({ type: "height", px: rounded });
  }

  /** One message from anywhere: obeyed only when it comes from the parent and fits the schema. */
  receive(e: Pick<MessageEvent, "data" | "origin" | "source">): void {
    const { win, origin, warn } = this.options;
    if (e.source !== win.parent) {
      warn(`${WHO} ignored a message that did not come from its parent window.`);
      return;
    }
    if (origin !== null && e.origin !== origin) {
      warn(`${WHO} ignored a message from ${e.origin}: it obeys only ${origin} (?origin=).`);
      return;
    }
    const checked = validateHostMessage(e.data);
    if (!checked.ok) {
      warn(`${WHO} ignored a message: ${checked.reason}.`);
      this.post({ type: "rejected", id: idOf(e.data), reason: checked.reason });
      return;
    }
    if (origin === null && e.origin !== "null" && e.origin !== "") this.replyOrigin = e.origin;
    const problem = this.carryOut(checked.message);
    if (problem !== null) {
      warn(`${WHO} did not carry out "${checked.message.type}": ${problem}.`);
      this.post({ type: "rejected", id: checked.message.id ?? null, reason: problem });
    } else if (checked.message.type !== "getState") {
      this.post({
        type: "accepted",
        id: checked.message.id ?? null,
        request: checked.message.type,
      });
    }
  }

  /** Runs a valid message with the page's own actions; returns why it could not, or null. */
  private carryOut(m: HostMessage): string | null {
    const { actions, store, library } = this.options;
    switch (m.type) {
      case "play":
        actions.setPaused(false);
        return null;
      case "pause":
        actions.setPaused(true);
        return null;
      case "step":
        actions.step();
        return null;
      case "next":
        actions.nextStep();
        return null;
      case "back":
        actions.previousStep();
        return null;
      case "seek":
        actions.seek(m.tUs);
        return null;
      case "command": {
        const order = store.getState().order;
        if (!order.includes(m.node))
          return `there is no node "${m.node}" (nodes: ${order.join(", ") || "none"})`;
        actions.submitLine(m.node, m.line);
        return null;
      }
      case "getState":
        this.post(stateEvent(store, m.id ?? null));
        return null;
      case "load": {
        let text: string;
        let name: string | undefined;
        if ("scenario" in m) {
          const found = library.text(m.scenario);
          if (found === undefined)
            return `there is no built-in scenario "${m.scenario}" (known: ${library.names().join(", ")})`;
          text = found;
          name = m.scenario;
        } else {
          text = m.script;
          name = m.name;
        }
        const parsed = parseScenario(text, name ?? "<script>");
        if (!parsed.ok) {
          const first = parsed.errors[0];
          const where = first ? `line ${first.line}, column ${first.column}: ${first.message}` : "";
          return `the script does not parse (${where})`;
        }
        actions.loadScript(text, {
          ...(name !== undefined ? { name } : {}),
          ...(m.seekUs !== undefined ? { seekUs: m.seekUs } : {}),
          ...(m.autoplay !== undefined ? { autoplay: m.autoplay } : {}),
        });
        return null;
      }
    }
  }

  private post(event: PlaygroundEvent): void {
    this.options.win.parent.postMessage(envelope(event), this.replyOrigin);
  }
}

/** The `state` event: what the page shows now. */
function stateEvent(store: PlaygroundStore, id: string | number | null): PlaygroundEvent {
  const s = store.getState();
  return {
    type: "state",
    id,
    nowUs: s.now,
    paused: s.paused,
    scenario: s.script.name,
    step: s.script.currentStep,
    nodes: s.order
      .filter((n) => s.nodes[n]?.kind !== "sentinel")
      .map((n) => ({
        name: n,
        role: s.nodes[n]?.role ?? "master",
        running: s.nodes[n]?.running ?? false,
        offset: s.views[n]?.masterReplOffset ?? null,
      })),
  };
}

/** The `id` of a rejected message, when it has a usable one, so the host can match the answer. */
function idOf(data: unknown): string | number | null {
  if (typeof data !== "object" || data === null) return null;
  try {
    const id = (data as { id?: unknown }).id;
    return (typeof id === "string" && id.length <= 200) ||
      (typeof id === "number" && Number.isFinite(id))
      ? id
      : null;
  } catch {
    return null;
  }
}
