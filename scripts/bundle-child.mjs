// Bundles the task runtime (dist/runner/sdk/child.js and what it imports) into one CommonJS
// file, dist/runner/sdk/child.bundle.cjs, written atomically. Every task attempt loads it, so it
// is made to start fast: one file loads faster than several, and as CommonJS it needs neither
// the ES module loader nor the ESM wrappers of the Node built-ins it uses (which load modules
// the runtime never calls: `import ... from "node:fs"` loads fs streams). A rebuild during a run
// never hands an attempt a half-written runtime (tsc rewrites dist/ in place; this file is
// replaced by a rename).
import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

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
  write: false,
  logLevel: "error",
});
const target = path.join(dir, "child.bundle.cjs");
const tmp = `${target}.tmp-${process.pid}`;
writeFileSync(tmp, result.outputFiles[0].contents);
renameSync(tmp, target);
