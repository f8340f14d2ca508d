import path from "node:path";
import { DagshipError } from "../errors.js";
import type { CompiledJob } from "./compiled.js";
import { sortDiagnostics, type Diagnostic, type Finding } from "./diagnostics.js";
import { normaliseJob } from "./draft.js";
import { finaliseJob } from "./finalise.js";
import { reportRunJobCycles, type JobUnit } from "./job-graph.js";
import { MAX_PARAMETERS, MAX_TASKS } from "./limits.js";
import type { ModuleInfo } from "./exports.js";
import { ModuleResolver } from "./modules.js";
import { readConfigFile } from "./read.js";
import { displayPath, findRoot, jobFolders } from "./repository.js";
import { JOB_RULES, type RuleContext } from "./rules/index.js";
import { checkJobSchema } from "./schema-check.js";
import { locateFinding, type SourceDocument } from "./source/document.js";
import { parseJsonDocument } from "./source/json.js";

export interface CompileOptions {
  /** Repository root; when omitted, each job's root is found from its own folder (see {@link findRoot}). */
  root?: string;
  /** Paths in diagnostics are shown relative to this folder (default: `process.cwd()`). */
  cwd?: string;
  /** Only check: skip building the compiled jobs (`JobResult.job` stays undefined). */
  diagnosticsOnly?: boolean;
  /**
   * Turns each parsed job into the forms to compile, e.g. rendered once per environment (see
   * runner/render). Each form is compiled on its own; its `labels` say where it applies.
   */
  expand?: JobExpander;
  /**
   * A folder where module export analyses are cached by content (e.g. a workspace's cache):
   * unchanged modules are not parsed again.
   */
  cacheDir?: string;
}

/** One form of a job to compile, and the findings of making it (e.g. template errors). */
export interface JobForm {
  value: unknown;
  findings: Finding[];
  /** Where this form applies (e.g. environment names); none means everywhere. */
  labels?: string[];
}

/** Produces the forms of a parsed job (`path` is its absolute file path). */
export interface JobExpander {
  expand(value: unknown, path: string): JobForm[];
  /** Every label forms can carry, so a problem found in all of them is reported without labels. */
  labels: readonly string[];
}

/** The outcome for one job file: the compiled job when it has no errors. */
export interface JobResult {
  /** Absolute path of the job file. */
  path: string;
  /** Where this result applies when the job was expanded (e.g. environment names). */
  labels?: string[];
  job?: CompiledJob;
  diagnostics: Diagnostic[];
}

interface Unit extends JobUnit {
  /** The repository the job belongs to, and its module resolver. */
  modules: ModuleResolver;
  labels?: string[];
  /** Only what is needed to locate findings later: the parsed value is not kept. */
  doc: Pick<SourceDocument, "file" | "locate" | "diagnostics">;
}

/**
 * Compiles job files: parse with positions → JSON Schema → normalise defaults → every rule →
 * cross-job checks. Returns every problem of every file, located and sorted, and a
 * {@link CompiledJob} for each job that has none. Throws only for unreadable files.
 *
 * @example
 * ```ts
 * const { jobs, diagnostics } = await compileJobs(["jobs/train/job.json"]);
 * for (const d of diagnostics) console.log(`${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`);
 * ```
 */
export async function compileJobs(files: readonly string[], options: CompileOptions = {}): Promise<{ jobs: JobResult[]; diagnostics: Diagnostic[] }> {
  const cwd = options.cwd ?? process.cwd();
  const display = (abs: string) => displayPath(abs, cwd);
  const resolverOf = resolvers(options.root);
  const units: Unit[] = files.flatMap((f): Unit[] => {
    const abs = path.resolve(cwd, f);
    const modules = resolverOf(path.dirname(path.dirname(abs)));
    const { file, locate, diagnostics, value } = parseJsonDocument(display(abs), readConfigFile(abs, display(abs)));
    const doc = { file, locate, diagnostics };
    if (value === undefined) return [{ path: abs, modules, doc, findings: [] }];
    const forms = options.expand ? options.expand.expand(value, abs) : [{ value, findings: [] }];
    return forms.map((form, i) => ({
      path: abs,
      modules,
      // Syntax-level problems belong to the file, reported once.
      doc: i === 0 ? doc : { ...doc, diagnostics: [] },
      draft: normaliseJob(form.value),
      findings: [...form.findings, ...checkJobSchema(form.value)],
      ...(form.labels ? { labels: form.labels } : {}),
    }));
  });

  const exports = await analyseExports(units, options.cacheDir);
  const siblings = new Map<string, Set<string>>();
  for (const unit of units) {
    if (!unit.draft) continue;
    // Rules compare tasks and parameters with each other (quadratic at worst): a job over the
    // schema's limits, already reported as DS1002, is not analysed further, so a huge file cannot
    // exhaust time or memory.
    if (unit.draft.tasks.length > MAX_TASKS || unit.draft.parameters.length > MAX_PARAMETERS) continue;
    const dir = path.dirname(unit.path);
    const parent = path.dirname(dir);
    if (!siblings.has(parent)) siblings.set(parent, new Set(jobFolders(parent)));
    const { modules } = unit;
    const ctx: RuleContext = { job: unit.draft, file: unit.path, dir, root: modules.root, modules, exports, siblingJobs: siblings.get(parent)!, display, report: (f) => unit.findings.push(f) };
    for (const rule of JOB_RULES) rule(ctx);
  }
  reportRunJobCycles(units);

  const jobs = units.map((u): JobResult => {
    const diagnostics = [...u.doc.diagnostics, ...u.findings.map((f) => locateFinding(u.doc, f))];
    const result: JobResult = { path: u.path, diagnostics, ...(u.labels ? { labels: u.labels } : {}) };
    if (u.draft && !options.diagnosticsOnly && diagnostics.every((d) => d.severity !== "error")) {
      result.job = finaliseJob(u.draft, { file: u.path, dir: path.dirname(u.path), root: u.modules.root }, u.modules);
    }
    return result;
  });
  return { jobs, diagnostics: sortDiagnostics(labelled(jobs, options.expand?.labels ?? [])) };
}

