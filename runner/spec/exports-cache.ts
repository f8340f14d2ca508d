/**
 * A persistent cache of module export analyses, keyed by content: for each module, the files its
 * analysis read (the module and everything it imports locally) with their sha256, and the export
 * names found. An entry is reused only when every one of those files still has the same hash, so
 * a stale answer is impossible; a miss is simply analysed again. Used where a workspace offers a
 * cache folder (deploy, run), so that re-deploying 50 unchanged jobs does not re-parse 200 modules.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ModuleInfo } from "./exports.js";

interface Entry {
  format: 1;
  inputs: Array<{ path: string; sha256: string }>;
  exports: string[];
}

/**
 * The cache in `dir`. `hashes` memoises file hashes for the life of the object (one compile):
 * a shared library file imported by many modules is read once.
 *
 * @example
 * ```ts
 * const cache = new ExportsCache("/repo/.dagship/dev/cache/exports");
 * cache.get("/repo/jobs/a/tasks/x.ts"); // { ok: true, exports: ["default"] } or undefined
 * ```
 */
export class ExportsCache {
  readonly #hashes = new Map<string, string>();
  constructor(readonly dir: string) {}

  get(module: string): ModuleInfo | undefined {
    let entry: Entry;
    try {
      entry = JSON.parse(readFileSync(this.#file(module), "utf8")) as Entry;
    } catch {
      return undefined;
    }
    if (entry.format !== 1 || !entry.inputs.every((i) => this.#hash(i.path) === i.sha256)) return undefined;
    return { ok: true, exports: entry.exports };
  }

  /** Remembers a successful analysis and the files it read (absolute paths). */
  set(module: string, exports: string[], inputs: readonly string[]): void {
    const entry: Entry = { format: 1, inputs: inputs.map((p) => ({ path: p, sha256: this.#hash(p) })), exports };
    if (entry.inputs.some((i) => i.sha256 === "missing")) return;
    try {
      mkdirSync(this.dir, { recursive: true });
      // Renamed into place (never read half-written) but not fsync'ed: after a crash an entry is
      // at worst missing or unparsable, which is a miss, never a wrong answer.
      const file = this.#file(module);
      const tmp = `${file}.tmp-${process.pid}`;
      writeFileSync(tmp, JSON.stringify(entry));
      renameSync(tmp, file);
    } catch {
      // A cache that cannot be written only costs the next compile time.
    }
  }

  #file(module: string): string {
    return path.join(this.dir, `${sha256(module)}.json`);
  }

  #hash(file: string): string {
    let h = this.#hashes.get(file);
    if (h === undefined) {
      try {
        h = sha256(readFileSync(file));
      } catch {
        h = "missing";
      }
      this.#hashes.set(file, h);
    }
    return h;
  }
}

function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
