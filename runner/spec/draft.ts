import type { CompiledConditionTask, CompiledDependency, CompiledJob, CompiledRunJobTask, CompiledTask, RunIf } from "./compiled.js";
import type { ComputeSpec, ParameterSpec } from "./schema/job.js";

/**
 * A job after normalisation: defaults applied, but possibly still invalid. Built tolerantly
 * from whatever the file holds, so that every rule can run even when the schema check
 * already failed, and report all problems at once.
 */
export interface DraftJob extends Omit<CompiledJob, "parameters" | "tasks" | "order" | "source"> {
  /** `index` is the position in the file's `parameters` array (malformed entries are left out). */
  parameters: Array<ParameterSpec & { index: number }>;
  tasks: DraftTask[];
}

export interface DraftTask extends Omit<CompiledTask, "type" | "ts_task" | "run_job_task" | "condition_task" | "depends_on"> {
  /** The kinds present in the file; a valid task has exactly one. */
  kinds: Array<"ts_task" | "run_job_task" | "condition_task">;
  depends_on: Array<CompiledDependency & { index: number }>;
  ts_task?: { module: string; export: string; parameters: Record<string, unknown> };
  run_job_task?: CompiledRunJobTask;
  condition_task?: CompiledConditionTask;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown, d: number): number => (typeof v === "number" && Number.isFinite(v) ? v : d);
const strMap = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(obj(v)).filter((e): e is [string, string] => typeof e[1] === "string"));

/**
 * Applies defaults to a parsed job file. Never throws: fields of the wrong type are left out
 * (the schema check reports them).
 *
 * @example
 * ```ts
 * normaliseJob({ name: "a", tasks: [{ task_key: "t", ts_task: { module: "t.ts" } }] }).tasks[0]!.run_if; // "ALL_SUCCESS"
 * ```
 */
export function normaliseJob(value: unknown): DraftJob {
  const o = obj(value);
  const schedule = isObj(o.schedule) ? o.schedule : undefined;
  const job: DraftJob = {
    name: str(o.name) ?? "",
    tags: strMap(o.tags),
    parameters: arr(o.parameters).flatMap((p, index) => (isObj(p) && typeof p.name === "string" ? [{ name: p.name, default: str(p.default) ?? "", index }] : [])),
    max_concurrent_runs: num(o.max_concurrent_runs, 1),
    timeout_seconds: num(o.timeout_seconds, 0),
    tasks: arr(o.tasks).map((t, i) => normaliseTask(t, i)),
  };
  if (typeof o.description === "string") job.description = o.description;
  if (schedule) {
    job.schedule = {
      quartz_cron_expression: str(schedule.quartz_cron_expression) ?? "",
      timezone_id: str(schedule.timezone_id) ?? "",
      pause_status: schedule.pause_status === "PAUSED" ? "PAUSED" : "UNPAUSED",
    };
  }
  return job;
}

function normaliseTask(value: unknown, index: number): DraftTask {
  const t = obj(value);
  const kinds = (["ts_task", "run_job_task", "condition_task"] as const).filter((k) => t[k] !== undefined);
  const task: DraftTask = {
    task_key: str(t.task_key) ?? "",
    index,
    kinds,
    depends_on: arr(t.depends_on).flatMap((d, i) => {
      const dep = obj(d);
      if (typeof dep.task_key !== "string") return [];
      const outcome = dep.outcome === "true" || dep.outcome === "false" ? dep.outcome : undefined;
      return [outcome ? { task_key: dep.task_key, outcome, index: i } : { task_key: dep.task_key, index: i }];
    }),
    run_if: (str(t.run_if) as RunIf | undefined) ?? "ALL_SUCCESS",
    max_retries: num(t.max_retries, 0),
    min_retry_interval_millis: num(t.min_retry_interval_millis, 0),
    retry_on_timeout: t.retry_on_timeout === true,
    timeout_seconds: num(t.timeout_seconds, 0),
    compute: obj(t.compute) as ComputeSpec,
  };
  if (typeof t.description === "string") task.description = t.description;
  if (isObj(t.ts_task)) {
    task.ts_task = { module: str(t.ts_task.module) ?? "", export: str(t.ts_task.export) ?? "default", parameters: obj(t.ts_task.parameters) };
  }
  if (isObj(t.run_job_task)) {
    task.run_job_task = { job: str(t.run_job_task.job) ?? "", job_parameters: strMap(t.run_job_task.job_parameters) };
  }
  if (isObj(t.condition_task)) {
    const c = t.condition_task;
    task.condition_task = { op: (str(c.op) ?? "EQUAL_TO") as CompiledConditionTask["op"], left: str(c.left) ?? "", right: str(c.right) ?? "" };
  }
  return task;
}
