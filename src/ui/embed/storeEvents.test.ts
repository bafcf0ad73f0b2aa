import { describe, expect, it } from "vitest";
import { appendConsole, reduceTrace } from "../store/reduceTrace";
import type { PlaygroundState } from "../store/state";
import { CONSOLE_CLIENT, initialState } from "../store/state";
import { eventsBetween } from "./storeEvents";

function started(): PlaygroundState {
  return reduceTrace(initialState(), [
    {
      t: 0,
      type: "nodeStarted",
      node: "m",
      ip: "10.0.0.1",
      runId: "a".repeat(40),
      replicaOf: null,
    },
    {
      t: 0,
      type: "nodeStarted",
      node: "r1",
      ip: "10.0.0.2",
      runId: "b".repeat(40),
      replicaOf: "m",
    },
  ]);
}

describe("events for the host page", () => {
  it("report a reply printed on a node's console, once", () => {
    const before = appendConsole(started(), "m", [{ kind: "input", text: "SET k v" }], 1);
    const after = reduceTrace(before, [
      {
        t: 5,
        type: "reply",
        node: "m",
        client: CONSOLE_CLIENT,
        reply: { type: "simple", value: "OK" },
      },
    ]);
    expect(eventsBetween(before, after)).toEqual([
      { type: "reply", node: "m", text: "OK", error: false },
    ]);
    const again = reduceTrace(after, [
      {
        t: 6,
        type: "reply",
        node: "m",
        client: CONSOLE_CLIENT,
        reply: { type: "error", value: "ERR unknown command 'FOO', with args beginning with: " },
      },
    ]);
    expect(eventsBetween(after, again)).toEqual([
      {
        type: "reply",
        node: "m",
        text: "(error) ERR unknown command 'FOO', with args beginning with: ",
        error: true,
      },
    ]);
  });

  it("report a node that became a master", () => {
    const before = started();
    const after = reduceTrace(before, [
      {
        t: 9,
        type: "process",
        node: "r1",
        event: { type: "role", role: "master", masterHost: null },
      },
    ]);
    expect(eventsBetween(before, after)).toEqual([
      { type: "roleChanged", node: "r1", role: "master" },
    ]);
  });

  it("report the step the guided run went past", () => {
    const base = started();
    const steps = [
      { title: "A replica connects", line: 5 },
      { title: "The master drops it", line: 12 },
    ];
    const before: PlaygroundState = { ...base, script: { ...base.script, steps, currentStep: 0 } };
    const after: PlaygroundState = { ...before, script: { ...before.script, currentStep: 1 } };
    expect(eventsBetween(before, after)).toEqual([
      { type: "stepReached", index: 1, title: "The master drops it", count: 2 },
    ]);
    expect(eventsBetween(after, after)).toEqual([]);
  });

  it("report an acknowledged write the ledger marks lost, once", () => {
    const entry = {
      id: 0,
      client: "app",
      command: ["SET", "order:1", "paid"],
      node: "m",
      replId: "a".repeat(40),
      offset: 120,
      ackedAt: 1_000,
      waited: null,
      lost: null,
    };
    const held: PlaygroundState = { ...started(), ledger: { entries: [entry], stale: [] } };
    const lost: PlaygroundState = {
      ...held,
      ledger: { entries: [{ ...entry, lost: { from: 2_000, to: 9_000 } }], stale: [] },
    };
    expect(eventsBetween(held, lost)).toEqual([
      {
        type: "writeLost",
        client: "app",
        node: "m",
        command: ["SET", "order:1", "paid"],
        ackedAtUs: 1_000,
        lostFromUs: 2_000,
        lostToUs: 9_000,
        lostCount: 1,
      },
    ]);
    const later: PlaygroundState = { ...lost, ledger: { ...lost.ledger } };
    expect(eventsBetween(lost, later)).toEqual([]);
  });

  it("do not replay every reply when time travel rebuilds the consoles", () => {
    const live = reduceTrace(appendConsole(started(), "m", [{ kind: "input", text: "GET k" }], 1), [
      {
        t: 5,
        type: "reply",
        node: "m",
        client: CONSOLE_CLIENT,
        reply: { type: "bulk", value: "v" },
      },
    ]);
    // A rebuilt run: the same lines, new objects, from a fresh store.
    const rebuilt = reduceTrace(
      appendConsole(started(), "m", [{ kind: "input", text: "GET k" }], 1),
      [
        {
          t: 5,
          type: "reply",
          node: "m",
          client: CONSOLE_CLIENT,
          reply: { type: "bulk", value: "v" },
        },
      ],
    );
    expect(eventsBetween(live, rebuilt)).toEqual([]);
  });
});
