import { ConfigError } from "../../errors.js";
import { formatList } from "../../spec/suggest.js";
import { TASK_KINDS } from "./kinds.js";
import { isObj, type DetectedSource, type JobEntry, type Obj } from "./types.js";

/**
 * Finds the Databricks jobs of a parsed source file and says what kind of file it is:
 * - Jobs API JSON: job settings, a jobs/get response (`{ job_id, settings }`), a jobs/list
 *   response (`{ jobs: [...] }`) or a list of those;
 * - a bundle file: `resources.jobs.<key>` and `targets.<t>.resources.jobs.<key>`;
 * - a dbx deployment file: `environments.<env>.workflows[]` (or the older `jobs[]`).
 * Throws a `ConfigError` DS2008 (exit 2) when the file holds no job, saying what it holds instead.
 *
 * @example
 * ```ts
 * detectSource({ resources: { jobs: { train: { name: "train", tasks: [] } } } }, "bundle.yml").jobs[0]?.from;
 * // "resources.jobs.train"
 * ```
 */
export function detectSource(value: unknown, shown: string): DetectedSource {
  const none = (what: string, hint: string): never => {
    throw new ConfigError("DS2008", `nothing to import: ${shown} holds no job (${what})`, { hint });
  };
  const base = { variables: new Map(), notes: [] as string[] };
  if (Array.isArray(value)) {
    const jobs = value.flatMap((item, i) => (isObj(item) ? apiEntries(item, `[${i}]`) : []));
    if (jobs.length === 0) none("a list without job settings", HINT);
    return { kind: "jobs-api", detail: "a list of jobs", jobs, ...base };
  }
  if (!isObj(value)) return none(`it holds a single ${typeof value} value`, HINT);

  if (["resources", "targets", "bundle", "include", "variables"].some((k) => k in value)) return bundle(value, none);
  if (isObj(value.environments) && Object.values(value.environments).some((e) => isObj(e) && (Array.isArray(e.workflows) || Array.isArray(e.jobs)))) {
    const found = dbx(value.environments);
    if (found.jobs.length === 0) none("its dbx environments define no job workflows", found.notes.join("; ") || HINT);
    return found;
  }
  if (Array.isArray(value.jobs)) {
    const jobs = value.jobs.flatMap((item, i) => (isObj(item) ? apiEntries(item, `jobs[${i}]`) : []));
    if (jobs.length === 0) none("its jobs list is empty", HINT);
    return { kind: "jobs-api", detail: "a jobs/list response", jobs, ...base };
  }
  const jobs = apiEntries(value, "");
  if (jobs.length === 0) none(`no tasks, settings, resources.jobs or environments; its keys are ${formatList(Object.keys(value))}`, HINT);
  return { kind: "jobs-api", detail: isObj(value.settings) ? "a jobs/get response" : "job settings", jobs, ...base };
}

const HINT = "give a Databricks job JSON (job settings or jobs/get output), a bundle file with resources.jobs, or a dbx deployment file";

/** A Jobs API object: job settings, or `{ job_id, settings }`. */
function apiEntries(value: Obj, at: string): JobEntry[] {
  const jobId = typeof value.job_id === "number" || typeof value.job_id === "string" ? String(value.job_id) : undefined;
  if (isObj(value.settings)) {
    return [{ from: at ? `${at}.settings` : "settings", settings: value.settings, notes: [], ...(jobId ? { jobId } : {}) }];
  }
  if (!Array.isArray(value.tasks) && !TASK_KINDS.some((k) => k in value)) return [];
  return [{ from: at || "(job settings)", settings: value, notes: [], ...(jobId ? { jobId } : {}) }];
}

