import type { ByteString } from "../../engine/bytes";
import type { VirtualTime } from "../../engine/io";
import type { Fault } from "../../sim/cluster";
import { commandLine, faultLine } from "../script/actionScript";
import { appendConsole } from "../store/reduceTrace";
import { hideNode } from "../nodes/removeNode";
import { afterPathFault } from "../store/pathSettings";
import { CONSOLE_CLIENT } from "../store/state";
import type { PlaygroundStore } from "../store/store";
import type { PageCluster } from "./gatedCluster";

/** The group name the page's Sentinels monitor their master under (as in Redis's docs). */
export const SENTINEL_GROUP = "mymaster";

/** The configuration the page gives the nodes the reader adds (as the default script's `config` lines). */
export type NodeConfig = ReadonlyMap<string, string>;

/**
 * What the reader can do to the run. Each is applied by `applyAction` the
 * same way live and in a replay, so a replay rebuilds the same cluster.
 */
export type PageAction =
  /** A command typed or sent by a button, on the node's console client (echoed there). */
  | {
      readonly kind: "command";
      readonly node: string;
      readonly text: string;
      readonly argv: readonly ByteString[];
    }
  | { readonly kind: "fault"; readonly fault: Fault }
  | { readonly kind: "addReplica"; readonly master: string; readonly config: NodeConfig }
  | {
      readonly kind: "writeBurst";
      readonly master: string;
      readonly count: number;
      readonly valueBytes: number;
    }
  | { readonly kind: "loadRdb"; readonly node: string; readonly bytes: ByteString }
  /** Crashes the node if it runs, then hides it from every view (nodes/removeNode.ts). */
  | { readonly kind: "removeNode"; readonly node: string }
  /** A Sentinel watching `master` under the group name `mymaster` (a `sentinel` line). */
  | {
      readonly kind: "addSentinel";
      readonly name: string;
      readonly master: string;
      readonly quorum: number;
    }
  /** The guided "Next": lets the script go past the `step` it stands before. */
  | { readonly kind: "next" };

/** An action with the moment it took effect: virtual time, and how many script blocks had passed. */
export interface TimedAction {
  readonly t: VirtualTime;
  readonly seq: number;
  readonly action: PageAction;
  /** The scenario line it is written as in "Your actions" (null for Next). */
  readonly line: string | null;
}

/**
 * Carries out an action on the cluster (and echoes a command on its
 * console in `store`); returns the scenario line that does the same, or
 * null. `next` is the session's: it is not applied here.
 */
export async function applyAction(
  cluster: PageCluster,
  store: PlaygroundStore,
  action: PageAction,
): Promise<string | null> {
  switch (action.kind) {
    case "command":
      store.setState((s) =>
        appendConsole(s, action.node, [{ kind: "input", text: action.text }], 1),
      );
      await cluster.submit(action.node, CONSOLE_CLIENT, action.argv);
      // The command runs now, in zero virtual time, even while paused.
      await cluster.advance(0);
      return commandLine(action.node, action.argv);
    case "fault": {
      await cluster.fault(action.fault);
      await cluster.advance(0);
      const { fault } = action;
      store.setState((s) => afterPathFault(s, fault) ?? s);
      return faultLine(fault);
    }
    case "removeNode": {
      // No scenario line removes a process; to its peers a removed one is a crashed one.
      let line: string | null = null;
      if (cluster.nodes().includes(action.node) && (await cluster.snapshot(action.node)).running) {
        await cluster.fault({ kind: "crash", node: action.node });
        await cluster.advance(0);
        line = `crash ${action.node}`;
      }
      store.setState((s) => hideNode(s, action.node));
      return line;
    }
    case "addReplica": {
      const taken = new Set(cluster.nodes());
      let n = 1;
      while (taken.has(`r${n}`)) n++;
      await cluster.startNode({ name: `r${n}`, replicaOf: action.master, config: action.config });
      return `node r${n} replicaof ${action.master}`;
    }
    case "writeBurst": {
      const value = "x".repeat(action.valueBytes);
      for (let i = 1; i <= action.count; i++) {
        await cluster.submit(action.master, "writer", ["SET", `burst:${i}`, value]);
      }
      await cluster.advance(0);
      // The same writes as a script line: `$bytes(N)` is N times `x`.
      return `repeat ${action.count} ${action.master}> SET burst:$i $bytes(${action.valueBytes})`;
    }
    case "loadRdb":
      await cluster.loadRdb(action.node, action.bytes);
      // The file loads now, in zero virtual time, even while paused.
      await cluster.advance(0);
      return `# loaded a dump.rdb of ${action.bytes.length} bytes into ${action.node} (not a script line)`;
    case "addSentinel":
      // Redis's defaults (down-after 30 s, failover-timeout 180 s), as a `sentinel` line gives.
      await cluster.startNode({
        kind: "sentinel",
        name: action.name,
        monitors: [
          {
            group: SENTINEL_GROUP,
            masterHost: action.master,
            masterPort: 6379,
            quorum: action.quorum,
          },
        ],
        sentinelConfig: {},
      });
      return `sentinel ${action.name} monitor ${SENTINEL_GROUP} ${action.master} ${action.quorum}`;
    case "next":
      return null;
  }
}
