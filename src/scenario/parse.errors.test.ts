import { describe, expect, it } from "vitest";
import { formatError, parseScenario } from "./parse";

const SETUP =
  "node m\nnode r1 replicaof m\nsentinel s1 monitor mymaster m 1\nclient app sentinel mymaster\n";

function errors(text: string): string[] {
  const r = parseScenario(text, "t.scenario");
  return r.ok ? [] : r.errors.map(formatError);
}

describe("a bad line is reported at its line and column", () => {
  // Each input follows SETUP (lines 1-4), so it starts on line 5.
  const table: readonly [string, string, string][] = [
    ["foo bar", "5:1", "unknown line kind 'foo'"],
    ["Node r2", "5:1", "unknown line kind 'Node' (line kinds are lowercase: 'node')"],
    ["m SET k v", "5:1", "unknown line kind 'm' (to send 'm' a command, write 'm> COMMAND ARGS…')"],
    ["r9> GET k", "5:1", "'r9' is not declared by an earlier node, sentinel or client line"],
    [
      "r2> GET k\nnode r2",
      "5:1",
      "'r2' is not declared by an earlier node, sentinel or client line (it is declared later, on line 6)",
    ],
    ["m>GET k", "5:3", "expected a space after 'm>'"],
    ["> GET k", "5:1", "missing NAME before '>': expected 'NAME> COMMAND ARGS…'"],
    ["m>", "5:3", "missing COMMAND after 'm>': expected 'NAME> COMMAND ARGS…'"],
    [
      "M> GET k",
      "5:1",
      "invalid name 'M': expected a lowercase letter, then up to 31 lowercase letters, digits or '-'",
    ],
    [
      "expect m>",
      "5:10",
      "missing COMMAND after 'm>': expected 'expect NAME> COMMAND ARGS… => REPLY'",
    ],
    [
      "expect m> GET k",
      "5:16",
      "missing '=> REPLY': expected 'expect NAME> COMMAND ARGS… => REPLY'",
    ],
    [
      "expect m> GET k =>",
      "5:19",
      "missing REPLY after '=>': expected 'expect NAME> COMMAND ARGS… => REPLY'",
    ],
    [
      "expect m> => OK",
      "5:11",
      "missing COMMAND after 'm>': expected 'expect NAME> COMMAND ARGS… => REPLY'",
    ],
    [
      "expect m> GET k=> OK",
      "5:21",
      "missing '=> REPLY': expected 'expect NAME> COMMAND ARGS… => REPLY'",
    ],
    ["node m", "5:6", "'m' is already declared on line 1"],
    [
      "node R2",
      "5:6",
      "invalid name 'R2': expected a lowercase letter, then up to 31 lowercase letters, digits or '-'",
    ],
    ["node ledger", "5:6", "'ledger' is reserved and cannot name a process"],
    [
      "node r2 replicaof r9",
      "5:19",
      "'r9' is not declared by an earlier node, sentinel or client line",
    ],
    ["node r2 replicaof r2", "5:19", "node 'r2' cannot replicate itself"],
    ["node r2 replicaof s1", "5:19", "'s1' is a sentinel; expected a node"],
    [
      "node r2 priority -1",
      "5:18",
      "invalid priority '-1': expected a whole number from 0 to 2147483647",
    ],
    [
      "node r2 priority",
      "5:17",
      "missing value for 'priority': expected 'node NAME [replicaof MASTER] [priority N]'",
    ],
    [
      "node r2 color red",
      "5:9",
      "unexpected 'color': expected 'node NAME [replicaof MASTER] [priority N]'",
    ],
    ["node r2 priority 1 priority 2", "5:20", "'priority' is given twice"],
    [
      "node r2 replicaof",
      "5:18",
      "missing value for 'replicaof': expected 'node NAME [replicaof MASTER] [priority N]'",
    ],
    [
      "sentinel s2 monitor mymaster m",
      "5:31",
      "missing QUORUM: expected 'sentinel NAME monitor GROUP MASTER QUORUM'",
    ],
    [
      "sentinel s2 watch mymaster m 1",
      "5:13",
      "expected 'monitor', not 'watch': 'sentinel NAME monitor GROUP MASTER QUORUM'",
    ],
    [
      "sentinel s2 monitor mymaster m 0",
      "5:32",
      "invalid quorum '0': expected a whole number from 1 to 2147483647",
    ],
    ["sentinel s2 monitor my/master m 1", "5:21", "invalid group name 'my/master'"],
    ["sentinel s2 monitor mymaster app 1", "5:30", "'app' is a client; expected a node"],
    ["client c2 sentinel other", "5:20", "no earlier sentinel line monitors a group named 'other'"],
    ["client c2 node s1", "5:16", "'s1' is a sentinel; expected a node"],
    [
      "client c2 sentinel mymaster reads some",
      "5:35",
      "invalid reads 'some': expected master or replicas",
    ],
    [
      "client c2 sentinel mymaster wait 1",
      "5:35",
      "missing value for 'wait': expected 'client NAME sentinel GROUP [reads master|replicas] [wait N TIMEOUT]'",
    ],
    [
      "client c2 sentinel mymaster wait x 100",
      "5:34",
      "invalid WAIT's number of replicas 'x': expected a whole number from 0 to 2147483647",
    ],
    [
      "client c2 via m",
      "5:11",
      "expected 'sentinel' or 'node' after the client's name: 'client NAME sentinel GROUP [reads master|replicas] [wait N TIMEOUT]' or 'client NAME node NODE'",
    ],
    [
      "client c2",
      "5:10",
      "missing sentinel: expected 'client NAME sentinel GROUP [reads master|replicas] [wait N TIMEOUT]' or 'client NAME node NODE'",
    ],
    ["client app node m", "5:8", "'app' is already declared on line 4"],
    ["network", "5:8", "missing latency: expected 'network latency D [jitter D] [bandwidth R]'"],
    [
      "network jitter 1ms",
      "5:9",
      "missing latency: expected 'network latency D [jitter D] [bandwidth R]'",
    ],
    ["network latency 0ms", "5:17", "latency must be more than 0: every path takes some time"],
    ["network latency 1ms bandwidth 0kb/s", "5:31", "rate '0kb/s' must be more than 0"],
    [
      "network latency 1ms bandwidth 10mb",
      "5:31",
      "invalid rate '10mb': expected a size per second (10mb/s, 500kb/s)",
    ],
    [
      "network latency 1 ms",
      "5:19",
      "unexpected 'ms': expected 'network latency D [jitter D] [bandwidth R]'",
    ],
    [
      "link m latency 1ms",
      "5:8",
      "missing B: expected 'link A B latency D [jitter D] [bandwidth R]'",
    ],
    ["link m m latency 1ms", "5:8", "expected two different processes, not 'm' twice"],
    ["cut", "5:4", "missing A: expected 'cut A B' or 'cut A'"],
    ["cut m r1 s1", "5:10", "unexpected 's1': expected 'cut A B' or 'cut A'"],
    ["sleep app 1s", "5:7", "'app' is a client; expected a node or a sentinel"],
    ["heal m m", "5:8", "expected two different processes, not 'm' twice"],
    ["reset m", "5:8", "missing B: expected 'reset A B'"],
    ["crash app", "5:7", "'app' is a client; expected a node or a sentinel"],
    ["crash r9", "5:7", "'r9' is not declared by an earlier node, sentinel or client line"],
    ["restart", "5:8", "missing A: expected 'restart A'"],
    ["sleep m", "5:8", "missing D: expected 'sleep A D'"],
    [
      "sleep m 5",
      "5:9",
      "duration '5' has no unit: expected a number with a unit us, ms, s or m (250ms, 1.5s, 2m)",
    ],
    ["sleep m 5 s", "5:11", "unexpected 's': expected 'sleep A D'"],
    ["advance", "5:8", "missing D: expected 'advance D'"],
    ["advance 1h", "5:9", "unknown unit 'h' in duration '1h': expected us, ms, s or m"],
    [
      "advance -1s",
      "5:9",
      "invalid duration '-1s': expected a number with a unit us, ms, s or m (250ms, 1.5s, 2m)",
    ],
    ["settle 1x", "5:8", "unknown unit 'x' in duration '1x': expected us, ms, s or m"],
    ["settle 1s 2s", "5:11", "unexpected '2s': expected 'settle [D]'"],
    ["repeat", "5:7", "missing N: expected 'repeat N LINE…'"],
    [
      "repeat 0 advance 1s",
      "5:8",
      "invalid repeat count '0': expected a whole number from 1 to 1000000",
    ],
    [
      "repeat x advance 1s",
      "5:8",
      "invalid repeat count 'x': expected a whole number from 1 to 1000000",
    ],
    ["repeat 3", "5:9", "missing LINE…: expected 'repeat N LINE…'"],
    ["repeat 3 repeat 2 advance 1s", "5:10", "'repeat' cannot be repeated"],
    ["repeat 3 node r5", "5:10", "'node' cannot be repeated"],
    ["repeat 3 title x", "5:10", "'title' cannot be repeated"],
    ["repeat 3 foo", "5:10", "unknown line kind 'foo'"],
    [
      "repeat 2000000 advance 1s",
      "5:8",
      "invalid repeat count '2000000': expected a whole number from 1 to 1000000",
    ],
    ["info", "5:5", "missing NAME: expected 'info NAME [SECTION]'"],
    ["info r9", "5:6", "'r9' is not declared by an earlier node, sentinel or client line"],
    ["info app", "5:6", "'app' is a client; expected a node or a sentinel"],
    ["info m bad-section", "5:8", "invalid INFO section 'bad-section'"],
    ["info m replication extra", "5:20", "unexpected 'extra': expected 'info NAME [SECTION]'"],
    ["title", "5:6", "missing TEXT: expected 'title TEXT…'"],
    ["seed", "5:5", "missing N: expected 'seed N'"],
    ["seed -1", "5:6", "invalid seed '-1': expected a whole number from 0 to 9007199254740991"],
    ["seed 1.5", "5:6", "invalid seed '1.5': expected a whole number from 0 to 9007199254740991"],
    ["seed 1\nseed 2", "6:1", "duplicate seed line: the first is on line 5"],
    ["title a\ntitle b", "6:1", "duplicate title line: the first is on line 5"],
    ["redis 7.2", "5:7", "unsupported Redis version '7.2': expected 7.0 or 6.2"],
    ["redis 7.0 6.2", "5:11", "unexpected '6.2': expected 'redis 7.0|6.2'"],
    [
      "epoch yesterday",
      "5:7",
      "invalid epoch 'yesterday': expected an ISO 8601 UTC time (2026-01-01T00:00:00Z) or Unix milliseconds",
    ],
    ["epoch 2026-02-30T00:00:00Z", "5:7", "epoch '2026-02-30T00:00:00Z' is not a calendar date"],
    ["config", "5:7", "missing PARAM: expected 'config PARAM VALUE…'"],
    ["config repl-backlog-size", "5:25", "missing VALUE: expected 'config PARAM VALUE…'"],
    ["config nope 1", "5:8", "unknown config parameter 'nope'"],
    [
      "config repl-backlog-size 1zb",
      "5:26",
      "invalid value '1zb' for repl-backlog-size: argument must be a memory value",
    ],
    [
      "config repl-backlog-size 1mb 2mb",
      "5:30",
      "unexpected '2mb': repl-backlog-size takes one value",
    ],
    [
      "config repl-diskless-sync maybe",
      "5:27",
      "invalid value 'maybe' for repl-diskless-sync: argument must be 'yes' or 'no'",
    ],
    [
      "config min-replicas-to-write -1",
      "5:30",
      "invalid value '-1' for min-replicas-to-write: argument must be between 0 and 2147483647 inclusive",
    ],
    ["config sentinel-down-after 1.5ms", "5:28", "sentinel-down-after is in whole milliseconds"],
    [
      "config sentinel-down-after 5h",
      "5:28",
      "unknown unit 'h' in duration '5h': expected us, ms, s or m",
    ],
    ["step", "5:5", "missing TEXT: expected 'step TEXT…'"],
    ["say", "5:4", "missing TEXT: expected 'say TEXT…'"],
    ["let", "5:4", "missing VAR: expected 'let VAR = NAME FIELD'"],
    ["let X = m", "5:10", "missing FIELD: expected 'let VAR = NAME FIELD'"],
    [
      "let 1X = m role",
      "5:5",
      "invalid variable name '1X': expected letters, digits and _, not starting with a digit",
    ],
    ["let i = m role", "5:5", "'i' is reserved ($i is built in)"],
    ["let bytes = m role", "5:5", "'bytes' is reserved ($bytes(N) is built in)"],
    ["let X := m role", "5:7", "expected '=', not ':=': 'let VAR = NAME FIELD'"],
    ["let X = app role", "5:9", "'app' is a client; expected a node or a sentinel"],
    ["let X = m bad:field", "5:11", "invalid INFO field 'bad:field'"],
    ["expect", "5:7", "missing NAME: expected 'expect NAME FIELD OP VALUE'"],
    ["expect m", "5:9", "missing FIELD: expected 'expect NAME FIELD OP VALUE'"],
    ["expect m role", "5:14", "missing OP: expected 'expect NAME FIELD OP VALUE'"],
    ["expect m role = ", "5:16", "missing VALUE: expected 'expect NAME FIELD OP VALUE'"],
    ["expect m role == master", "5:15", "unknown operator '==': expected one of = != < <= > >="],
    [
      "expect m role = master extra",
      "5:24",
      "unexpected 'extra': expected 'expect NAME FIELD OP VALUE'",
    ],
    [
      "expect m offset = $X + 5",
      "5:19",
      "undefined variable $X: no earlier 'let X = …' (write $$ for a literal $)",
    ],
    [
      "expect m offset = $UNSET",
      "5:19",
      "undefined variable $UNSET: no earlier 'let UNSET = …' (write $$ for a literal $)",
    ],
    ["expect m offset = $i", "5:19", "$i is only defined inside repeat (write $$ for a literal $)"],
    ["expect m offset = $OFF+5\nlet OFF = m x", "5:19", "write '$OFF + 5' with spaces around '+'"],
    [
      "m> SET k $UNSET",
      "5:10",
      "undefined variable $UNSET: no earlier 'let UNSET = …' (write $$ for a literal $)",
    ],
    [
      'm> SET k "$UNSET"',
      "5:10",
      "undefined variable $UNSET: no earlier 'let UNSET = …' (write $$ for a literal $)",
    ],
    ["m> SET k $i", "5:10", "$i is only defined inside repeat (write $$ for a literal $)"],
    ["m> SET k $bytes(x)", "5:10", "expected $bytes(N) with a whole number N"],
    [
      "m> SET k $bytes(999999999999)",
      "5:10",
      "$bytes(999999999999) is too large: at most 67108864 bytes",
    ],
    [
      "say value is $UNSET",
      "5:14",
      "undefined variable $UNSET: no earlier 'let UNSET = …' (write $$ for a literal $)",
    ],
    ["step $i", "5:6", "$i is only defined inside repeat (write $$ for a literal $)"],
    ["expect ledger", "5:14", "missing FIELD: expected 'expect ledger FIELD OP N'"],
    ["expect ledger lost", "5:19", "missing OP: expected 'expect ledger FIELD OP N'"],
    [
      "expect ledger gone = 1",
      "5:15",
      "unknown ledger field 'gone': expected acknowledged, lost, stale-reads",
    ],
    ["expect ledger lost == 1", "5:20", "unknown operator '==': expected one of = != < <= > >="],
    [
      "expect ledger lost = -1",
      "5:22",
      "invalid count '-1': expected a whole number from 0 to 9007199254740991",
    ],
    [
      "expect ledger lost = x",
      "5:22",
      "invalid count 'x': expected a whole number from 0 to 9007199254740991",
    ],
    [
      "expect m keyspace = r9",
      "5:21",
      "'r9' is not declared by an earlier node, sentinel or client line",
    ],
    [
      "expect m keyspace != r1",
      "5:19",
      "expected '=': keyspaces can only be compared with '=' ('expect A keyspace = B')",
    ],
    ["expect s1 keyspace = m", "5:8", "'s1' is a sentinel; expected a node"],
    ["expect m keyspace = r1 x", "5:24", "unexpected 'x': expected 'expect A keyspace = B'"],
    ['m> SET k "abc', "5:10", 'unbalanced quotes: this " is never closed'],
    ['m> SET k "a"b', "5:13", "a closing quote must be followed by a space or the end of the line"],
    ['expect m> SET k "abc => OK', "5:17", 'unbalanced quotes: this " is never closed'],
  ];
  it.each(table)("%j → %s %s", (input, where, message) => {
    expect(errors(SETUP + input)[0]).toBe(`t.scenario:${where}: ${message}`);
  });
});

