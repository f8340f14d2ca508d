/**
 * The built pages' scripts and style sheets (`dist/pages/<page>.js` / `.css`, written by
 * `npm run build`); in a checkout that was not built, bundled from the sources on first use.
 * Read once per process.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { packageInfo } from "../package-info.js";
import { bundlePage, PAGES, type PageAssets, type PageName } from "./bundle-pages.js";
import { ReportAssetsError } from "./errors.js";

const cache = new Map<PageName, Promise<PageAssets>>();

/**
 * The script and style sheet of page `name`. Throws {@link ReportAssetsError} when they are
 * neither built nor buildable.
 *
 * @example
 * ```ts
 * const { script, style } = await pageAssets("report");
 * ```
 */
export function pageAssets(name: PageName): Promise<PageAssets> {
  let p = cache.get(name);
  if (!p) {
    p = load(name);
    cache.set(name, p);
    p.catch(() => cache.delete(name));
  }
  return p;
}

async function load(name: PageName): Promise<PageAssets> {
  const root = packageInfo().root;
  const built = path.join(root, "dist", "pages", name);
  if (existsSync(`${built}.js`) && existsSync(`${built}.css`)) {
    return { script: readFileSync(`${built}.js`, "utf8"), style: readFileSync(`${built}.css`, "utf8") };
  }
  if (!existsSync(path.join(root, PAGES[name].script))) throw new ReportAssetsError(name, `${path.relative(root, built)}.js is missing and there are no sources to build it from`);
  try {
    return await bundlePage(root, name);
  } catch (error) {
    throw new ReportAssetsError(name, (error as Error).message.split("\n")[0] ?? "esbuild failed");
  }
}
