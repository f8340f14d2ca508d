import { readdirSync, statSync, type Dirent } from "node:fs";
import path from "node:path";

/**
 * The entries of a folder, or none when it does not exist; a folder that exists but cannot be
 * read is reported through `onError`.
 *
 * @example
 * ```ts
 * for (const e of entries(runsDir)) if (e.isDirectory()) ...
 * ```
 */
export function entries(dir: string, onError?: (error: NodeJS.ErrnoException) => void): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code !== "ENOENT" && e.code !== "ENOTDIR") onError?.(e);
    return [];
  }
}

/**
 * Every entry below `root` (depth first), with `descend` deciding which folders to enter.
 *
 * @example
 * ```ts
 * walk(ws, (dir) => path.basename(dir) !== "data", (p, e) => console.log(p));
 * ```
 */
export function walk(root: string, descend: (dir: string) => boolean, visit: (file: string, entry: Dirent) => void, onError?: (dir: string, error: NodeJS.ErrnoException) => void): void {
  for (const entry of entries(root, (e) => onError?.(root, e))) {
    const file = path.join(root, entry.name);
    visit(file, entry);
    if (entry.isDirectory() && descend(file)) walk(file, descend, visit, onError);
  }
}

/**
 * A file's modification time in ms, or undefined when it is gone.
 *
 * @example
 * ```ts
 * const age = Date.now() - (mtimeMs(file) ?? Date.now());
 * ```
 */
export function mtimeMs(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}
