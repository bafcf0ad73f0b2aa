// The host side of the playground's postMessage API, version 1 (docs/embedding.md).
// Plain JavaScript with no build step: a course page can copy it as it is.

const PROTOCOL = "redis-replication-playground";
const VERSION = 1;

const frame = document.getElementById("playground");
const events = document.getElementById("events");
const status = document.getElementById("status");
// The playground is served from this page's origin here; use its real origin when it is not.
const playgroundOrigin = new URL(frame.src, window.location.href).origin;
let nextId = 1;

/** Sends one command to the playground, with an id its answer will carry. */
function send(type, fields = {}) {
  const id = nextId++;
  frame.contentWindow.postMessage(
    { protocol: PROTOCOL, version: VERSION, type, id, ...fields },
    playgroundOrigin,
  );
  return id;
}

/** Adds a line to the event list (as text: nothing from a message becomes markup). */
function log(text) {
  const item = document.createElement("li");
  item.textContent = text;
  events.append(item);
  item.scrollIntoView({ block: "nearest" });
}

window.addEventListener("message", (e) => {
  // Only the frame's messages, from its origin, in this protocol.
  if (e.source !== frame.contentWindow || e.origin !== playgroundOrigin) return;
  const m = e.data;
  if (typeof m !== "object" || m === null || m.protocol !== PROTOCOL || m.version !== VERSION) return;
  switch (m.type) {
    case "height":
      frame.style.height = `${m.px}px`;
      return; // frequent; not logged
    case "ready":
      status.textContent = "The playground is ready.";
      log(`ready (scenario ${m.scenario ?? "none"})`);
      return;
    case "accepted":
      log(`accepted #${m.id}: ${m.request}`);
      return;
    case "rejected":
      log(`rejected #${m.id ?? "?"}: ${m.reason}`);
      return;
    case "stepReached":
      log(`step ${m.index + 1} of ${m.count}: ${m.title}`);
      return;
    case "roleChanged":
      log(`${m.node} is now a ${m.role === "slave" ? "replica" : "master"}`);
      return;
    case "writeLost":
      log(`write lost: ${m.command.join(" ")} (acknowledged by ${m.node}); ${m.lostCount} lost in all`);
      return;
    case "reply":
      log(`${m.node}: ${m.error ? "error " : ""}${m.text}`);
      return;
    case "state":
      log(
        `state: ${m.paused ? "paused" : "playing"} at ${m.nowUs} µs; ` +
          m.nodes.map((n) => `${n.name} ${n.role} offset ${n.offset ?? "?"}`).join(", "),
      );
      return;
    default:
      log(`event ${m.type}`);
  }
});

for (const button of document.querySelectorAll("[data-send]")) {
  button.addEventListener("click", () => send(button.dataset.send));
}
document.getElementById("load").addEventListener("click", () => {
  send("load", { scenario: document.getElementById("scenario").value.trim() });
});
document.getElementById("seek").addEventListener("click", () => {
  send("seek", { tUs: Number(document.getElementById("seek-us").value) });
});
document.getElementById("command").addEventListener("click", () => {
  send("command", {
    node: document.getElementById("node").value.trim(),
    line: document.getElementById("line").value,
  });
});
