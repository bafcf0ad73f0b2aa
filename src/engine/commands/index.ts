import type { CommandSpec } from "./command";
import { STRING_COMMANDS } from "./strings";

/** Every data command the engine implements. */
export const DATA_COMMANDS: readonly CommandSpec[] = [...STRING_COMMANDS];
