import { convertJob, type ConvertedJob } from "../../../runner/importers/databricks/job.js";
import type { RunJobTarget } from "../../../runner/importers/databricks/task.js";
import type { JobEntry, Obj } from "../../../runner/importers/databricks/types.js";

/** Converts inline job settings as the importer does (run_job_task targets resolved by `resolve`). */
export function convert(settings: Obj, options: { bundle?: boolean; resolve?: (jobId: unknown, passed: readonly string[]) => RunJobTarget } = {}): ConvertedJob {
  const entry: JobEntry = { from: "(job settings)", settings, notes: [] };
  return convertJob(entry, { name: "imported", bundle: options.bundle ?? false, resolveRunJob: options.resolve ?? (() => ({ reason: "no jobs here" })) });
}

/** The job.json task objects of a converted job. */
export function tasksOf(job: ConvertedJob): Obj[] {
  return job.spec.tasks as Obj[];
}
