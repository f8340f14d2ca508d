/**
 * Maps a file into memory through dagship's native helper (native/map-file.c, built by
 * `npm run build` where a C compiler and Node's headers exist). Reading a table this way copies
 * nothing: its columns are views of the page cache's own pages, mapped copy-on-write.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

interface Addon {
  mapFile(file: string): ArrayBuffer;
}

/** The addon, from the source tree (runner/sdk/) or from dist/runner/sdk/ and its bundle. */
const CANDIDATES = ["../../native/build/map-file.node", "../../../native/build/map-file.node"];
let addon: Addon | null | undefined;

/**
 * The native helper, or null where it was not built (no compiler, another platform): callers then
 * read files into memory instead.
 *
 * @example
 * ```ts
 * const native = mapFileAddon();
 * const bytes = native ? new Uint8Array(native.mapFile(file)) : readFileSync(file);
 * ```
 */
export function mapFileAddon(): Addon | null {
  if (addon !== undefined) return addon;
  addon = null;
  for (const relative of CANDIDATES) {
    const file = fileURLToPath(new URL(relative, import.meta.url));
    if (!existsSync(file)) continue;
    const module = { exports: {} as Partial<Addon> };
    try {
      process.dlopen(module, file);
    } catch {
      continue; // built for another Node or platform: read instead
    }
    if (typeof module.exports.mapFile === "function") addon = module.exports as Addon;
    break;
  }
  return addon;
}
