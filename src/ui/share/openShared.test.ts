import { describe, expect, it } from "vitest";
import { parseScenario } from "../../scenario/parse";
import { builtin } from "../session/builtins";
import { EMPTY_PLAYGROUND, sharedScript } from "./openShared";
import { noticeStore } from "./pageNotice";
import { encodeShare } from "./shareLink";
import { builtinText } from "./builtinText";

describe("opening a share link from the address", () => {
  it("opens nothing when the fragment holds no link", async () => {
    expect(await sharedScript("")).toBeNull();
    expect(await sharedScript("#section-2")).toBeNull();
  });

  it("opens a built-in with the reader's actions, paused at the moment shown", async () => {
    const lesson = builtin("partial-resync");
    if (!lesson) throw new Error("the library should have partial-resync");
    const token = await encodeShare(
      {
        name: "partial-resync",
        script: lesson.text,
        actions: [{ t: 9_000_000, line: "m> SET mine yes" }],
        seed: 1,
        positionUs: 9_500_000,
        doneAtUs: 8_000_000,
        nexts: [{ t: 100, seq: 3 }],
      },
      builtinText,
    );
    const opened = await sharedScript(`#share=${token}`);
    expect(opened).toEqual({
      text: `${lesson.text.replace(/\n+$/, "")}\nadvance 1s\nm> SET mine yes\n`,
      name: "partial-resync",
      seekUs: 9_500_000,
      nexts: [{ t: 100, seq: 3 }],
      autoplay: false,
    });
    // What opens is a script the runner's parser accepts.
    expect(parseScenario(opened?.text ?? "", "shared").ok).toBe(true);
    expect(noticeStore.getState().notice).toBeNull();
  });

  it("opens an empty playground and says why for a link that does not decode", async () => {
    const opened = await sharedScript("#share=v1.@@@");
    expect(opened).toEqual({ text: EMPTY_PLAYGROUND, autoplay: false });
    expect(parseScenario(EMPTY_PLAYGROUND, "empty").ok).toBe(true);
    expect(noticeStore.getState().notice).toEqual({
      kind: "error",
      text: 'This share link cannot be opened: character 1 ("@") is not URL-safe base64. The playground below is empty: pick a scenario to start.',
    });
  });
});
