/** The conformance report: a summary table, then every difference. Pure. */
import type { ScenarioOutcome } from "./harness";

const HEADERS = ["scenario", "steps", "replies", "expects", "fields", "differences"] as const;

/** One row per scenario and a total, as a fixed-width text table. */
export function summaryTable(outcomes: readonly ScenarioOutcome[]): string {
  const rows: string[][] = [];
  const total = { lines: 0, replies: 0, expects: 0, fields: 0, differences: 0 };
  for (const o of outcomes) {
    const name = o.file.replace(/^.*\//, "");
    if (o.kind === "compared") {
      const c = o.comparison;
      rows.push([
        name,
        String(c.lines),
        String(c.replies),
        String(c.expects),
        String(c.fields),
        String(c.differences.length),
      ]);
      total.lines += c.lines;
      total.replies += c.replies;
      total.expects += c.expects;
      total.fields += c.fields;
      total.differences += c.differences.length;
    } else {
      rows.push([name, "-", "-", "-", "-", o.kind === "skipped" ? "skipped" : "invalid"]);
    }
  }
  rows.push([
    "total",
    String(total.lines),
    String(total.replies),
    String(total.expects),
    String(total.fields),
    String(total.differences),
  ]);
  return markdownTable([...HEADERS], rows);
}

/** A Markdown table padded to fixed width (numbers right-aligned), readable as plain text too. */
export function markdownTable(headers: readonly string[], rows: readonly string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const cell = (text: string, i: number) =>
    i === 0 ? text.padEnd(widths[i] ?? 0) : text.padStart(widths[i] ?? 0);
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 ? "-".repeat(w) : `${"-".repeat(w - 1)}:`)).join(" | ")} |`;
  return [line(headers), rule, ...rows.map(line)].join("\n");
}

/** Every difference of every scenario, and why a scenario was skipped or rejected. */
export function differenceList(outcomes: readonly ScenarioOutcome[]): string {
  const parts: string[] = [];
  for (const o of outcomes) {
    if (o.kind === "skipped") parts.push(`${o.file}: skipped: ${o.reason}`);
    else if (o.kind === "invalid")
      parts.push(`${o.file}: does not parse:\n  ${o.errors.join("\n  ")}`);
    else {
      for (const d of o.comparison.differences) {
        const at = d.line === 0 ? "end" : `line ${d.line}`;
        parts.push(
          `${o.file}:${d.line} ${at}, ${d.where}: ${d.field}\n    simulator: ${indent(d.sim)}\n    redis:     ${indent(d.redis)}`,
        );
      }
    }
  }
  return parts.join("\n");
}

function indent(text: string): string {
  return text.replace(/\n/g, "\n               ");
}
