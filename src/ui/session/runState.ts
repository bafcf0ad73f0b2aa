import type { Script } from "../../scenario/ast";
import type { TranscriptEntry } from "../../scenario/interpreter";
import { afterPathFault } from "../store/pathSettings";
import { appendConsole } from "../store/reduceTrace";
import type { PlaygroundStore } from "../store/store";
import type { PageCluster } from "./gatedCluster";
import type { TimedAction } from "./pageActions";
import { applyAction } from "./pageActions";
import { allLines, unquote } from "./scriptInfo";
import { ScriptRun } from "./scriptRun";

/**
 * One run being carried out: a script's execution on a cluster, the reader's
 * actions (those applied so far, then those recorded for later when the run
 * is a replay of a past one), and the store its transcript is written to
 * (a scratch store while it is rebuilt, then the page's).
 */
export class RunState {
  readonly run: ScriptRun;
  /** Actions of `actions` applied so far. */
  cursor = 0;
  private lastCommandNode: string | null = null;
  private lastInfoLine = -1;
  private readonly infoNode = new Map<number, { name: string; section: string }>();

  constructor(
    script: Script,
    readonly cluster: PageCluster,
    public store: PlaygroundStore,
    public actions: TimedAction[],
  ) {
    for (const l of allLines(script)) {
      if (l.kind === "info") this.infoNode.set(l.line, { name: l.name, section: l.section });
    }
    this.run = new ScriptRun(
      script,
      cluster,
      (e) => this.onEntry(e),
      (fault) => this.store.setState((s) => afterPathFault(s, fault) ?? s),
    );
  }

  /** The next recorded action not applied yet. */
  pending(): TimedAction | undefined {
    return this.actions[this.cursor];
  }

  /** Whether the next recorded action is due now (a Next only when `withNext`: live, the reader says it). */
  actionDue(withNext: boolean): boolean {
    const a = this.pending();
    if (!a || a.t > this.cluster.now() || a.seq > this.run.bursts) return false;
    if (a.action.kind !== "next") return true;
    return withNext && this.run.block?.kind === "step";
  }

  /** Applies the next recorded action. */
  async applyPending(): Promise<void> {
    const a = this.actions[this.cursor++];
    if (!a) return;
    if (a.action.kind === "next") await this.run.resume();
    else await applyAction(this.cluster, this.store, a.action);
  }

  /**
   * Carries out whatever is due now, in the order it first happened:
   * recorded actions, then the script when its time has come.
   */
  async catchUp(withNext: boolean): Promise<void> {
    for (;;) {
      if (this.actionDue(withNext)) await this.applyPending();
      else if (this.run.due()) await this.run.resume();
      else return;
    }
  }

  /** The transcript goes where the reader looks: commands and `info` to the node's console, `step`/`say` to the narration. */
  private onEntry(entry: TranscriptEntry): void {
    this.store.setState((s) => {
      switch (entry.kind) {
        case "command": {
          const at = entry.text.indexOf("> ");
          const node = entry.text.slice(0, at);
          this.lastCommandNode = node;
          return appendConsole(s, node, [{ kind: "input", text: entry.text.slice(at + 2) }]);
        }
        case "reply": {
          const node = this.lastCommandNode;
          if (node === null) return s;
          const kind = entry.text.startsWith("(error)") ? "error" : "reply";
          return appendConsole(s, node, [{ kind, text: entry.text }]);
        }
        case "info": {
          const info = this.infoNode.get(entry.line);
          if (!info) return s;
          const first = this.lastInfoLine !== entry.line;
          this.lastInfoLine = entry.line;
          const reply = { kind: "reply" as const, text: entry.text };
          const lines = first
            ? [{ kind: "input" as const, text: `INFO ${info.section}` }, reply]
            : [reply];
          return appendConsole(s, info.name, lines);
        }
        case "step": {
          this.lastInfoLine = -1;
          const index = s.script.steps.findIndex((st) => st.line === entry.line);
          // Past the step: running again (the burst's end sets the status it ends in).
          // The log notes where each step began, so it reads as the lesson's chapters.
          return {
            ...s,
            log: [
              ...s.log,
              {
                id: s.nextId,
                t: entry.t,
                node: null,
                kind: "process",
                level: null,
                text: `Step: ${unquote(entry.text.replace(/^== /, ""))}`,
              },
            ],
            nextId: s.nextId + 1,
            script: {
              ...s.script,
              currentStep: index >= 0 ? index : s.script.currentStep + 1,
              narration: [],
              status: "running",
            },
          };
        }
        case "say":
          return {
            ...s,
            script: {
              ...s.script,
              narration: [...s.script.narration, { line: entry.line, text: unquote(entry.text) }],
            },
          };
      }
    });
    if (entry.kind !== "info") this.lastInfoLine = -1;
  }
}
