import type { ByteString } from "../engine/bytes";
import type { VirtualTime } from "../engine/io";
import type { Reply } from "../engine/reply";
import type { TraceEvent } from "./trace";

const NO_REPLID = "0".repeat(40);

/** One write acknowledged to an application client, and whether it survived. */
export interface LedgerEntry {
  readonly id: number;
  readonly client: string;
  readonly command: readonly ByteString[];
  /** The server that accepted it, and where in its replication history. */
  readonly node: string;
  readonly replId: string;
  readonly offset: number;
  readonly ackedAt: VirtualTime;
  /** What `WAIT` answered after it (replicas that had it), or null without WAIT. */
  readonly waited: number | null;
  /** The window in which it was lost: last seen held, first seen gone. Null while held. */
  readonly lost: { readonly from: VirtualTime; readonly to: VirtualTime } | null;
}

/** A read that answered an older value than a write acknowledged before it was sent. */
export interface StaleRead {
  readonly client: string;
  readonly command: readonly ByteString[];
  readonly server: string;
  readonly at: VirtualTime;
  readonly got: ByteString | null;
  readonly expected: ByteString | null;
}

export interface LedgerSummary {
  readonly acknowledged: number;
  readonly lost: number;
  readonly staleReads: number;
  readonly entries: readonly LedgerEntry[];
  readonly stale: readonly StaleRead[];
}

/** What the ledger needs of a running redis-server: its replication history now. */
export interface LedgerNodeState {
  readonly node: string;
  readonly replId: string;
  readonly replId2: string;
  readonly secondReplOffset: number;
  /** `master_repl_offset`: on a replica, what it has applied. */
  readonly offset: number;
}

/** A ledger change, as the trace carries it to the page. */
export type LedgerChange =
  | { readonly change: "acknowledged" | "lost" | "found"; readonly entry: LedgerEntry }
  | { readonly change: "staleRead"; readonly read: StaleRead };

/**
 * How long after a loss the ledger keeps looking for the write. A master that
 * crashes right after acknowledging has usually already handed the bytes to
 * the network (the kernel delivers them before the FIN), and a stalled replica
 * applies what waits in its buffers when it wakes; such a write turns up a
 * moment later, and then it was never lost.
 */
const RECHECK_AFTER_LOSS_US = 1_000_000;

interface Held {
  entry: LedgerEntry;
  seenAt: VirtualTime;
}

/**
 * The ledger of writes acknowledged to application clients. It reads the
 * trace: a server's `write` event says where in its replication history
 * (replid, offset) it accepted a named client's write, and the client's
 * `appClient` event says the client was told it succeeded. A write is held
 * while some running server's history contains it: its replid, or through
 * replid2 / second_repl_offset an ancestor replid, up to an offset at least
 * the write's, with the server's own offset past it too. After anything
 * that can discard data (a crash, a promotion, a full resync: a change of
 * replid or role), the owner calls `check` with every running server's
 * state, and writes no one holds any more are marked lost, with the window
 * between the last check that saw them and this one. Reads of a key that
 * answer another value than the latest write acknowledged before the read
 * was sent count as stale.
 */
export class Ledger {
  private readonly parents = new Map<string, { replId2: string; secondReplOffset: number }>();
  private readonly accepted = new Map<string, { node: string; replId: string; offset: number }>();
  private readonly held: Held[] = [];
  /** Writes found lost, in the order they were: a later check may find them after all. */
  private readonly missing: LedgerEntry[] = [];
  private lastLossAt = -Infinity;
  private readonly entries: LedgerEntry[] = [];
  private readonly stale: StaleRead[] = [];
  /** Acknowledged values by key, oldest first (null: deleted; absent: unknown). */
  private readonly values = new Map<ByteString, { at: VirtualTime; value: ByteString | null }[]>();
  private dirty = false;

  /** Takes in trace events; returns the changes they make (acknowledged writes, stale reads). */
  ingest(events: readonly TraceEvent[]): LedgerChange[] {
    const changes: LedgerChange[] = [];
    for (const e of events) {
      if (e.type === "nodeCrashed" || e.type === "nodeStarted") this.dirty = true;
      if (e.type !== "process") continue;
      const ev = e.event;
      switch (ev.type) {
        case "replId":
          if (ev.lineage) {
            // A new replid over the same dataset: its writes live on in the new history.
            this.learnParent(ev.replId, ev.lineage.replId, ev.lineage.offset + 1);
          } else if (ev.replId2 !== NO_REPLID) {
            this.learnParent(ev.replId, ev.replId2, ev.secondReplOffset);
          }
          this.dirty = true;
          break;
        case "role":
          this.dirty = true;
          break;
        case "write":
          this.accepted.set(ev.client, { node: e.node, replId: ev.replId, offset: ev.offset });
          break;
        case "appClient": {
          if (ev.op === "write") {
            const change = this.acknowledge(e.node, e.t, ev.argv, ev.reply, ev.wait?.reply);
            if (change) changes.push(change);
          } else if (ev.op === "read") {
            const change = this.read(e.node, e.t, ev.argv, ev.reply, ev.server, ev.sentAt);
            if (change) changes.push(change);
          }
          break;
        }
        default:
          break;
      }
    }
    return changes;
  }

  /**
   * Whether something happened since the last `check` that may have discarded a
   * held write, or a write was found lost so recently that it may still arrive.
   */
  needsCheck(now: VirtualTime): boolean {
    if (this.missing.length > 0 && now - this.lastLossAt <= RECHECK_AFTER_LOSS_US) return true;
    return this.dirty && this.held.length > 0;
  }

