// Compiles src/engine/rdb/crc64.wat into src/engine/rdb/crc64WasmBytes.ts.
// `node scripts/build-crc64-wasm.mjs` writes it; with `--check` it only
// tells whether the committed file matches the source (a unit test runs that).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import wabtFactory from "wabt";

const root = fileURLToPath(new URL("..", import.meta.url));
const source = `${root}src/engine/rdb/crc64.wat`;
const target = `${root}src/engine/rdb/crc64WasmBytes.ts`;

export async function crc64WasmModuleText() {
  const wabt = await wabtFactory();
  const module = wabt.parseWat("crc64.wat", readFileSync(source, "utf8"));
  module.validate();
  const { buffer } = module.toBinary({});
  module.destroy();
  const base64 = Buffer.from(buffer).toString("base64");
  const lines = base64.match(/.{1,96}/g) ?? [];
  return [
    "// Generated from crc64.wat by `node scripts/build-crc64-wasm.mjs`: do not edit.",
    "",
    "/** The compiled crc64.wat, base64. */",
    "export const CRC64_WASM_BASE64 =",
    ...lines.map((line, i) => `  "${line}"${i === lines.length - 1 ? ";" : " +"}`),
    "",
  ].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await crc64WasmModuleText();
  if (process.argv.includes("--check")) {
    if (readFileSync(target, "utf8") !== text) {
      console.error(`${target} is out of date: run node scripts/build-crc64-wasm.mjs`);
      process.exit(1);
    }
  } else {
    writeFileSync(target, text);
    console.log(`wrote ${target}`);
  }
}
