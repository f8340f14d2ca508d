// Bundles the dagship GitHub Action (src/index.ts → src/main.ts and what it imports, @actions/core
// included) into one ES module, .github/actions/dagship/dist/index.js, written atomically, beside a
// package.json that makes it an ES module whatever the repository's own package.json says. The
// bundle is built, not committed (dist/ is ignored): `npm ci` builds it through `prepare`, so a
// workflow's `npm ci` step comes before `uses: ./.github/actions/dagship`.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = process.argv[2] ? path.resolve(process.argv[2]) : path.join(root, ".github", "actions", "dagship", "dist");
const result = await build({
  entryPoints: [path.join(root, "src", "index.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Bundled CommonJS dependencies call require() for Node built-ins.
  banner: { js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);' },
  write: false,
  logLevel: "error",
  legalComments: "none",
});
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, "package.json"), '{ "type": "module" }\n');
const target = path.join(out, "index.js");
const tmp = `${target}.tmp-${process.pid}`;
writeFileSync(tmp, result.outputFiles[0].contents);
renameSync(tmp, target);
