import { CONDITION_OPS, RUN_IF } from "../../spec/schema/common.js";
import { droppedFields } from "./fields.js";
import type { Dependency } from "./graph.js";
import { describeKind, TASK_KINDS } from "./kinds.js";
import { taskModule } from "./module.js";
import { parameterNameFrom, segment } from "./names.js";
import { convertString, type ReferenceLog, type ReferenceScope } from "./references.js";
import { isEmpty, isObj, type Dropped, type Obj, type OutputFile, type TaskReport } from "./types.js";

/** Where a run_job_task's target went: an imported or placeholder job, or nowhere (then the task is ported). */
export type RunJobTarget = { job: string; note?: string; childParameters?: readonly string[] } | { job?: undefined; reason: string };

/** What converting one task needs to know about its job. */
export interface TaskContext {
  /** The dagship key of the task and its dependencies. */
  key: string;
  dependsOn: Dependency[];
  scope: ReferenceScope;
  log: ReferenceLog;
  /** The Databricks job's name (or location), for the generated module's comment. */
  jobLabel: string;
  /** Dagship names of the job's parameters (pushed down as Databricks does). */
  jobParameters: readonly string[];
  /** Value names downstream tasks read from this task. */
  valuesRead: readonly string[];
  /** Module path for a ported task, relative to the job's folder (`tasks/<key>.ts`). */
  modulePath: string;
  resolveRunJob(jobId: unknown, jobParameters: readonly string[]): RunJobTarget;
}

/** A converted task: its job.json object, its report and, for a ported task, its module. */
export interface ConvertedTask {
  spec: Obj;
  report: TaskReport;
  module?: OutputFile;
}

const RUN_JOB_LEGACY = new Set(["notebook_params", "python_params", "jar_params", "python_named_params", "spark_submit_params", "sql_params", "dbt_commands", "pipeline_params"]);

/**
 * Converts one Databricks task: condition_task and run_job_task carry over; every other kind
 * becomes a ts_task whose generated module throws `port me: this task replaces ...`, with the
 * task's parameters (and, as Databricks does for notebook, keyword wheel and SQL tasks, the
 * job's parameters) in ts_task.parameters. Retries, timeouts, run_if and dependencies carry
 * over; everything else is reported in `report.dropped`.
 */
