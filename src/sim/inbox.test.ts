import { describe, expect, it } from "vitest";
import { Inbox } from "./inbox";

describe("an inbox", () => {
  it("holds a step back until every message it counts on has arrived", () => {
    const inbox = new Inbox<string>();
    inbox.push("a", "a1");
    expect(inbox.take({ a: 1, b: 1 })).toBeNull();
    inbox.push("b", "b1");
    expect(inbox.take({ a: 1, b: 1 })).toEqual(["a1", "b1"]);
  });

  it("leaves what a fast peer already sent for the next step", () => {
    const inbox = new Inbox<string>();
    inbox.push("a", "a1");
    inbox.push("a", "a2");
    expect(inbox.take({ a: 1 })).toEqual(["a1"]);
    expect(inbox.take({ a: 1 })).toEqual([]);
    expect(inbox.take({ a: 2 })).toEqual(["a2"]);
  });

  it("counts from zero on a new channel", () => {
    const inbox = new Inbox<string>();
    inbox.push("a", "old");
    expect(inbox.take({ a: 1 })).toEqual(["old"]);
    inbox.reset("a");
    inbox.push("a", "new");
    expect(inbox.take({ a: 1 })).toEqual(["new"]);
  });
});
