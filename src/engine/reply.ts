import type { ByteString } from "./bytes";

/**
 * A RESP2 reply value, as a server produces it and a client receives it.
 * `error` holds the whole line after the `-`, code included
 * ("ERR unknown command ...", "READONLY You can't ...").
 */
export type Reply =
  | { readonly type: "simple"; readonly value: string } // +OK
  | { readonly type: "error"; readonly value: string } // -ERR ...
  | { readonly type: "integer"; readonly value: number } // :42
  | { readonly type: "bulk"; readonly value: ByteString | null } // $3 / $-1
  | { readonly type: "array"; readonly value: readonly Reply[] | null }; // *N / *-1

export const OK: Reply = { type: "simple", value: "OK" };
export const NIL: Reply = { type: "bulk", value: null };
export const NIL_ARRAY: Reply = { type: "array", value: null };
export const EMPTY_ARRAY: Reply = { type: "array", value: [] };

export const simple = (value: string): Reply => ({ type: "simple", value });
export const error = (value: string): Reply => ({ type: "error", value });
export const integer = (value: number): Reply => ({ type: "integer", value });
export const bulk = (value: ByteString | null): Reply => ({ type: "bulk", value });
export const array = (value: readonly Reply[] | null): Reply => ({ type: "array", value });
export const bulkArray = (values: readonly (ByteString | null)[]): Reply => array(values.map(bulk));

/** Exact Redis error texts shared by many commands (`server.c` shared objects). */
export const ERR = {
  wrongType: "WRONGTYPE Operation against a key holding the wrong kind of value",
  notInteger: "ERR value is not an integer or out of range",
  notFloat: "ERR value is not a valid float",
  syntax: "ERR syntax error",
  noSuchKey: "ERR no such key",
  outOfRange: "ERR index out of range",
  readonly: "READONLY You can't write against a read only replica.",
  masterDown: "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
  noReplicas: "NOREPLICAS Not enough good replicas to write.",
  execAbort: "EXECABORT Transaction discarded because of previous errors.",
  overflow: "ERR increment or decrement would overflow",
  selectRange: "ERR DB index is out of range",
} as const;

/** `ERR unknown command '<name>', with args beginning with: '<a>' '<b>' ` as 7.0 words it. */
export function unknownCommandError(argv: readonly ByteString[]): string {
  const name = argv[0] ?? "";
  const args = argv
    .slice(1)
    .map((a) => `'${a.length > 128 ? a.slice(0, 128) : a}' `)
    .join("");
  return `ERR unknown command '${name.length > 128 ? name.slice(0, 128) : name}', with args beginning with: ${args}`;
}

/** `ERR wrong number of arguments for '<name>' command` (7.0 wording, lower-cased name). */
export function arityError(name: string): string {
  return `ERR wrong number of arguments for '${name.toLowerCase()}' command`;
}
