import type { Machine } from "./machine";
import { machineLine } from "./machine";
import type { Figure } from "./stats";
import type { Row } from "./workload";

/** Formats a number for the table: 3 significant digits, thousands kept whole. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toString();
  if (abs >= 100) return x.toFixed(0);
  if (abs >= 10) return x.toFixed(1);
  if (abs >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

function cell(f: Figure | null, unit: string): string {
  return f ? `${formatNumber(f.median)} ${unit}` : "—";
}

function range(f: Figure | null): string {
  return f ? `${formatNumber(f.min)}–${formatNumber(f.max)}` : "—";
}

/** The table as plain text columns, one row per workload, with the machine on top. */
export function renderTable(machine: Machine, rows: readonly Row[], header: string): string {
  const head = [
    "workload",
    "ours (median)",
    "reference (median)",
    "ratio",
    "goal",
    "met?",
    "ours min–max",
    "ref min–max",
  ];
  const body = rows.map((r) => [
    r.workload,
    cell(r.ours, r.unit),
    r.reference ? `${cell(r.reference, r.unit)} (${r.referenceName})` : "—",
    r.ratio === null ? "—" : r.ratio.toFixed(3),
    r.goal,
    r.met === null ? "—" : r.met ? "yes" : "NO",
    range(r.ours),
    range(r.reference),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join(" | ")
      .trimEnd();
  const out = [
    header,
    machineLine(machine),
    "",
    line(head),
    widths.map((w) => "-".repeat(w)).join("-|-"),
  ];
  for (const b of body) out.push(line(b));
  out.push("");
  for (const r of rows) out.push(`- ${r.workload}: ${r.notes}`);
  return out.join("\n");
}

/** The same table as Markdown, for the README's Performance section. */
export function renderMarkdown(machine: Machine, rows: readonly Row[]): string {
  const out = [
    `Machine: ${machineLine(machine).replace(/^machine: /, "")}`,
    "",
    "| workload | ours (median) | reference (median) | ratio | goal | met? | ours min–max | ref min–max |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of rows) {
    const ref = r.reference ? `${cell(r.reference, r.unit)} (${r.referenceName})` : "—";
    const ratio = r.ratio === null ? "—" : r.ratio.toFixed(3);
    const met = r.met === null ? "—" : r.met ? "yes" : "**no**";
    out.push(
      `| ${r.workload} | ${cell(r.ours, r.unit)} | ${ref} | ${ratio} | ${r.goal} | ${met} | ${range(r.ours)} | ${range(r.reference)} |`,
    );
  }
  return out.join("\n");
}
