import type { LoadScriptOptions, PlaygroundActions } from "../runtime";
import { builtinText } from "./builtinText";
import { showNotice } from "./pageNotice";
import { decodeShare, shareTokenFrom } from "./shareLink";
import { scriptToOpen } from "./sharedRun";

/** What a share link that does not open leaves: a playground with no nodes, and the notice saying why. */
export const EMPTY_PLAYGROUND = "title An empty playground\n";

export type SharedScript = LoadScriptOptions & { readonly text: string };

/**
 * The script a share link in the address opens, paused at the moment it
 * shows; null when the address holds no link. A link that does not decode
 * opens an empty playground with a notice naming what is wrong.
 */
export async function sharedScript(hash: string): Promise<SharedScript | null> {
  const token = shareTokenFrom(hash);
  if (token === null) return null;
  const decoded = await decodeShare(token, builtinText);
  if (!decoded.ok) {
    showNotice({
      kind: "error",
      text: `${decoded.message} The playground below is empty: pick a scenario to start.`,
    });
    return { text: EMPTY_PLAYGROUND, autoplay: false };
  }
  showNotice(decoded.notice === null ? null : { kind: "info", text: decoded.notice });
  const open = scriptToOpen(decoded.run);
  return {
    text: open.text,
    ...(open.name !== null ? { name: open.name } : {}),
    seekUs: open.seekUs,
    nexts: open.nexts,
    autoplay: false,
  };
}

/** Opens the share link the address holds now (one pasted into the address bar of the open page). */
export function openSharedLink(actions: PlaygroundActions): void {
  void sharedScript(window.location.hash).then((s) => {
    if (s !== null) actions.loadScript(s.text, s);
  });
}
