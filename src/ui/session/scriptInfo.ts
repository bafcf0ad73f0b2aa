import type { Line, Script } from "../../scenario/ast";
import type { StepInfo } from "./sessionState";

/** Every line of a script, `repeat` bodies included, in source order. */
export function allLines(script: Script): readonly Line[] {
  const out: Line[] = [];
  for (const line of script.lines) {
    out.push(line);
    if (line.kind === "repeat") out.push(line.body);
  }
  return out;
}

/** The script's `step` lines (a repeated step once), for the guided view's list. */
export function stepsOf(script: Script): readonly StepInfo[] {
  const steps: StepInfo[] = [];
  for (const line of allLines(script)) {
    if (line.kind === "step") steps.push({ title: unquote(line.text), line: line.line });
  }
  return steps;
}

/** A step's text as the reader reads it: one pair of surrounding quotes dropped. */
export function unquote(text: string): string {
  const m = /^"(.*)"$/.exec(text.trim());
  return m?.[1] ?? text.trim();
}
