import type { CONDITION_OPS, PAUSE_STATUS, RUN_IF } from "./schema/common.js";
import type { ComputeSpec, ParameterSpec } from "./schema/job.js";

export type RunIf = (typeof RUN_IF)[number];
export type ConditionOp = (typeof CONDITION_OPS)[number];
export type PauseStatus = (typeof PAUSE_STATUS)[number];
export type TaskType = "ts_task" | "run_job_task" | "condition_task";

/** A dependency edge; `outcome` only on edges from a condition_task. */
export interface CompiledDependency {
  task_key: string;
  outcome?: "true" | "false";
}

/** A ts_task with its module resolved to an absolute path inside the repository. */
export interface CompiledTsTask {
  /** The module as written, relative to the job's folder. */
  module: string;
  /** The resolved absolute path of the module file. */
  path: string;
  export: string;
  parameters: Record<string, unknown>;
  /**
   * Set in deployed jobs: `path` is then a module already bundled at deploy time (run as is, not
   * bundled again); `externals` maps the packages it imports to the files they resolved to.
   */
  bundled?: { externals: Record<string, string> };
}

export interface CompiledRunJobTask {
  job: string;
  job_parameters: Record<string, string>;
}

export interface CompiledConditionTask {
  op: ConditionOp;
  left: string;
  right: string;
}

interface CompiledTaskBase {
  task_key: string;
  description?: string;
  depends_on: CompiledDependency[];
  run_if: RunIf;
  max_retries: number;
  min_retry_interval_millis: number;
  retry_on_timeout: boolean;
  timeout_seconds: number;
  compute: ComputeSpec;
  /** Position of the task in the job file's `tasks` array. */
  index: number;
}

/** A task with every default applied and exactly one kind. */
export type CompiledTask = CompiledTaskBase &
  (
    | { type: "ts_task"; ts_task: CompiledTsTask }
    | { type: "run_job_task"; run_job_task: CompiledRunJobTask }
    | { type: "condition_task"; condition_task: CompiledConditionTask }
  );

export interface CompiledSchedule {
  quartz_cron_expression: string;
  timezone_id: string;
  pause_status: PauseStatus;
}

/**
 * A validated job with every default applied: the type the runner, renderer and deployer use.
 * Produced only by {@link compileJobs} / {@link compileJobFile} when a job has no errors.
 *
 * @example
 * ```ts
 * const job = await compileJobFile("jobs/train/job.json");
 * for (const key of job.order) console.log(key, job.tasks.find((t) => t.task_key === key)!.type);
 * ```
 */
export interface CompiledJob {
  name: string;
  description?: string;
  tags: Record<string, string>;
  parameters: ParameterSpec[];
  max_concurrent_runs: number;
  timeout_seconds: number;
  schedule?: CompiledSchedule;
  tasks: CompiledTask[];
  /** Task keys in a topological order (every task after all of its dependencies). */
  order: string[];
  source: {
    /** Absolute path of job.json. */
    file: string;
    /** Absolute path of the job's folder. */
    dir: string;
    /** Absolute path of the repository root. */
    root: string;
  };
}
