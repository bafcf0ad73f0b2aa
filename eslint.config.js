// ESLint flat config: JS recommended, typescript-eslint with type information, React hooks
// rules for the UI, and the layer rules from docs/architecture.md:
//
//   ui → host → sim → engine      scenario → engine (and sim types)      cli → scenario, sim
//
// engine/ and sim/ are pure and deterministic: they import only their own layers (no
// packages, no node: builtins) and never touch time, randomness, timers, workers or any
// browser or Node global. scenario/ gets the same global bans and may import no Node
// builtins, React, D3 or zustand (it runs in the page and under Node). Tests (*.test.ts,
// __scenarios__/) are exempt from these layer rules.

import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import { builtinModules } from "node:module";
import path from "node:path";
import tseslint from "typescript-eslint";

const SRC_DIR = path.join(import.meta.dirname, "src");

// ---------------------------------------------------------------------------------------
// Layers: which src/ folder may import which. "types" allows `import type` only.

/** @typedef {"engine" | "sim" | "scenario" | "host" | "ui" | "cli"} Layer */

/** @type {Record<Layer, Partial<Record<Layer, "all" | "types">>>} */
const ALLOWED_IMPORTS = {
  engine: { engine: "all" },
  sim: { engine: "all", sim: "all" },
  scenario: { engine: "all", sim: "types", scenario: "all" },
  host: { engine: "all", sim: "all", scenario: "all", host: "all" },
  ui: { engine: "all", sim: "all", scenario: "all", host: "all", ui: "all" },
  cli: { engine: "all", sim: "all", scenario: "all", cli: "all" },
};

const LAYER_SUMMARY =
  "Layers: ui → host → sim → engine; scenario → engine and sim types; cli → scenario, sim.";

/** The layer a file or import target lives in, or null outside src/<layer>/. */
function layerOf(/** @type {string} */ file) {
  const relative = path.relative(SRC_DIR, file);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return null;
  const first = relative.split(path.sep)[0] ?? "";
  return Object.hasOwn(ALLOWED_IMPORTS, first) ? /** @type {Layer} */ (first) : null;
}

/** @type {import("eslint").Rule.RuleModule} */
const layerImportsRule = {
  meta: {
    type: "problem",
    docs: { description: "Keep the src/ layers importing in one direction." },
    schema: [],
    messages: {
      forbidden: "src/{{from}} may not import src/{{to}}. {{summary}}",
      typesOnly: "src/{{from}} may import src/{{to}} only with `import type`. {{summary}}",
    },
  },
  create(context) {
    const from = layerOf(context.filename);
    if (from === null) return {};
    const allowed = ALLOWED_IMPORTS[from];

    /**
     * @param {import("estree").Node} node
     * @param {unknown} source
     * @param {boolean} typeOnly
     */
    function check(node, source, typeOnly) {
      if (typeof source !== "string" || !source.startsWith(".")) return;
      const to = layerOf(path.resolve(path.dirname(context.filename), source));
      if (to === null) return;
      const permission = allowed[to];
      if (permission === "all" || (permission === "types" && typeOnly)) return;
      const messageId = permission === "types" ? "typesOnly" : "forbidden";
      context.report({ node, messageId, data: { from, to, summary: LAYER_SUMMARY } });
    }

    /**
     * Whether a TypeScript import/export is erased: `import type`, or every specifier is
     * `type`. (importKind and exportKind are typescript-eslint additions to ESTree.)
     */
    function isTypeOnly(/** @type {object} */ node) {
      /** @type {(n: object) => boolean} */
      const typeKind = (n) =>
        ("importKind" in n && n.importKind === "type") ||
        ("exportKind" in n && n.exportKind === "type");
      if (typeKind(node)) return true;
      const specifiers =
        "specifiers" in node && Array.isArray(node.specifiers)
          ? /** @type {object[]} */ (node.specifiers)
          : [];
      return specifiers.length > 0 && specifiers.every(typeKind);
    }

    return {
      ImportDeclaration: (node) => check(node, node.source.value, isTypeOnly(node)),
      ExportNamedDeclaration: (node) => check(node, node.source?.value, isTypeOnly(node)),
      ExportAllDeclaration: (node) => check(node, node.source.value, isTypeOnly(node)),
      ImportExpression: (node) =>
        check(node, node.source.type === "Literal" ? node.source.value : null, false),
    };
  },
};

// ---------------------------------------------------------------------------------------
// Determinism: what engine/ and sim/ (and scenario/) may not reach for.

const PURITY =
  "must stay deterministic: time, randomness and I/O come in as inputs (docs/architecture.md).";

