import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { jobNameFrom } from "./names.js";
import { isObj } from "./types.js";

/** Files and bytes looked at, at most: the lookup is a convenience, never a scan of a big folder. */
const MAX_FILES = 200;
const MAX_BYTES = 1024 * 1024;

/**
 * Finds `resources.jobs.<key>` in the other YAML files of a bundle file's folder (a bundle's
 * resource files usually sit together), so that a `${resources.jobs.<key>.id}` defined in a
 * sibling file gets a placeholder with the name that job will have once imported. Files that
 * cannot be read or parsed are skipped.
 *
 * @example
 * ```ts
 * const find = bundleJobLookup("/repo/resources/monitoring.yml");
 * find("model_training_job"); // { name: "mlops_stacks-model-training-job", file: "/repo/resources/model-workflow.yml" }
 * ```
 */
export function bundleJobLookup(source: string, display: (abs: string) => string = (f) => f): (key: string) => { name: string; file: string } | undefined {
  let files: string[] | undefined;
  const cache = new Map<string, unknown>();
  const list = () => {
    if (files) return files;
    const dir = path.dirname(source);
    try {
      files = readdirSync(dir)
        .filter((n) => /\.ya?ml$/i.test(n))
        .sort()
        .slice(0, MAX_FILES)
        .map((n) => path.join(dir, n))
        .filter((f) => path.resolve(f) !== path.resolve(source));
    } catch {
      files = [];
    }
    return files;
  };
  const load = (file: string): unknown => {
    if (!cache.has(file)) {
      let value: unknown;
      try {
        if (statSync(file).size <= MAX_BYTES) value = parse(readFileSync(file, "utf8"), { merge: true, maxAliasCount: 1000 });
      } catch {
        value = undefined;
      }
      cache.set(file, value);
    }
    return cache.get(file);
  };
  return (key) => {
    for (const file of list()) {
      const doc = load(file);
      if (!isObj(doc)) continue;
      const candidates = [doc.resources, ...Object.values(isObj(doc.targets) ? doc.targets : {}).map((t) => (isObj(t) ? t.resources : undefined))];
      for (const r of candidates) {
        const job = isObj(r) && isObj(r.jobs) ? r.jobs[key] : undefined;
        if (isObj(job)) return { name: jobNameFrom(typeof job.name === "string" ? job.name : undefined, key), file: display(file) };
      }
    }
    return undefined;
  };
}
