import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { HostMessage } from "./messages";
import { PROTOCOL, validateHostMessage } from "./messages";

const envelope = { protocol: PROTOCOL, version: 1 };

const validMessage: fc.Arbitrary<HostMessage> = fc.oneof(
  fc.constantFrom("play", "pause", "step", "next", "back", "getState").map((type) => ({ type })),
  fc.record({ type: fc.constant("seek"), tUs: fc.maxSafeNat() }),
  fc.record({
    type: fc.constant("command"),
    node: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/[\r\n]/.test(s)),
    line: fc.string({ maxLength: 80 }).filter((s) => !/[\r\n]/.test(s)),
  }),
  fc.record(
    {
      type: fc.constant("load"),
      scenario: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !/[\r\n]/.test(s)),
      seekUs: fc.maxSafeNat(),
      autoplay: fc.boolean(),
    },
    { requiredKeys: ["type", "scenario"] },
  ),
  fc.record(
    {
      type: fc.constant("load"),
      script: fc.string({ maxLength: 200 }),
      name: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !/[\r\n]/.test(s)),
      seekUs: fc.maxSafeNat(),
      autoplay: fc.boolean(),
    },
    { requiredKeys: ["type", "script"] },
  ),
);

const withId = fc
  .tuple(
    validMessage,
    fc.option(fc.oneof(fc.string({ maxLength: 20 }), fc.integer()), { nil: undefined }),
  )
  .map(([m, id]) => (id === undefined ? m : { ...m, id }));

/** Values shaped like messages with one thing changed: the cases a validator gets wrong. */
const nearMiss = fc
  .tuple(withId, fc.string({ maxLength: 10 }), fc.anything())
  .map(([m, key, value]) => ({ ...envelope, ...m, [key]: value }));

describe("host message validation", () => {
  it("accepts every well-formed message as exactly itself", () => {
    fc.assert(
      fc.property(withId, (m) => {
        expect(validateHostMessage({ ...envelope, ...m })).toEqual({ ok: true, message: m });
      }),
    );
  });

  it("gives a message or a reason for any value, and never throws", () => {
    const anyValue = fc.oneof(
      fc.anything({ withNullPrototype: true, withMap: true, withSet: true, withTypedArray: true }),
      nearMiss,
      withId.map((m) => ({ ...m, protocol: PROTOCOL, version: 2 })),
      withId,
    );
    fc.assert(
      fc.property(anyValue, (v) => {
        const r = validateHostMessage(v);
        if (r.ok) {
          // Accepted only when it really is well formed: validating it again gives itself.
          expect(validateHostMessage({ ...envelope, ...r.message })).toEqual(r);
        } else {
          expect(r.reason.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("rejects a field the message type does not have, naming it", () => {
    expect(validateHostMessage({ ...envelope, type: "play", speed: 2 })).toEqual({
      ok: false,
      reason: 'a "play" message has no field "speed"',
    });
    expect(validateHostMessage({ ...envelope, type: "seek", tus: 5 })).toEqual({
      ok: false,
      reason: 'a "seek" message has no field "tus"',
    });
  });

  it("names what is wrong with a message that is not for it", () => {
    const reason = (v: unknown) => {
      const r = validateHostMessage(v);
      return r.ok ? "accepted" : r.reason;
    };
    expect(reason("play")).toBe('it is "play", not an object');
    expect(reason([1])).toBe("it is an array, not an object");
    expect(reason({ type: "play" })).toBe(`its "protocol" is not "${PROTOCOL}"`);
    expect(reason({ protocol: PROTOCOL, type: "play" })).toBe(
      'its "version" is missing; this playground speaks version 1',
    );
    expect(reason({ ...envelope, version: 2, type: "play" })).toBe(
      'its "version" is 2; this playground speaks version 1',
    );
    expect(reason({ ...envelope, type: "eval" })).toMatch(
      /^its "type" "eval" is not one of load, play/,
    );
    expect(reason({ ...envelope, type: "seek", tUs: -1 })).toMatch(/"seek" needs "tUs"/);
    expect(reason({ ...envelope, type: "seek", tUs: 1.5 })).toMatch(/"seek" needs "tUs"/);
    expect(
      reason({ ...envelope, type: "command", node: "m", line: "SET a b\r\nFLUSHALL" }),
    ).toMatch(/one line/);
    expect(reason({ ...envelope, type: "load" })).toBe(
      '"load" needs either "scenario" (a name) or "script"',
    );
    expect(reason({ ...envelope, type: "load", scenario: "a", script: "b" })).toBe(
      '"load" needs either "scenario" (a name) or "script"',
    );
    expect(reason({ ...envelope, type: "load", scenario: "a", autoplay: "yes" })).toBe(
      '"load": "autoplay" must be true or false',
    );
    expect(reason({ ...envelope, type: "play", id: { nested: true } })).toMatch(/"id" must be/);
  });

  it("does not read inherited properties as fields", () => {
    const proto = { ...envelope, type: "play" };
    expect(validateHostMessage(Object.create(proto))).toEqual({
      ok: false,
      reason: `its "protocol" is not "${PROTOCOL}"`,
    });
  });

  it("answers a value whose properties throw with a reason", () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("boom");
        },
        ownKeys() {
          throw new Error("boom");
        },
        getOwnPropertyDescriptor() {
          throw new Error("boom");
        },
      },
    );
    expect(validateHostMessage(hostile)).toEqual({
      ok: false,
      reason: "the message could not be read",
    });
  });
});