describe("errors as a whole", () => {
  it("formats an error as FILE:LINE:COLUMN: message", () => {
    expect(formatError({ file: "a.scenario", line: 3, column: 7, message: "boom" })).toBe(
      "a.scenario:3:7: boom",
    );
  });

  it("names the file, and <script> by default", () => {
    const r = parseScenario("nope");
    expect(!r.ok && r.errors[0]?.file).toBe("<script>");
  });

  it("collects every bad line, in order, one error per line", () => {
    expect(errors('foo\nnode m\nnode m\nm> SET k "v\nsettle 5\nbar baz\n')).toEqual([
      "t.scenario:1:1: unknown line kind 'foo'",
      "t.scenario:3:6: 'm' is already declared on line 2",
      't.scenario:4:10: unbalanced quotes: this " is never closed',
      "t.scenario:5:8: duration '5' has no unit: expected a number with a unit us, ms, s or m (250ms, 1.5s, 2m)",
      "t.scenario:6:1: unknown line kind 'bar'",
    ]);
  });

  it("still declares a node whose options are wrong, so later lines do not fail too", () => {
    expect(errors("node m priority x\nm> PING\n")).toEqual([
      "t.scenario:1:17: invalid priority 'x': expected a whole number from 0 to 2147483647",
    ]);
  });

  it("still defines a variable whose let line is otherwise wrong", () => {
    expect(errors("node m\nlet X = m\nm> GET $X\n")).toEqual([
      "t.scenario:2:10: missing FIELD: expected 'let VAR = NAME FIELD'",
    ]);
  });

  it("counts lines with CRLF endings and columns after a tab as one", () => {
    expect(errors("node m\r\n\tfoo\r\n")).toEqual(["t.scenario:2:2: unknown line kind 'foo'"]);
  });

  it("locates an error inside a repeat's body", () => {
    expect(errors("node m\nrepeat 3   m> SET k $bytes(\n")).toEqual([
      "t.scenario:2:21: expected $bytes(N) with a whole number N",
    ]);
  });

  it("ignores a # that starts a comment, but not one inside quotes", () => {
    expect(errors('node m # the master\nm> SET k "v # w"\n')).toEqual([]);
  });
});
