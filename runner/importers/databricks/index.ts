import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { ConfigError, UsageError } from "../../errors.js";
import { compileJobs } from "../../spec/compile.js";
import type { Diagnostic } from "../../spec/diagnostics.js";
import { displayPath, findRoot } from "../../spec/repository.js";
import { convertSource } from "./convert.js";
import { detectSource } from "./detect.js";
import { varsNotes } from "./environments.js";
import { jobTasks } from "./job.js";
import { isJobName } from "./names.js";
import { readSource } from "./parse.js";
import { bundleJobLookup } from "./siblings.js";
import { SOURCE_KIND_LABEL, type JobReport, type PlaceholderReport, type SourceKind } from "./types.js";
import { planFolders, writeFolders, type FolderOutput } from "./write.js";

export type { JobReport, PlaceholderReport, SourceKind, TaskReport } from "./types.js";

/** Options of {@link importDatabricks}. */
export interface ImportOptions {
  /** Paths are resolved and shown relative to this folder. */
  cwd: string;
  /** With one job, the job's folder; with several, the folder that receives one folder per job. Default: `jobs/` of the repository. */
  out?: string;
  /** Replace existing job folders. */
  force?: boolean;
}

/** Everything an import did. */
export interface ImportResult {
  source: { file: string; kind: SourceKind; label: string; detail: string };
  /** The folder the job folders were written in. */
  jobs_dir: string;
  jobs: JobReport[];
  placeholders: PlaceholderReport[];
  skipped: { from: string; reason: string }[];
  notes: string[];
  /** The imported jobs, validated with the project's compiler: always ok, unless the importer has a bug. */
  validation: { ok: boolean; errors: Diagnostic[] };
}

/**
 * Imports the Databricks jobs of a file (Jobs API JSON, bundle YAML or dbx deployment file)
 * as dagship jobs: converts them, writes one folder per job (with one job and `out`, `out` is
 * its folder) plus placeholder jobs for run_job_task targets the file does not define, and
 * validates the result. Throws typed errors for unreadable input (exit 2), syntax errors
 * (DS1001, exit 1), a file with no job (DS2008, exit 2) and folders it refuses to overwrite
 * (exit 2); nothing is written in those cases.
 *
 * @example
 * ```ts
 * const result = await importDatabricks("resources/train.yml", { cwd: process.cwd(), out: "jobs/train" });
 * result.jobs[0]?.tasks.filter((t) => t.port).length; // tasks left to port
 * ```
 */
export async function importDatabricks(file: string, options: ImportOptions): Promise<ImportResult> {
  const { cwd } = options;
  const display = (abs: string) => displayPath(abs, cwd) || ".";
  if (file.trim() === "") throw new ConfigError("DS2002", `no file named "${file}": the argument is empty`, { hint: "dagship import databricks <file>" });
  const abs = path.resolve(cwd, file);
  // A file outside the working directory is named as it was given (not as an absolute path).
  const shown = path.relative(cwd, abs).startsWith("..") ? file : display(abs);
  const source = detectSource(readSource(abs, shown), shown);

  const importable = source.jobs.filter((e) => jobTasks(e.settings)).length;
  const outAbs = options.out === undefined ? undefined : path.resolve(cwd, options.out);
  const single = outAbs !== undefined && importable === 1;
  if (single && !isJobName(path.basename(outAbs))) {
    throw new UsageError(`--out ${options.out}: with one job, --out is the job's folder, and "${path.basename(outAbs)}" is not a valid job name`, { hint: "job names are lowercase letters, digits, '_' and '-', starting with a letter or digit: e.g. --out jobs/train" });
  }
  if (single && outAbs === path.join(findRoot(cwd), "jobs")) {
    throw new UsageError(`--out ${options.out} is the repository's jobs folder: with one job, --out is the job's own folder`, { hint: "e.g. --out jobs/<name>, or leave --out out to write jobs/<job name>" });
  }
  const jobsDir = single ? path.dirname(outAbs) : (outAbs ?? path.join(findRoot(cwd), "jobs"));
  const conversion = convertSource(source, {
    ...(single ? { singleName: path.basename(outAbs) } : {}),
    ...(source.kind === "bundle" ? { lookupBundleJob: bundleJobLookup(abs, display) } : {}),
    folderOf: (name) => display(path.join(jobsDir, name)),
    reserved: otherFolders(jobsDir),
  });

  const root = findRoot(jobsDir);
  const schemaFile = path.join(root, "node_modules", "dagship", "schemas", "job.schema.json");
  const outputs: FolderOutput[] = conversion.jobs.map((j) => {
    const dir = path.join(jobsDir, j.name);
    const schema = existsSync(schemaFile) ? { $schema: path.relative(dir, schemaFile).split(path.sep).join("/") } : {};
    return { name: j.name, dir, placeholder: false, files: [{ path: "job.json", content: JSON.stringify({ ...schema, ...j.spec }, null, 2) + "\n" }, ...j.modules] };
  });
  outputs.push(...conversion.placeholders.map((p) => ({ name: p.name, dir: path.join(jobsDir, p.name), placeholder: true, files: p.files })));
  const plans = planFolders(outputs, options.force ?? false, display);
  writeFolders(plans, display);

  const written = plans.map((p) => path.join(p.dir, "job.json"));
  const { diagnostics } = await compileJobs(written, { cwd, diagnosticsOnly: true });
  const jobs = conversion.jobs.map((j): JobReport => {
    const { name, ...rest } = j.report;
    const report: JobReport = { name, folder: display(path.join(jobsDir, name)), ...rest };
    report.notes = [...report.notes, ...varsNotes(root, report.vars, display)];
    return report;
  });
  const placeholders = conversion.placeholders.map((p): PlaceholderReport => {
    const plan = plans.find((x) => x.placeholder && x.name === p.name)!;
    const reused = plan.action === "reuse";
    return { name: p.name, folder: display(plan.dir), stands_for: p.standsFor, written: !reused, notes: reused ? [`a job named "${p.name}" already exists: run_job_task runs it`] : p.notes };
  });
  return {
    source: { file: shown, kind: source.kind, label: SOURCE_KIND_LABEL[source.kind], detail: source.detail },
    jobs_dir: display(jobsDir),
    jobs,
    placeholders,
    skipped: conversion.skipped,
    notes: source.notes,
    validation: { ok: diagnostics.every((d) => d.severity !== "error"), errors: diagnostics },
  };
}

/** Folders under `dir` that are not job folders (e.g. `jobs/lib`): no imported job takes their name. */
function otherFolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && readdirSync(path.join(dir, e.name)).length > 0 && !existsSync(path.join(dir, e.name, "job.json")))
      .map((e) => e.name);
  } catch {
    return [];
  }
}
