/**
 * The postMessage API between a host page and an embedded playground,
 * version 1 (docs/embedding.md). Every message is a plain object
 * `{ protocol, version, type, id?, …fields }`. The host sends commands; the
 * playground answers each with `accepted` or `rejected` and posts events.
 * Nothing in a message is ever executed as code or inserted as HTML: a
 * command's fields are data for the playground's own actions.
 */

export const PROTOCOL = "redis-replication-playground";
export const PROTOCOL_VERSION = 1;

/** The longest script a `load` message may carry, and the longest console line. */
export const MAX_MESSAGE_SCRIPT_CHARS = 1_000_000;
export const MAX_MESSAGE_LINE_CHARS = 65_536;
const MAX_NAME_CHARS = 200;
const MAX_ID_CHARS = 200;

/** A request id the host may attach; replies carry it back. */
export type MessageId = string | number;

/** What a host page may ask, by `type`. */
export type HostCommand =
  /** Opens a built-in scenario by name. */
  | {
      readonly type: "load";
      readonly scenario: string;
      readonly seekUs?: number;
      readonly autoplay?: boolean;
    }
  /** Runs a script the host supplies. */
  | {
      readonly type: "load";
      readonly script: string;
      readonly name?: string;
      readonly seekUs?: number;
      readonly autoplay?: boolean;
    }
  | { readonly type: "play" }
  | { readonly type: "pause" }
  /** Runs to the next visible event (the Step button). */
  | { readonly type: "step" }
  /** The guided Next and Back. */
  | { readonly type: "next" }
  | { readonly type: "back" }
  /** Time travel to a virtual time in microseconds. */
  | { readonly type: "seek"; readonly tUs: number }
  /** A line typed into a node's console, as in redis-cli (`SET k v`). */
  | { readonly type: "command"; readonly node: string; readonly line: string }
  /** Asks for a `state` event. */
  | { readonly type: "getState" };

export type HostMessage = HostCommand & { readonly id?: MessageId };

export type HostMessageType = HostCommand["type"];

export type Validation =
  | { readonly ok: true; readonly message: HostMessage }
  | { readonly ok: false; readonly reason: string };

/** The fields each command may carry besides `protocol`, `version`, `type` and `id`. */
const FIELDS: Readonly<Record<HostMessageType, readonly string[]>> = {
  load: ["scenario", "script", "name", "seekUs", "autoplay"],
  play: [],
  pause: [],
  step: [],
  next: [],
  back: [],
  seek: ["tUs"],
  command: ["node", "line"],
  getState: [],
};

const ENVELOPE = ["protocol", "version", "type", "id"];

/**
 * A host message, or why it is not one. Pure and total: any value gives one
 * of the two, nothing throws, and nothing is run.
 */
export function validateHostMessage(data: unknown): Validation {
  try {
    return validate(data);
  } catch {
    // Structured clones cannot throw on access, but a same-window caller could pass a Proxy.
    return { ok: false, reason: "the message could not be read" };
  }
}

function validate(data: unknown): Validation {
  const no = (reason: string): Validation => ({ ok: false, reason });
  if (typeof data !== "object" || data === null || Array.isArray(data))
    return no(`it is ${describe(data)}, not an object`);
  const o = data as Record<string, unknown>;
  if (!own(o, "protocol") || o.protocol !== PROTOCOL)
    return no(`its "protocol" is not "${PROTOCOL}"`);
  if (!own(o, "version") || o.version !== PROTOCOL_VERSION)
    return no(
      `its "version" is ${describe(o.version)}; this playground speaks version ${PROTOCOL_VERSION}`,
    );
  const type = o.type;
  if (typeof type !== "string" || !own(FIELDS, type))
    return no(`its "type" ${describe(type)} is not one of ${Object.keys(FIELDS).join(", ")}`);
  const t = type as HostMessageType;
  const allowed = FIELDS[t];
  const unknown = Object.keys(o).filter((k) => !ENVELOPE.includes(k) && !allowed.includes(k));
  if (unknown.length > 0)
    return no(`a "${t}" message has no field ${unknown.map((k) => JSON.stringify(k)).join(", ")}`);

  let id: MessageId | undefined;
  if (own(o, "id")) {
    const v = o.id;
    if (typeof v === "string" && v.length <= MAX_ID_CHARS) id = v;
    else if (typeof v === "number" && Number.isFinite(v)) id = v;
    else return no(`its "id" must be a string of up to ${MAX_ID_CHARS} characters or a number`);
  }
  const withId = (c: HostCommand): Validation => ({
    ok: true,
    message: id === undefined ? c : { ...c, id },
  });

  switch (t) {
    case "play":
    case "pause":
    case "step":
    case "next":
    case "back":
    case "getState":
      return withId({ type: t });
    case "seek": {
      if (!isTime(o.tUs)) return no(`"seek" needs "tUs", a whole number of microseconds ≥ 0`);
      return withId({ type: "seek", tUs: o.tUs });
    }
    case "command": {
      const node = o.node;
      const line = o.line;
      if (!isName(node)) return no(`"command" needs "node", a node name`);
      if (typeof line !== "string" || line.length > MAX_MESSAGE_LINE_CHARS || /[\r\n]/.test(line))
        return no(
          `"command" needs "line", one line of at most ${MAX_MESSAGE_LINE_CHARS} characters`,
        );
      return withId({ type: "command", node, line });
    }
    case "load":
      return validateLoad(o, withId);
  }
}

