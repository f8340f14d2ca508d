import { ConfigError } from "../../errors.js";
import { convertJob, jobParameters, jobTasks, type ConvertedJob } from "./job.js";
import { placeholderModule } from "./module.js";
import { jobNameFrom, parameterNameFrom, unique } from "./names.js";
import type { RunJobTarget } from "./task.js";
import { PLACEHOLDER_TAG, type DetectedSource, type JobEntry, type Obj, type OutputFile } from "./types.js";

/** How to name things the file itself does not settle. */
export interface ConvertOptions {
  /** The one job's name when `--out` names its folder. */
  singleName?: string;
  /** The name a bundle job key has in another file of the bundle, if one defines it. */
  lookupBundleJob?(key: string): { name: string; file: string } | undefined;
  /** How a job's folder is shown, for the hints of placeholder jobs. */
  folderOf?(name: string): string;
  /** Names not to give a job: folders beside the jobs that are not jobs (e.g. `jobs/lib`). */
  reserved?: Iterable<string>;
}

/** A job that stands for a run_job_task target the file does not define. */
export interface Placeholder {
  name: string;
  standsFor: string;
  parameters: Set<string>;
  notes: string[];
  files: OutputFile[];
}

/** Everything an import produces, before anything is written. */
export interface Conversion {
  jobs: ConvertedJob[];
  placeholders: Placeholder[];
  /** Jobs of the file that were not imported (no tasks). */
  skipped: { from: string; reason: string }[];
}

/**
 * Converts every job of a detected source: names them (valid, unique; with one job and
 * `singleName`, that name), resolves run_job_task targets (a job of the same file by bundle key
 * or job id, else a placeholder job named after the target) and converts each job. A file whose
 * jobs all lack tasks is a `ConfigError` DS2008.
 *
 * @example
 * ```ts
 * const { jobs, placeholders } = convertSource(detectSource(value, "job.json"), {});
 * ```
 */
