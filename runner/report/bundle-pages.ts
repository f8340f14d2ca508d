/**
 * Bundles the browser pages (the run report, the run browser's list) with esbuild: each page's
 * TypeScript with what it imports (the graph layout library included) into one minified script,
 * and its style sheet, so that a page carries everything inline and loads nothing. Used at build
 * time (`scripts/bundle-pages.mjs` writes `dist/pages/`) and, in a checkout that was not built, at
 * report time (./assets.ts).
 */
import path from "node:path";
import type { BuildOptions } from "esbuild";

/** The pages: their script's and style sheet's sources, relative to the package root. */
export const PAGES = {
  report: { script: "runner/report/page/main.ts", style: "runner/report/page/style.css" },
  runs: { script: "runner/ui/page/main.ts", style: "runner/ui/page/style.css" },
} as const;

export type PageName = keyof typeof PAGES;

/** A page's script and style sheet, as text. */
export interface PageAssets {
  script: string;
  style: string;
}

/**
 * Bundles page `name` from the sources under `root` (the package root).
 *
 * @example
 * ```ts
 * const { script, style } = await bundlePage(packageInfo().root, "report");
 * ```
 */
export async function bundlePage(root: string, name: PageName): Promise<PageAssets> {
  const { build } = await import("esbuild");
  const common = { bundle: true, minify: true, write: false, logLevel: "silent", legalComments: "none", target: ["chrome100", "firefox100", "safari15"] } satisfies BuildOptions;
  const [script, style] = await Promise.all([
    build({ ...common, entryPoints: [path.join(root, PAGES[name].script)], format: "iife", platform: "browser" }),
    build({ ...common, entryPoints: [path.join(root, PAGES[name].style)], loader: { ".css": "css" } }),
  ]);
  return { script: script.outputFiles![0]!.text, style: style.outputFiles![0]!.text };
}