  /** Marks lost every held write that no running server holds any more. */
  check(now: VirtualTime, servers: readonly LedgerNodeState[]): LedgerChange[] {
    this.dirty = false;
    const changes: LedgerChange[] = [];
    for (let i = 0; i < this.held.length;) {
      const h = this.held[i];
      if (!h) break;
      if (servers.some((s) => this.holds(s, h.entry))) {
        h.seenAt = now;
        i++;
        continue;
      }
      const lost: LedgerEntry = { ...h.entry, lost: { from: h.seenAt, to: now } };
      this.entries[lost.id] = lost;
      this.held.splice(i, 1);
      this.missing.push(lost);
      this.lastLossAt = now;
      changes.push({ change: "lost", entry: lost });
    }
    for (let i = 0; i < this.missing.length;) {
      const m = this.missing[i];
      if (!m) break;
      if (!servers.some((s) => this.holds(s, m))) {
        i++;
        continue;
      }
      const found: LedgerEntry = { ...m, lost: null };
      this.entries[found.id] = found;
      this.missing.splice(i, 1);
      this.held.push({ entry: found, seenAt: now });
      changes.push({ change: "found", entry: found });
    }
    return changes;
  }

  summary(): LedgerSummary {
    return {
      acknowledged: this.entries.length,
      lost: this.entries.filter((e) => e.lost !== null).length,
      staleReads: this.stale.length,
      entries: [...this.entries],
      stale: [...this.stale],
    };
  }

  private acknowledge(
    client: string,
    t: VirtualTime,
    argv: readonly ByteString[],
    reply: Reply,
    waited: Reply | undefined,
  ): LedgerChange | null {
    const where = this.accepted.get(client);
    this.accepted.delete(client);
    if (reply.type === "error" || !where) return null;
    const entry: LedgerEntry = {
      id: this.entries.length,
      client,
      command: argv,
      node: where.node,
      replId: where.replId,
      offset: where.offset,
      ackedAt: t,
      waited: waited?.type === "integer" ? waited.value : null,
      lost: null,
    };
    this.entries.push(entry);
    this.held.push({ entry, seenAt: t });
    this.remember(t, argv, reply);
    return { change: "acknowledged", entry };
  }

  /** The value a key holds after an acknowledged write, where the command says it. */
  private remember(t: VirtualTime, argv: readonly ByteString[], reply: Reply): void {
    const name = (argv[0] ?? "").toLowerCase();
    const key = argv[1];
    if (key === undefined) return;
    let value: ByteString | null | undefined;
    if (name === "set" && reply.type === "simple") value = argv[2] ?? "";
    else if (["incr", "decr", "incrby", "decrby"].includes(name) && reply.type === "integer")
      value = String(reply.value);
    else if (name === "del" || name === "unlink") value = null;
    const list = this.values.get(key) ?? [];
    if (value === undefined) {
      // Another kind of write: what the key holds is no longer known.
      this.values.delete(key);
      return;
    }
    list.push({ at: t, value });
    this.values.set(key, list);
    if (name === "del" || name === "unlink") {
      for (const k of argv.slice(2)) this.values.set(k, [{ at: t, value: null }]);
    }
  }

  private read(
    client: string,
    t: VirtualTime,
    argv: readonly ByteString[],
    reply: Reply,
    server: string,
    sentAt: VirtualTime,
  ): LedgerChange | null {
    if ((argv[0] ?? "").toLowerCase() !== "get" || reply.type !== "bulk") return null;
    const key = argv[1] ?? "";
    const known = (this.values.get(key) ?? []).filter((v) => v.at <= sentAt);
    const latest = known[known.length - 1];
    if (!latest || latest.value === reply.value) return null;
    const read: StaleRead = {
      client,
      command: argv,
      server,
      at: t,
      got: reply.value,
      expected: latest.value,
    };
    this.stale.push(read);
    return { change: "staleRead", read };
  }

  /**
   * Where a replid's history leaves its parent's. The promoted server reports
   * the true switch point; a server that joins the new history later with
   * `+CONTINUE` reports its own offset at joining as `second_repl_offset`,
   * which is earlier, though the two histories agree up to the true one. So
   * the furthest point reported for the same parent is the switch point.
   */
  private learnParent(replId: string, replId2: string, secondReplOffset: number): void {
    const known = this.parents.get(replId);
    if (known && (known.replId2 !== replId2 || known.secondReplOffset >= secondReplOffset)) return;
    this.parents.set(replId, { replId2, secondReplOffset });
  }

  /** Whether the server's history runs through the write: its replid lineage, far enough. */
  private holds(s: LedgerNodeState, w: LedgerEntry): boolean {
    let id = s.replId;
    let limit = s.offset;
    // The lineage learnt from every server first: this server's own replid2
    // may name where it joined the history rather than where the history began.
    let parent =
      this.parents.get(id) ??
      (s.replId2 !== NO_REPLID
        ? { replId2: s.replId2, secondReplOffset: s.secondReplOffset }
        : undefined);
    // A lineage is a chain of promotions; the bound only guards against a cycle.
    for (let hops = 0; hops < 1000; hops++) {
      if (id === w.replId) return w.offset <= limit;
      if (!parent) return false;
      limit = Math.min(limit, parent.secondReplOffset - 1);
      id = parent.replId2;
      parent = this.parents.get(id);
    }
    return false;
  }
}