export function convertSource(source: DetectedSource, options: ConvertOptions): Conversion {
  const skipped: Conversion["skipped"] = [];
  const entries = source.jobs.filter((e) => {
    if (jobTasks(e.settings)) return true;
    skipped.push({ from: e.from, reason: "the job has no tasks (a dagship job needs at least one)" });
    return false;
  });
  if (entries.length === 0) {
    throw new ConfigError("DS2008", `nothing to import: ${skipped.length === 1 ? "the job has" : `none of the ${skipped.length} jobs has`} no tasks`, { hint: "a dagship job needs at least one task" });
  }
  const taken = new Set<string>(options.reserved);
  const names = new Map<JobEntry, string>();
  for (const e of entries) {
    if (entries.length === 1 && options.singleName) {
      names.set(e, options.singleName);
      taken.add(options.singleName);
    } else {
      names.set(e, unique(jobNameFrom(typeof e.settings.name === "string" ? e.settings.name : undefined, e.key ?? "job"), taken));
    }
  }
  const byKey = new Map(entries.flatMap((e) => (e.key ? [[e.key, names.get(e)!] as const] : [])));
  const byId = new Map(entries.flatMap((e) => (e.jobId ? [[e.jobId, names.get(e)!] as const] : [])));
  const parametersOf = new Map(entries.map((e) => [names.get(e)!, jobParameters(e.settings).list.map((p) => p.name)]));
  const placeholders = new Map<string, Placeholder>();

  const folderOf = options.folderOf ?? ((name: string) => name);
  const placeholder = (identity: string, standsFor: string, base: string, hint: (folder: string) => string): Placeholder => {
    let p = placeholders.get(identity);
    if (!p) {
      const name = unique(base, taken);
      p = { name, standsFor, parameters: new Set(), notes: [hint(folderOf(name))], files: [] };
      placeholders.set(identity, p);
    }
    return p;
  };
  const resolve = (self: string, jobId: unknown, passed: readonly string[]): RunJobTarget => {
    const text = typeof jobId === "number" ? String(jobId) : typeof jobId === "string" ? jobId.trim() : undefined;
    if (text === undefined || text === "") return { reason: "the run_job_task has no job_id" };
    const ref = /^\$\{resources\.jobs\.([^.}]+)\.id\}$/.exec(text);
    const local = ref ? byKey.get(ref[1]!) : /^\d+$/.test(text) ? byId.get(text) : undefined;
    if (local === self) return { reason: "a job cannot run itself in dagship" };
    if (local !== undefined) return { job: local, childParameters: parametersOf.get(local)! };
    let p: Placeholder;
    if (ref) {
      const key = ref[1]!;
      const elsewhere = options.lookupBundleJob?.(key);
      p = placeholder(`key:${key}`, text, elsewhere?.name ?? jobNameFrom(key), (folder) =>
        elsewhere
          ? `The bundle defines resources.jobs.${key} in ${elsewhere.file}: import it with "dagship import databricks ${elsewhere.file} --out ${folder}" (a placeholder is replaced without --force).`
          : `resources.jobs.${key} is defined in another file of the bundle: import that file with --out ${folder} (a placeholder is replaced without --force).`,
      );
    } else if (/^\d+$/.test(text)) {
      p = placeholder(`id:${text}`, `the Databricks job with job_id ${text}`, `databricks-job-${text}`, (folder) => `A Databricks job id cannot be resolved from a file: save the job (databricks jobs get ${text} > job.json) and import it with "dagship import databricks job.json --out ${folder}", or point run_job_task.job at the right job.`);
    } else {
      p = placeholder(`text:${text}`, text, `databricks-job-${jobNameFrom(text)}`, () => `${text} cannot be resolved: point run_job_task.job at the right job.`);
    }
    passed.forEach((k) => p.parameters.add(parameterNameFrom(k)));
    return { job: p.name, note: `run_job_task runs ${p.standsFor}, which this file does not define: it runs the job "${p.name}" beside this one (a placeholder until that job is imported, unless it exists already)` };
  };

  const jobs = entries.map((e) => {
    const name = names.get(e)!;
    const job = convertJob(e, { name, bundle: source.kind === "bundle", resolveRunJob: (id, passed) => resolve(name, id, passed) });
    const from = typeof e.settings.name === "string" ? e.settings.name : undefined;
    if (from !== undefined && from !== name) job.report.renamed = { job: { from, to: name }, ...job.report.renamed };
    else if (from === undefined) job.report.notes.unshift(`the job had no name: it is named "${name}"${e.key ? " after its key" : ""}`);
    for (const v of job.report.vars) {
      const known = source.variables.get(v);
      if (!known) continue;
      const values = [...(known.default !== undefined ? [`default ${JSON.stringify(known.default)}`] : []), ...Object.entries(known.targets).map(([t, x]) => `target ${t}: ${JSON.stringify(x)}`)];
      if (values.length) job.report.notes.push(`bundle variable ${v} (${values.join("; ")}): set vars.${v} in environments/<env>.yaml`);
    }
    return job;
  });
  for (const p of placeholders.values()) p.files = placeholderFiles(p);
  return { jobs, placeholders: [...placeholders.values()], skipped };
}

/** job.json and its one task module for a placeholder job. */
function placeholderFiles(p: Placeholder): OutputFile[] {
  const spec: Obj = {
    name: p.name,
    description: `Placeholder written by dagship import databricks: stands for ${p.standsFor}, which a run_job_task runs. ${p.notes[0] ?? ""}`.trim(),
    tags: { ...PLACEHOLDER_TAG },
    ...(p.parameters.size ? { parameters: [...p.parameters].sort().map((name) => ({ name, default: "" })) } : {}),
    tasks: [{ task_key: "port_me", ts_task: { module: "tasks/port_me.ts" } }],
  };
  return [
    { path: "job.json", content: JSON.stringify(spec, null, 2) + "\n" },
    { path: "tasks/port_me.ts", content: placeholderModule(p.standsFor, p.notes[0] ?? "") },
  ];
}
