// Bundles the browser pages (the run report, the `dagship ui` run list) into dist/pages/<page>.js
// and .css, written atomically: esbuild bundles each page's TypeScript with the graph layout
// library into one minified script that reports inline (see runner/report/bundle-pages.ts).
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const { bundlePage, PAGES } = await import(path.join(root, "dist", "runner", "report", "bundle-pages.js"));
const out = path.join(root, "dist", "pages");
mkdirSync(out, { recursive: true });
for (const name of Object.keys(PAGES)) {
  const assets = await bundlePage(root, name);
  for (const [ext, text] of [["js", assets.script], ["css", assets.style]]) {
    const target = path.join(out, `${name}.${ext}`);
    const tmp = `${target}.tmp-${process.pid}`;
    writeFileSync(tmp, text);
    renameSync(tmp, target);
  }
}
