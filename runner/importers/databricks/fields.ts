import { isEmpty, type Dropped, type Obj } from "./types.js";

const COMPUTE = "clusters and environments do not exist in dagship: each task runs as a process on the runner's machine (ts_task compute hints: cpus, memory_mb, gpu)";
const NOTIFY = "notifications are not part of a dagship job (CI reports failures: GitHub job summary and annotations)";
const ACCESS = "access control is the repository's and the workspace's (git and file permissions)";

/** Job settings fields dagship has no place for, and why. */
const JOB_DROPPED: Record<string, string> = {
  job_clusters: COMPUTE,
  environments: COMPUTE,
  email_notifications: NOTIFY,
  webhook_notifications: NOTIFY,
  notification_settings: NOTIFY,
  health: "health rules (run-duration and backlog thresholds) are not supported",
  git_source: "task code lives in this repository, not in a remote git source",
  permissions: ACCESS,
  access_control_list: ACCESS,
  run_as: "runs run as the user or CI account that starts them",
  queue: "runs beyond max_concurrent_runs are refused, not queued",
  format: "dagship has one job format",
  deployment: "deployment metadata belongs to Databricks",
  edit_mode: "jobs are edited in the repository",
  budget_policy_id: "budget policies are not supported",
  usage_policy_id: "usage policies are not supported",
  performance_target: "serverless performance targets are not supported",
  continuous: "continuous jobs are not supported: schedule the job or run it from CI",
  trigger: "file-arrival and table-update triggers are not supported: schedule the job or run it from CI",
};

/** Task fields dagship has no place for, and why. */
const TASK_DROPPED: Record<string, string> = {
  new_cluster: COMPUTE,
  existing_cluster_id: COMPUTE,
  job_cluster_key: COMPUTE,
  compute_key: COMPUTE,
  environment_key: COMPUTE,
  libraries: "task dependencies come from the repository's package.json",
  email_notifications: NOTIFY,
  webhook_notifications: NOTIFY,
  notification_settings: NOTIFY,
  health: "health rules (run-duration and backlog thresholds) are not supported",
  disable_auto_optimization: "auto-optimization is a Databricks cluster feature",
};

/** Job fields the importer converts (everything else is reported). */
export const JOB_CONVERTED = new Set(["name", "description", "tags", "parameters", "max_concurrent_runs", "timeout_seconds", "schedule", "tasks"]);
/** Task fields the importer converts (the task kinds are handled apart). */
export const TASK_CONVERTED = new Set(["task_key", "description", "depends_on", "run_if", "max_retries", "min_retry_interval_millis", "retry_on_timeout", "timeout_seconds"]);

/**
 * The fields of a Databricks job or task object that are not carried over, each with the
 * reason. Empty values (`{}`, `[]`, null) are left out: dropping them loses nothing. A field
 * that is not a Jobs API field at all (e.g. `git_source_info`, dbx's `deployment_config`) is
 * reported as such.
 *
 * @example
 * ```ts
 * droppedFields({ existing_cluster_id: "0909-1", email_notifications: {} }, "task", new Set());
 * // → [{ field: "existing_cluster_id", reason: "clusters and environments do not exist in dagship: ..." }]
 * ```
 */
export function droppedFields(value: Obj, level: "job" | "task", handled: ReadonlySet<string>): Dropped[] {
  const table = level === "job" ? JOB_DROPPED : TASK_DROPPED;
  const converted = level === "job" ? JOB_CONVERTED : TASK_CONVERTED;
  const out: Dropped[] = [];
  for (const [field, v] of Object.entries(value)) {
    if (converted.has(field) || handled.has(field) || isEmpty(v)) continue;
    out.push({ field, reason: table[field] ?? `not a Databricks Jobs API ${level} field` });
  }
  return out;
}
