import { bytesToUtf8 } from "../bytes";
import type { Reply } from "../reply";
import { formatInteger } from "./encode";
import { catRepr } from "./repr";

/**
 * A reply as redis-cli 7.0 prints it in a terminal (`cliFormatReplyTTY`),
 * without the final newline:
 *
 *     OK                       status
 *     (error) ERR ...          error
 *     (integer) 3
 *     "v1"                     bulk, quoted like sdscatrepr ("\xc3\xa9" for é)
 *     (nil)                    null bulk and null array
 *     (empty array)
 *     1) "a"                   arrays: the index is right-aligned to the width
 *     2) 1) "b"                of the largest one, nested arrays are indented
 *        2) "c"                by the width of their parent's index + 2
 *
 * Status and error text is printed raw, so UTF-8 in it shows as text.
 */
export function formatReply(reply: Reply): string {
  const out = formatTTY(reply, "");
  return out.endsWith("\n") ? out.slice(0, -1) : out;
}

function formatTTY(reply: Reply, prefix: string): string {
  switch (reply.type) {
    case "error":
      return `(error) ${rawText(reply.value)}\n`;
    case "simple":
      return `${rawText(reply.value)}\n`;
    case "integer":
      return `(integer) ${formatInteger(reply.value)}\n`;
    case "bulk":
      return reply.value === null ? "(nil)\n" : `${catRepr(reply.value)}\n`;
    case "array": {
      // hiredis turns *-1 into a nil reply.
      if (reply.value === null) return "(nil)\n";
      const items = reply.value;
      if (items.length === 0) return "(empty array)\n";
      const indexWidth = String(items.length).length;
      const nestedPrefix = prefix + " ".repeat(indexWidth + 2);
      let out = "";
      items.forEach((item, i) => {
        // The first element follows the index its parent already printed.
        out += `${i === 0 ? "" : prefix}${String(i + 1).padStart(indexWidth)}) `;
        out += formatTTY(item, nestedPrefix);
      });
      return out;
    }
  }
}

/**
 * Status and error text as a terminal shows it: cut at a NUL (hiredis hands
 * it over as a C string) and decoded as UTF-8 when it is a byte string.
 */
function rawText(text: string): string {
  const nul = text.indexOf("\0");
  const cut = nul < 0 ? text : text.slice(0, nul);
  for (let i = 0; i < cut.length; i++) if (cut.charCodeAt(i) > 0xff) return cut;
  return bytesToUtf8(cut);
}
