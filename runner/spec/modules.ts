import { readdirSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import type { Finding } from "./diagnostics.js";
import { closest } from "./suggest.js";

export const MODULE_EXTENSIONS = [".ts", ".mts", ".js", ".mjs"] as const;

export type ModuleResolution = { ok: true; path: string } | { ok: false; finding: Omit<Finding, "pointer"> };

/**
 * Resolves `ts_task.module` paths against a job's folder and checks that each one is a
 * static relative path to an existing TypeScript/JavaScript file inside the repository
 * (symbolic links included). File-system lookups are memoised per absolute path.
 *
 * @example
 * ```ts
 * new ModuleResolver("/repo").resolve("/repo/jobs/train", "tasks/fit.ts"); // { ok: true, path: "/repo/jobs/train/tasks/fit.ts" }
 * ```
 */
export class ModuleResolver {
  /** Results per (job folder, module as written), and file-system facts per absolute path:
   * thousands of tasks often share a handful of modules. */
  readonly #results = new Map<string, ModuleResolution>();
  readonly #files = new Map<string, FileFacts>();
  readonly #realRoot: string;

  constructor(readonly root: string) {
    this.#realRoot = safeRealpath(root) ?? root;
  }

  resolve(dir: string, module: string): ModuleResolution {
    const key = `${dir}\u0000${module}`;
    let result = this.#results.get(key);
    if (!result) this.#results.set(key, (result = this.#resolve(dir, module)));
    return result;
  }

  #resolve(dir: string, module: string): ModuleResolution {
    const fail = (code: "DS1009" | "DS1010", message: string, hint?: string): ModuleResolution => ({
      ok: false,
      finding: hint === undefined ? { code, message } : { code, message, hint },
    });
    if (module.includes("{{")) return fail("DS1009", `module "${module}" must be a static path`, "references are resolved at run time; a module path must be known at deploy time");
    if (path.isAbsolute(module) || /^[A-Za-z]:[\\/]/.test(module)) return fail("DS1009", `module "${module}" is an absolute path`, "write the path relative to the job's folder, e.g. \"tasks/train.ts\"");
    const abs = path.resolve(dir, module);
    if (!inside(this.root, abs)) return fail("DS1009", `module "${module}" resolves to ${abs}, outside the repository ${this.root}`, "task modules must live in the repository (shared code goes in jobs/lib/)");
    if (!(MODULE_EXTENSIONS as readonly string[]).includes(path.extname(abs))) return fail("DS1010", `module "${module}" is not a TypeScript or JavaScript file`, `use one of ${MODULE_EXTENSIONS.join(", ")}`);
    const facts = this.#facts(abs);
    if (facts.kind === "missing") return fail("DS1010", `module "${module}" does not exist (looked for ${path.relative(this.root, abs)})`, suggestSibling(abs));
    if (facts.kind === "other") return fail("DS1010", `module "${module}" is not a file`, "name a .ts file, not a folder");
    if (!facts.real || !inside(this.#realRoot, facts.real)) return fail("DS1009", `module "${module}" is a link to ${facts.real ?? "nowhere"}, outside the repository`, "copy the module into the repository instead of linking to it");
    return { ok: true, path: abs };
  }

  #facts(abs: string): FileFacts {
    let facts = this.#files.get(abs);
    if (!facts) {
      const stat = statSync(abs, { throwIfNoEntry: false });
      facts = !stat ? { kind: "missing" } : !stat.isFile() ? { kind: "other" } : { kind: "file", real: safeRealpath(abs) };
      this.#files.set(abs, facts);
    }
    return facts;
  }
}

type FileFacts = { kind: "missing" } | { kind: "other" } | { kind: "file"; real: string | undefined };

function inside(root: string, abs: string): boolean {
  const rel = path.relative(root, abs);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

function safeRealpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

function suggestSibling(abs: string): string {
  let names: string[];
  try {
    names = readdirSync(path.dirname(abs)).filter((n) => (MODULE_EXTENSIONS as readonly string[]).includes(path.extname(n)));
  } catch {
    return `the folder ${path.dirname(abs)} does not exist either`;
  }
  const best = closest(path.basename(abs), names);
  if (best) return `did you mean "${best}"?`;
  return names.length > 0 ? `modules in that folder: ${names.slice(0, 10).join(", ")}` : "create the module, or fix the path (it is relative to the job's folder)";
}