export function convertTask(raw: Obj, ctx: TaskContext): ConvertedTask {
  const kinds = TASK_KINDS.filter((k) => isObj(raw[k]));
  const kind = kinds[0] ?? "none";
  const dropped: Dropped[] = kinds.slice(1).map((k) => ({ field: k, reason: `a task has one kind; it is a ${kind}` }));
  const notes: string[] = [];
  const str = (v: unknown) => convertString(typeof v === "string" ? v : String(v), ctx.scope, ctx.log);
  const spec: Obj = { task_key: ctx.key };
  if (typeof raw.description === "string" && raw.description) spec.description = str(raw.description);
  if (ctx.dependsOn.length) spec.depends_on = ctx.dependsOn;
  if (raw.run_if !== undefined) {
    if ((RUN_IF as readonly unknown[]).includes(raw.run_if)) {
      if (raw.run_if !== "ALL_SUCCESS") spec.run_if = raw.run_if;
    } else dropped.push({ field: "run_if", reason: `${JSON.stringify(raw.run_if)} is not one of ${RUN_IF.join(", ")}` });
  }

  const block = isObj(raw[kind]) ? (raw[kind] as Obj) : {};
  let port: { replaces: string; parameters: Obj; pushdown: boolean } | undefined;
  let as: TaskReport["as"] = "ts_task";
  if (kind === "condition_task") {
    if ((CONDITION_OPS as readonly unknown[]).includes(block.op)) {
      spec.condition_task = { op: block.op, left: str(block.left ?? ""), right: str(block.right ?? "") };
      as = "condition_task";
    } else port = { replaces: `a condition_task with op ${JSON.stringify(block.op)}`, parameters: { left: block.left, right: block.right }, pushdown: false };
  } else if (kind === "run_job_task") {
    const explicit = isObj(block.job_parameters) ? Object.entries(block.job_parameters) : [];
    const target = ctx.resolveRunJob(block.job_id, explicit.map(([k]) => k));
    if (target.job !== undefined) {
      const jobParameters: Record<string, string> = Object.fromEntries(explicit.map(([k, v]) => [parameterNameFrom(k), str(v ?? "")]));
      const renamedKeys = explicit.map(([k]) => k).filter((k) => parameterNameFrom(k) !== k);
      if (renamedKeys.length) notes.push(`job_parameters ${renamedKeys.map((k) => `"${k}" → ${parameterNameFrom(k)}`).join(", ")}: dagship parameter names start with a letter or _`);
      const pushed = (target.childParameters ?? []).filter((p) => ctx.jobParameters.includes(p) && !(p in jobParameters));
      for (const p of pushed) jobParameters[p] = `{{job.parameters.${segment(p)}}}`;
      if (pushed.length) notes.push(`job parameter${pushed.length === 1 ? "" : "s"} ${pushed.join(", ")} ${pushed.length === 1 ? "is" : "are"} passed to "${target.job}" in job_parameters, as Databricks pushes them down`);
      spec.run_job_task = { job: target.job, ...(isEmpty(jobParameters) ? {} : { job_parameters: jobParameters }) };
      if (target.note) notes.push(target.note);
      as = "run_job_task";
      for (const [field, v] of Object.entries(block)) {
        if (field === "job_id" || field === "job_parameters" || isEmpty(v)) continue;
        dropped.push({ field: `run_job_task.${field}`, reason: RUN_JOB_LEGACY.has(field) ? "per-task-type parameters of the child run are not supported: pass job_parameters" : "not a Databricks Jobs API field" });
      }
    } else port = { replaces: `a run of the Databricks job ${JSON.stringify(block.job_id ?? "?")} (${target.reason})`, parameters: Object.fromEntries(explicit), pushdown: false };
  } else if (kind === "none") {
    port = { replaces: "a task that had no task kind", parameters: {}, pushdown: false };
  } else {
    const described = describeKind(kind, block);
    dropped.push(...described.dropped);
    port = described;
  }

  let module: OutputFile | undefined;
  if (port) {
    const parameters = convertValue(port.parameters, str) as Obj;
    if (port.pushdown && ctx.jobParameters.length) {
      const overridden = ctx.jobParameters.filter((p) => p in parameters);
      for (const p of ctx.jobParameters) parameters[p] = `{{job.parameters.${segment(p)}}}`;
      notes.push(`job parameter${ctx.jobParameters.length === 1 ? "" : "s"} ${ctx.jobParameters.join(", ")} ${ctx.jobParameters.length === 1 ? "is" : "are"} passed in ts_task.parameters, as Databricks pushes them down to a ${kind}` + (overridden.length ? ` (overriding the task's own ${overridden.join(", ")}, as there)` : ""));
    }
    spec.ts_task = { module: ctx.modulePath, ...(isEmpty(parameters) ? {} : { parameters }) };
    module = {
      path: ctx.modulePath,
      content: taskModule({ job: ctx.jobLabel, task: typeof raw.task_key === "string" ? raw.task_key : ctx.key, kind, replaces: port.replaces, original: raw[kind] ?? raw, parameters: Object.keys(parameters), values: ctx.valuesRead }),
    };
  }

  retries(raw, spec, dropped, notes);
  dropped.push(...droppedFields(raw, "task", new Set(TASK_KINDS)));
  const report: TaskReport = { task_key: ctx.key, kind, as, ...(port ? { port: { module: ctx.modulePath, replaces: port.replaces } } : {}), dropped, notes };
  return { spec, report, ...(module ? { module } : {}) };
}

/** max_retries (-1 = unlimited becomes dagship's maximum, 100), retry interval, retry_on_timeout, timeout_seconds. */
function retries(raw: Obj, spec: Obj, dropped: Dropped[], notes: string[]): void {
  const int = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : undefined);
  const bad = (field: string, why: string) => dropped.push({ field, reason: `${JSON.stringify(raw[field])} ${why}` });
  if (raw.max_retries !== undefined) {
    const n = int(raw.max_retries);
    if (n === undefined || !Number.isInteger(n) || n < -1) bad("max_retries", "is not a whole number of retries");
    else if (n === -1 || n > 100) {
      spec.max_retries = 100;
      notes.push(`max_retries ${n === -1 ? "-1 (retry forever)" : n} became 100, dagship's maximum`);
    } else if (n > 0) spec.max_retries = n;
  }
  if (raw.min_retry_interval_millis !== undefined) {
    const n = int(raw.min_retry_interval_millis);
    if (n === undefined || !Number.isInteger(n) || n < 0) bad("min_retry_interval_millis", "is not a whole number of milliseconds");
    else if (n > 0) spec.min_retry_interval_millis = n;
  }
  if (raw.retry_on_timeout !== undefined) {
    if (typeof raw.retry_on_timeout === "boolean") {
      if (raw.retry_on_timeout) spec.retry_on_timeout = true;
    } else bad("retry_on_timeout", "is not true or false");
  }
  if (raw.timeout_seconds !== undefined) {
    const n = int(raw.timeout_seconds);
    if (n === undefined || !Number.isInteger(n) || n < 0) bad("timeout_seconds", "is not a whole number of seconds");
    else if (n > 0) spec.timeout_seconds = n;
  }
}

/** Converts every string of a JSON value (keys stay). */
export function convertValue(value: unknown, str: (s: string) => string): unknown {
  if (typeof value === "string") return str(value);
  if (Array.isArray(value)) return value.map((v) => convertValue(v, str));
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertValue(v, str)]));
  return value;
}