/**
 * Compiles one job file and returns the {@link CompiledJob}, or throws a
 * {@link JobInvalidError} that carries every diagnostic.
 *
 * @example
 * ```ts
 * const job = await compileJobFile("jobs/train/job.json");
 * ```
 */
export async function compileJobFile(file: string, options: CompileOptions = {}): Promise<CompiledJob> {
  const { jobs, diagnostics } = await compileJobs([file], options);
  const job = jobs[0]?.job;
  if (!job) throw new JobInvalidError(file, diagnostics);
  return job;
}

/** A job that did not validate; `diagnostics` lists every problem. Exit code 1. */
export class JobInvalidError extends DagshipError {
  constructor(
    readonly file: string,
    readonly diagnostics: Diagnostic[],
  ) {
    super("DS1000", `${file} has ${diagnostics.length} error${diagnostics.length === 1 ? "" : "s"}`, { hint: `run: dagship validate ${file}`, exitCode: 1 });
  }
}

/**
 * Every problem once: the same problem found in several forms of a job is merged, and names the
 * labels (environments) it occurs in unless it occurs in all of them.
 */
function labelled(jobs: JobResult[], all: readonly string[]): Diagnostic[] {
  const seen = new Map<string, { d: Diagnostic; labels: Set<string> | undefined }>();
  for (const job of jobs) {
    for (const d of job.diagnostics) {
      const key = `${d.file}\u0000${d.line}\u0000${d.column}\u0000${d.code}\u0000${d.message}`;
      const entry = seen.get(key);
      if (!entry) seen.set(key, { d, labels: job.labels ? new Set(job.labels) : undefined });
      else if (entry.labels) job.labels ? job.labels.forEach((l) => entry.labels!.add(l)) : (entry.labels = undefined);
    }
  }
  return [...seen.values()].map(({ d, labels }) => (labels && labels.size < all.length ? { ...d, message: `${d.message} (in ${[...labels].sort().join(", ")})` } : d));
}

/**
 * One module resolver per repository root: the given root, or else the root found from each
 * jobs folder (memoised: a thousand jobs usually share one folder).
 */
function resolvers(root: string | undefined): (jobsFolder: string) => ModuleResolver {
  const byRoot = new Map<string, ModuleResolver>();
  const rootOf = new Map<string, string>();
  return (jobsFolder) => {
    let r = root === undefined ? rootOf.get(jobsFolder) : path.resolve(root);
    if (r === undefined) rootOf.set(jobsFolder, (r = findRoot(jobsFolder)));
    let resolver = byRoot.get(r);
    if (!resolver) byRoot.set(r, (resolver = new ModuleResolver(r)));
    return resolver;
  };
}

/** The exports of every module the jobs name, analysed in one esbuild call per repository. */
async function analyseExports(units: Unit[], cacheDir: string | undefined): Promise<Map<string, ModuleInfo>> {
  const byResolver = new Map<ModuleResolver, Set<string>>();
  for (const u of units) {
    for (const t of u.draft?.tasks ?? []) {
      if (!t.ts_task?.module) continue;
      const r = u.modules.resolve(path.dirname(u.path), t.ts_task.module);
      if (!r.ok) continue;
      let paths = byResolver.get(u.modules);
      if (!paths) byResolver.set(u.modules, (paths = new Set()));
      paths.add(r.path);
    }
  }
  const out = new Map<string, ModuleInfo>();
  if (byResolver.size === 0) return out;
  // esbuild is loaded only when there is a module to analyse.
  const { analyseModules } = await import("./exports.js");
  const cache = cacheDir === undefined ? undefined : new (await import("./exports-cache.js")).ExportsCache(cacheDir);
  for (const [resolver, paths] of byResolver) {
    for (const [file, info] of await analyseModules([...paths], resolver.root, cache)) out.set(file, info);
  }
  return out;
}
