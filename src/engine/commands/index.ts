import type { CommandSpec } from "./command";
import { HASH_COMMANDS } from "./hashes";
import { KEY_COMMANDS } from "./keys";
import { LIST_COMMANDS } from "./lists";
import { SET_COMMANDS } from "./sets";
import { STRING_COMMANDS } from "./strings";
import { ZSET_COMMANDS } from "./zsets";

/** Every data command the engine implements, with Redis 7.0's names, arities and flags. */
export const DATA_COMMANDS: readonly CommandSpec[] = [
  ...STRING_COMMANDS,
  ...KEY_COMMANDS,
  ...LIST_COMMANDS,
  ...HASH_COMMANDS,
  ...SET_COMMANDS,
  ...ZSET_COMMANDS,
];