function bundle(value: Obj, none: (what: string, hint: string) => never): DetectedSource {
  const jobs: JobEntry[] = [];
  const notes: string[] = [];
  const byKey = new Map<string, JobEntry>();
  const add = (key: string, settings: unknown, from: string, target?: string) => {
    const seen = byKey.get(key);
    if (seen) {
      seen.notes.push(`${from} ${target && seen.from.startsWith("resources.") ? `overrides this job in target ${target}` : "defines it again"}: not carried over (dagship keeps per-environment differences in environments/<env>.yaml under overrides.jobs)`);
      return;
    }
    if (!isObj(settings)) {
      notes.push(`${from} is not a mapping: skipped`);
      return;
    }
    const entry: JobEntry = { from, key, settings, notes: target ? [`defined only in target ${target}`] : [] };
    byKey.set(key, entry);
    jobs.push(entry);
  };
  const resources = isObj(value.resources) ? value.resources : {};
  if (isObj(resources.jobs)) for (const [key, job] of Object.entries(resources.jobs)) add(key, job, `resources.jobs.${key}`);
  const targets = isObj(value.targets) ? value.targets : {};
  for (const [t, target] of Object.entries(targets)) {
    const jobsOf = isObj(target) && isObj(target.resources) && isObj(target.resources.jobs) ? target.resources.jobs : {};
    for (const [key, job] of Object.entries(jobsOf)) add(key, job, `targets.${t}.resources.jobs.${key}`, t);
  }
  if (jobs.length === 0) {
    const include = Array.isArray(value.include) ? value.include.filter((i): i is string => typeof i === "string") : [];
    const other = Object.keys(resources).map((k) => `resources.${k}`);
    const what = other.length ? `it defines ${formatList(other)} but no resources.jobs` : "a bundle file without resources.jobs";
    none(what, include.length ? `the bundle's jobs live in the files it includes: ${include.join(", ")}; import those` : "jobs are under resources.jobs.<key> of a bundle file");
  }
  return { kind: "bundle", detail: isObj(value.bundle) ? "a bundle root (databricks.yml)" : "a bundle resource file", jobs, variables: bundleVariables(value), notes };
}

/** Bundle variables with their defaults and per-target values, to suggest environment vars. */
function bundleVariables(value: Obj): DetectedSource["variables"] {
  const out: DetectedSource["variables"] = new Map();
  const scalar = (v: unknown) => (typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : undefined);
  const entry = (name: string) => {
    let e = out.get(name);
    if (!e) out.set(name, (e = { targets: {} }));
    return e;
  };
  for (const [name, spec] of Object.entries(isObj(value.variables) ? value.variables : {})) {
    const d = isObj(spec) ? scalar(spec.default) : scalar(spec);
    const e = entry(name);
    if (d !== undefined) e.default = d;
  }
  for (const [t, target] of Object.entries(isObj(value.targets) ? value.targets : {})) {
    if (!isObj(target) || !isObj(target.variables)) continue;
    for (const [name, v] of Object.entries(target.variables)) {
      const s = isObj(v) ? scalar(v.default) : scalar(v);
      if (s !== undefined) entry(name).targets[t] = s;
    }
  }
  return out;
}

function dbx(environments: Obj): DetectedSource {
  const envs = Object.entries(environments).filter(([, e]) => isObj(e) && (Array.isArray(e.workflows) || Array.isArray(e.jobs)));
  const [chosen, env] = envs.find(([name]) => name === "default") ?? envs[0]!;
  const notes: string[] = [];
  for (const [name, e] of envs) {
    if (name === chosen) continue;
    const count = ((e as Obj).workflows as unknown[] | undefined ?? (e as Obj).jobs as unknown[]).length;
    notes.push(`dbx environment "${name}" (${count} workflow${count === 1 ? "" : "s"}) was not imported: the jobs come from "${chosen}"; dagship keeps per-environment differences in environments/<env>.yaml under overrides.jobs`);
  }
  const field = Array.isArray((env as Obj).workflows) ? "workflows" : "jobs";
  const jobs: JobEntry[] = [];
  ((env as Obj)[field] as unknown[]).forEach((w, i) => {
    const from = `environments.${chosen}.${field}[${i}]`;
    if (!isObj(w)) return void notes.push(`${from} is not a mapping: skipped`);
    if (w.workflow_type === "pipeline") {
      return void notes.push(`${from} is a dbx "${w.workflow_type}" workflow, not a job: skipped`);
    }
    jobs.push({ from, settings: w, notes: [] });
  });
  return { kind: "dbx", detail: `environment "${chosen}"`, jobs, variables: new Map(), notes };
}
