import { describe, expect, it } from "vitest";
import type { AddressNaming } from "./infoText";
import { normaliseInfoFields, normaliseInfoText, parseInfo } from "./infoText";

// As redis-server 7.0.15 prints `INFO replication` on a master with one replica
// (addresses as the harness sees them: the replica's real port 41001).
const MASTER_INFO =
  "# Replication\r\nrole:master\r\nconnected_slaves:1\r\n" +
  "slave0:ip=127.0.0.1,port=41001,state=online,offset=52,lag=0\r\n" +
  "master_failover_state:no-failover\r\n" +
  "master_replid:8c5b2bf4a1e3d5a7c0f9e8d7c6b5a4f3e2d1c0b9\r\n" +
  "master_replid2:0000000000000000000000000000000000000000\r\n" +
  "master_repl_offset:52\r\nsecond_repl_offset:-1\r\n\r\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n";

// The replica's, reaching its master through the harness's proxy on port 42002.
const REPLICA_INFO =
  "# Replication\r\nrole:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:42002\r\n" +
  "master_link_status:up\r\n";

const naming: AddressNaming = {
  nodeBehindProxy: (port) => (port === 42002 ? "m" : undefined),
  simulatedIpOfPort: (port) => (port === 41001 ? "10.0.0.2" : undefined),
};

describe("parseInfo", () => {
  it("reads every name:value line and skips section headers and blank lines", () => {
    const info = parseInfo(MASTER_INFO);
    expect(info.get("role")).toBe("master");
    expect(info.get("slave0")).toBe("ip=127.0.0.1,port=41001,state=online,offset=52,lag=0");
    expect(info.get("db0")).toBe("keys=1,expires=0,avg_ttl=0");
    expect(info.has("# Replication")).toBe(false);
    expect([...info.keys()]).toHaveLength(9);
  });

  it("keeps colons inside a value", () => {
    expect(parseInfo("master0:name=mymaster,address=10.0.0.3:6379\r\n").get("master0")).toBe(
      "name=mymaster,address=10.0.0.3:6379",
    );
  });
});

describe("addresses in the simulator's terms", () => {
  it("names a replica's master by the node behind the proxy, on port 6379", () => {
    const text = normaliseInfoText(REPLICA_INFO, naming);
    expect(text).toContain("master_host:m\r\nmaster_port:6379\r\n");
    expect(text.startsWith("# Replication\r\n")).toBe(true);
  });

  it("gives a master's replica its simulated address and port", () => {
    const fields = normaliseInfoFields(parseInfo(MASTER_INFO), naming);
    expect(fields.get("slave0")).toBe("ip=10.0.0.2,port=6379,state=online,offset=52,lag=0");
  });

  it("leaves addresses it does not know alone", () => {
    const fields = normaliseInfoFields(
      parseInfo("master_host:example.org\r\nmaster_port:6380\r\nslave0:ip=1.2.3.4,port=7000\r\n"),
      naming,
    );
    expect(fields.get("master_host")).toBe("example.org");
    expect(fields.get("master_port")).toBe("6380");
    expect(fields.get("slave0")).toBe("ip=1.2.3.4,port=7000");
  });
});

describe("a master dialled directly", () => {
  it("reads as its simulated address, as FAILOVER TO 10.0.0.N names it", () => {
    const info = "# Replication\r\nrole:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:41001\r\n";
    const fields = normaliseInfoFields(parseInfo(info), naming);
    expect(fields.get("master_host")).toBe("10.0.0.2");
    expect(fields.get("master_port")).toBe("6379");
  });
});