function validateLoad(
  o: Record<string, unknown>,
  withId: (c: HostCommand) => Validation,
): Validation {
  const no = (reason: string): Validation => ({ ok: false, reason });
  const options: { seekUs?: number; autoplay?: boolean } = {};
  if (own(o, "seekUs")) {
    if (!isTime(o.seekUs)) return no(`"load": "seekUs" must be a whole number of microseconds ≥ 0`);
    options.seekUs = o.seekUs;
  }
  if (own(o, "autoplay")) {
    if (typeof o.autoplay !== "boolean") return no(`"load": "autoplay" must be true or false`);
    options.autoplay = o.autoplay;
  }
  const hasScenario = own(o, "scenario");
  const hasScript = own(o, "script");
  if (hasScenario === hasScript) return no(`"load" needs either "scenario" (a name) or "script"`);
  if (hasScenario) {
    if (own(o, "name")) return no(`"load": "name" goes with "script", not "scenario"`);
    if (!isName(o.scenario)) return no(`"load": "scenario" must be a scenario's name`);
    return withId({ type: "load", scenario: o.scenario, ...options });
  }
  const script = o.script;
  if (typeof script !== "string" || script.length > MAX_MESSAGE_SCRIPT_CHARS)
    return no(`"load": "script" must be text of at most ${MAX_MESSAGE_SCRIPT_CHARS} characters`);
  if (own(o, "name")) {
    if (!isName(o.name)) return no(`"load": "name" must be a short name`);
    return withId({ type: "load", script, name: o.name, ...options });
  }
  return withId({ type: "load", script, ...options });
}

function own(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

function isTime(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

function isName(v: unknown): v is string {
  return typeof v === "string" && v.length > 0 && v.length <= MAX_NAME_CHARS && !/[\r\n]/.test(v);
}

/** A short description of a value for a warning (never its whole content). */
function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  switch (typeof v) {
    case "string":
      return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
    case "number":
    case "boolean":
    case "bigint":
      return String(v);
    case "undefined":
      return "missing";
    case "object":
      return "an object";
    default:
      return `a ${typeof v}`;
  }
}

// ---- playground → host ---------------------------------------------------------

/** What the playground posts to its host page. */
export type PlaygroundEvent =
  /** The playground has started and obeys messages from now on. */
  | { readonly type: "ready"; readonly scenario: string | null; readonly nodes: readonly string[] }
  /** The height its content needs, in CSS pixels (size the iframe to it). */
  | { readonly type: "height"; readonly px: number }
  /** A host message was carried out (`load`: the script was accepted and starts). */
  | { readonly type: "accepted"; readonly id: MessageId | null; readonly request: HostMessageType }
  /** A host message was ignored, and why. */
  | { readonly type: "rejected"; readonly id: MessageId | null; readonly reason: string }
  /** The guided run went past a `step` line (`index` from 0). */
  | {
      readonly type: "stepReached";
      readonly index: number;
      readonly title: string;
      readonly count: number;
    }
  /** A node's role changed (a promotion, a REPLICAOF, a restart). */
  | { readonly type: "roleChanged"; readonly node: string; readonly role: "master" | "slave" }
  /**
   * A write acknowledged to an application client that the current master no
   * longer has (the failover ledger): lost between `lostFromUs` and `lostToUs`.
   */
  | {
      readonly type: "writeLost";
      readonly client: string;
      readonly node: string;
      readonly command: readonly string[];
      readonly ackedAtUs: number;
      readonly lostFromUs: number;
      readonly lostToUs: number;
      /** How many acknowledged writes are lost now, this one included. */
      readonly lostCount: number;
    }
  /** The reply a node's console printed for a line (from a `command` message or the reader). */
  | {
      readonly type: "reply";
      readonly node: string;
      readonly text: string;
      readonly error: boolean;
    }
  /** The answer to `getState`. */
  | {
      readonly type: "state";
      readonly id: MessageId | null;
      readonly nowUs: number;
      readonly paused: boolean;
      readonly scenario: string | null;
      readonly step: number;
      readonly nodes: readonly {
        readonly name: string;
        readonly role: "master" | "slave";
        readonly running: boolean;
        readonly offset: number | null;
      }[];
    };

/** An event as it travels: the envelope plus the event. */
export function envelope(event: PlaygroundEvent): Record<string, unknown> {
  return { protocol: PROTOCOL, version: PROTOCOL_VERSION, ...event };
}
