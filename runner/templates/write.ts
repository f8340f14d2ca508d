import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fsyncDir } from "../workspace/atomic.js";
import type { OutputFile } from "./tree.js";

/**
 * Writes a rendered tree to `target` (absent, or an empty folder) so that a failure leaves no
 * half-written project: every file goes into a temporary sibling folder first, which is then
 * renamed into place in one step. When `target` already exists (an empty folder, maybe the
 * shell's working folder, which must not be replaced), the top-level entries are moved in
 * instead, and moved back out if one of the moves fails.
 *
 * @example
 * ```ts
 * writeTreeAtomically("/tmp/acme", [{ path: "package.json", content: Buffer.from("{}\n"), mode: 0o644 }]);
 * ```
 */
export function writeTreeAtomically(target: string, files: readonly OutputFile[]): void {
  const parent = path.dirname(target);
  mkdirSync(parent, { recursive: true });
  const tmp = mkdtempSync(path.join(parent, `.${path.basename(target)}.dagship-init-`));
  try {
    chmodSync(tmp, 0o755);
    for (const file of files) {
      const abs = path.join(tmp, ...file.path.split("/"));
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, file.content, { mode: file.mode });
    }
    if (!existsSync(target)) renameSync(tmp, target);
    else moveEntries(tmp, target);
    fsyncDir(parent);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Moves every entry of `from` into the empty folder `to`; on failure, moves back what moved. */
function moveEntries(from: string, to: string): void {
  const moved: string[] = [];
  try {
    for (const name of readdirSync(from)) {
      renameSync(path.join(from, name), path.join(to, name));
      moved.push(name);
    }
  } catch (error) {
    for (const name of moved.reverse()) renameSync(path.join(to, name), path.join(from, name));
    throw error;
  }
  fsyncDir(to);
}
