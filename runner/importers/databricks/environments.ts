import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { listEnvironmentFiles } from "../../spec/repository.js";
import { isObj } from "./types.js";

/**
 * Notes on the deploy-time variables (`{{vars.x}}`) an imported job needs: which environment
 * files of the repository lack them (rendering for that environment would fail until they are
 * added), or, without environment files, that each environment must define them.
 *
 * @example
 * ```ts
 * varsNotes("/repo", ["catalog_name"], (f) => f);
 * // ['vars.catalog_name is not defined in environments/dev.yaml: add it before rendering or deploying for that environment']
 * ```
 */
export function varsNotes(root: string, vars: readonly string[], display: (abs: string) => string): string[] {
  if (vars.length === 0) return [];
  const files = listEnvironmentFiles(root);
  if (files.length === 0) return [`the job uses deploy-time ${vars.map((v) => `vars.${v}`).join(", ")}: define ${vars.length === 1 ? "it" : "them"} under vars in each environments/<env>.yaml`];
  const missing = new Map<string, string[]>();
  for (const file of files) {
    let defined: Set<string>;
    try {
      const doc: unknown = parse(readFileSync(file, "utf8"));
      defined = new Set(isObj(doc) && isObj(doc.vars) ? Object.keys(doc.vars) : []);
    } catch {
      continue;
    }
    for (const v of vars) if (!defined.has(v)) missing.set(v, [...(missing.get(v) ?? []), display(file)]);
  }
  return vars.flatMap((v) => (missing.has(v) ? [[v, missing.get(v)!] as const] : [])).map(([v, where]) => `vars.${v} is not defined in ${where.join(", ")}: add it before rendering or deploying for ${where.length === 1 ? "that environment" : "those environments"}`);
}
