// Bundles the task runtime (dist/runner/sdk/child.js and what it imports) into one CommonJS
// file, dist/runner/sdk/child.bundle.cjs, written atomically. Every task attempt loads it, so it
// is made to start fast: one file loads faster than several, and as CommonJS it needs neither
// the ES module loader nor the ESM wrappers of the Node built-ins it uses (which load modules
// the runtime never calls: `import ... from "node:fs"` loads fs streams). Built-ins that only
// some tasks need (LAZY_BUILTINS) load on first use. A rebuild during a run never hands an
// attempt a half-written runtime (tsc rewrites dist/ in place; this file is replaced by a rename).
import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** Built-ins the runtime uses on some paths only (node:fs/promises: ctx.tables). */
const LAZY_BUILTINS = ["node:fs/promises"];

/**
 * Replaces each of LAZY_BUILTINS by a module of getters that require the built-in when one of its
 * exports is first read. Bundled ES module code reads imported names where it uses them (the
 * CommonJS output keeps `import_x.name` accesses), so the built-in loads when a task first calls
 * into it, not when the runtime starts.
 */
const lazyBuiltins = {
  name: "lazy-builtins",
  setup(b) {
    const filter = new RegExp(`^(${LAZY_BUILTINS.map((n) => n.replace(/[/.]/g, "\\$&")).join("|")})$`);
    b.onResolve({ filter }, (args) => (args.namespace === "lazy-builtin" ? { path: args.path, external: true } : { path: args.path, namespace: "lazy-builtin" }));
    b.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, async (args) => {
      const names = Object.keys(await import(args.path)).filter((name) => name !== "default");
      const getters = names.map((name) => `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => load()[${JSON.stringify(name)}] });`);
      return { contents: [`let loaded;`, `const load = () => (loaded ??= require(${JSON.stringify(args.path)}));`, ...getters].join("\n"), loader: "js" };
    });
  },
};

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist", "runner", "sdk");
const result = await build({
  entryPoints: [path.join(dir, "child.js")],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  packages: "external",
  // The runtime's own URL (it filters its frames out of task stacks), as in the ES module.
  define: { "import.meta.url": "__runtimeUrl" },
  banner: { js: '"use strict";\nvar __runtimeUrl = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [lazyBuiltins],
  write: false,
  logLevel: "error",
});
const target = path.join(dir, "child.bundle.cjs");
const tmp = `${target}.tmp-${process.pid}`;
writeFileSync(tmp, result.outputFiles[0].contents);
renameSync(tmp, target);
