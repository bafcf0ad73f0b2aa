import { builtin } from "../session/builtins";

/** A built-in scenario's text by name (what share links compare a script with). */
export const builtinText = (name: string): string | undefined => builtin(name)?.text;
