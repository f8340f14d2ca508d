/**
 * The tasks of the job a run ran, read from the job file its record names (`source.file`: the
 * working tree's, relative to the repository, or a deployment's bundle, relative to the
 * workspace): what each depends on, its kind and its `run_if`. For views of a run (the GitHub
 * summary's graph, the run report), so a missing or unreadable file gives no tasks, not an error.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "jsonc-parser";
import type { RunRecord } from "./records.js";

/** A task of the job as the run's views need it. */
export interface RunJobTask {
  depends_on: Array<{ task_key: string; outcome?: string }>;
  /** `ts_task tasks/a.ts#fit`, `condition {{...}} GREATER_THAN 0.4`, `run_job_task other`. */
  kind?: string;
  run_if?: string;
}

type RawTask = {
  task_key?: unknown;
  depends_on?: Array<{ task_key?: unknown; outcome?: unknown }>;
  run_if?: unknown;
  ts_task?: { module?: unknown; export?: unknown };
  condition_task?: { op?: unknown; left?: unknown; right?: unknown };
  run_job_task?: { job?: unknown };
};

/**
 * The tasks of the job `record` ran, by task key (empty when the job file is gone or unreadable).
 *
 * @example
 * ```ts
 * runJobTasks(record, { root: "/repo", workspace: "/repo/.dagship/dev" }).report?.depends_on; // [{ task_key: "double" }]
 * ```
 */
export function runJobTasks(record: Pick<RunRecord, "source">, env: { root: string; workspace: string }): Record<string, RunJobTask> {
  const file = [path.resolve(env.root, record.source.file), path.resolve(env.workspace, record.source.file)].find((f) => existsSync(f));
  if (file === undefined) return {};
  try {
    const job = parse(readFileSync(file, "utf8")) as { tasks?: RawTask[] } | undefined;
    const out: Record<string, RunJobTask> = {};
    for (const t of job?.tasks ?? []) {
      if (typeof t.task_key !== "string") continue;
      const depends_on = (t.depends_on ?? []).filter((d) => typeof d.task_key === "string").map((d) => ({ task_key: d.task_key as string, ...(typeof d.outcome === "string" ? { outcome: d.outcome } : {}) }));
      const kind = kindOf(t);
      out[t.task_key] = { depends_on, ...(kind ? { kind } : {}), ...(typeof t.run_if === "string" ? { run_if: t.run_if } : {}) };
    }
    return out;
  } catch {
    return {};
  }
}

function kindOf(t: RawTask): string | undefined {
  const s = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : "");
  if (t.ts_task) return `ts_task ${s(t.ts_task.module)}${t.ts_task.export ? `#${s(t.ts_task.export)}` : ""}`;
  if (t.condition_task) return `condition ${s(t.condition_task.left)} ${s(t.condition_task.op)} ${s(t.condition_task.right)}`;
  if (t.run_job_task) return `run_job_task ${s(t.run_job_task.job)}`;
  return undefined;
}
