// Bundles the task runtime (dist/runner/sdk/child.js and what it imports) into one file,
// dist/runner/sdk/child.bundle.mjs, written atomically. Every task attempt loads it: one file
// loads faster than several, and a rebuild during a run never hands an attempt a half-written
// runtime (tsc rewrites dist/ in place; this file is replaced by a rename).
import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist", "runner", "sdk");
const result = await build({
  entryPoints: [path.join(dir, "child.js")],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  write: false,
  logLevel: "error",
});
const target = path.join(dir, "child.bundle.mjs");
const tmp = `${target}.tmp-${process.pid}`;
writeFileSync(tmp, result.outputFiles[0].contents);
renameSync(tmp, target);