/** @param {string} layer */
function forbiddenGlobals(layer) {
  const why = `src/${layer} ${PURITY}`;
  /** @type {[string, string][]} */
  const names = [
    ["Date", "Use the virtual time the host passes in."],
    ["performance", "Use the virtual time the host passes in."],
    ["setTimeout", "Return the next timer as an output instead."],
    ["setInterval", "Return the next timer as an output instead."],
    ["setImmediate", "Return the next timer as an output instead."],
    ["queueMicrotask", "Return outputs; the host decides when they run."],
    ["requestAnimationFrame", "Animation belongs to src/ui."],
    ["requestIdleCallback", "Scheduling belongs to src/host."],
    ["clearTimeout", "Timers belong to src/host."],
    ["clearInterval", "Timers belong to src/host."],
    ["clearImmediate", "Timers belong to src/host."],
    ["cancelAnimationFrame", "Animation belongs to src/ui."],
    ["window", "Browser APIs belong to src/host and src/ui."],
    ["document", "Browser APIs belong to src/host and src/ui."],
    ["navigator", "Browser APIs belong to src/host and src/ui."],
    ["location", "Browser APIs belong to src/host and src/ui."],
    ["localStorage", "Browser APIs belong to src/host and src/ui."],
    ["sessionStorage", "Browser APIs belong to src/host and src/ui."],
    ["self", "Worker globals belong to src/host."],
    ["globalThis", "Reach nothing through the global object."],
    ["global", "Reach nothing through the global object."],
    ["Worker", "Workers belong to src/host."],
    ["MessageChannel", "Message ports belong to src/host."],
    ["MessagePort", "Message ports belong to src/host."],
    ["BroadcastChannel", "Message channels belong to src/host."],
    ["postMessage", "Worker messaging belongs to src/host."],
    ["importScripts", "Worker globals belong to src/host."],
    ["process", "Node APIs belong to src/cli."],
    ["Buffer", "Use ByteString from src/engine/bytes.ts."],
    ["require", "Node APIs belong to src/cli."],
    ["crypto", "Draw from the seeded random source instead."],
    ["fetch", "I/O belongs to src/host and src/cli."],
    ["XMLHttpRequest", "I/O belongs to src/host."],
    ["WebSocket", "I/O belongs to src/host."],
    ["Intl", "Locale-dependent formatting would make transcripts differ between machines."],
    ["WeakRef", "Garbage collection timing is not deterministic."],
    ["FinalizationRegistry", "Garbage collection timing is not deterministic."],
  ];
  return names.map(([name, hint]) => ({ name, message: `${why} ${hint}` }));
}

/** @param {string} layer */
function forbiddenProperties(layer) {
  return [
    {
      object: "Math",
      property: "random",
      message: `src/${layer} ${PURITY} Draw from the seeded random source instead.`,
    },
  ];
}

/** @param {string} layer */
function forbiddenSyntax(layer) {
  const why = `src/${layer} ${PURITY}`;
  return [
    {
      selector: "MetaProperty[meta.name='import'][property.name='meta']",
      message: `${why} import.meta (URLs, env) belongs to src/host and src/ui.`,
    },
    {
      selector: "ImportExpression",
      message: `${why} Import modules statically.`,
    },
    {
      selector:
        "CallExpression[callee.property.name=/^(toLocaleString|toLocaleDateString|toLocaleTimeString|localeCompare)$/]",
      message: `${why} Locale-dependent formatting would make transcripts differ between machines.`,
    },
  ];
}

/** Only relative imports: no packages, no node: builtins. */
function onlyOwnModules(/** @type {string} */ layer, /** @type {string} */ allowed) {
  return {
    patterns: [
      {
        regex: "^(?!\\.\\.?/)",
        message: `src/${layer} ${PURITY} It imports only ${allowed}: no packages, no node: builtins.`,
      },
    ],
  };
}

const NODE_BUILTINS = builtinModules.filter((m) => !m.startsWith("_"));

/** No Node builtins and no UI libraries, for code that runs both in the page and in Node. */
function portableImports(/** @type {string} */ layer) {
  return {
    paths: [...NODE_BUILTINS, "react", "react-dom", "d3", "zustand"].map((name) => ({
      name,
      message: `src/${layer} runs in the page and under Node: no Node builtins, React, D3 or zustand.`,
    })),
    patterns: [
      {
        regex: "^(node:|react-dom/|react/|d3-|zustand/)",
        message: `src/${layer} runs in the page and under Node: no Node builtins, React, D3 or zustand.`,
      },
    ],
  };
}

const TESTS = ["**/*.test.ts", "**/*.test.tsx", "**/__scenarios__/**"];

/**
 * @param {string} layer
 * @param {object} imports  options for no-restricted-imports
 * @returns {import("eslint").Linter.Config}
 */
function pureLayer(layer, imports) {
  return {
    name: `layers/${layer}-purity`,
    files: [`src/${layer}/**/*.{ts,tsx}`],
    ignores: TESTS,
    rules: {
      "no-restricted-imports": ["error", imports],
      "no-restricted-globals": ["error", ...forbiddenGlobals(layer)],
      "no-restricted-properties": ["error", ...forbiddenProperties(layer)],
      "no-restricted-syntax": ["error", ...forbiddenSyntax(layer)],
    },
  };
}

// ---------------------------------------------------------------------------------------

export default defineConfig(
  globalIgnores([
    "dist/",
    "dist-*/",
    "node_modules/",
    "playwright-report/",
    "test-results/",
    "blob-report/",
    "coverage/",
    ".conformance/",
    "public/",
  ]),

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    name: "project/type-information",
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    name: "project/rules",
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
    },
  },
  {
    name: "project/node-scripts",
    files: ["**/*.{js,mjs,cjs}", "*.config.ts", "scripts/**", "src/cli/**", "e2e/**"],
    languageOptions: { globals: globals.node },
  },

  {
    ...reactHooks.configs.flat.recommended,
    name: "project/react-hooks",
    files: ["src/ui/**/*.{ts,tsx}"],
  },

  {
    name: "layers/imports",
    files: ["src/**/*.{ts,tsx}"],
    ignores: TESTS,
    plugins: { layers: { rules: { imports: layerImportsRule } } },
    rules: { "layers/imports": "error" },
  },
  pureLayer("engine", onlyOwnModules("engine", "its own modules")),
  pureLayer("sim", onlyOwnModules("sim", "its own modules and src/engine")),
  pureLayer("scenario", portableImports("scenario")),
);
