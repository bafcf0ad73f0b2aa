import { describe, expect, it } from "vitest";
import { HostShell } from "./hostShell";
import type { HostReport, HostStep } from "./hostStep";
import { ProcessHost } from "./processHost";

function idleStep(now: number, expect: Record<string, number>): HostStep {
  return { round: 1, now, expect, inputs: [], action: { kind: "idle" } };
}

describe("a host shell", () => {
  it("runs a step posted ahead after the one before it, each when its messages are in", () => {
    const host = new ProcessHost(
      { name: "m", ip: "10.0.0.1", rank: 0 },
      { seed: 1, traceBytes: false, engineErrors: "throw" },
    );
    const reports: HostReport[] = [];
    const shell = new HostShell(
      host,
      () => undefined,
      (r) => reports.push(r),
    );
    shell.step(idleStep(10, { r1: 1 }));
    shell.step(idleStep(20, { r1: 2 }));
    expect(reports).toEqual([]);
    shell.receive("r1", { segments: [] });
    expect(reports.map((r) => r.now)).toEqual([10]);
    shell.receive("r1", { segments: [] });
    expect(reports.map((r) => r.now)).toEqual([10, 20]);
  });
});
