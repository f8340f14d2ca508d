import { CONDITION_OPS } from "../../spec/schema/common.js";
import { droppedFields } from "./fields.js";
import { readGraph, valuesRead } from "./graph.js";
import { TASK_KINDS } from "./kinds.js";
import { parameterNameFrom, unique } from "./names.js";
import { convertString, type ReferenceLog, type ReferenceScope } from "./references.js";
import { convertSchedule } from "./schedule.js";
import { convertTask, type RunJobTarget } from "./task.js";
import { isObj, type Dropped, type JobEntry, type JobReport, type Obj, type OutputFile, type Renamed } from "./types.js";

/** What converting a job needs from the rest of the import. */
export interface JobContext {
  /** The job's dagship name. */
  name: string;
  /** Whether `${...}` bundle interpolations are resolved. */
  bundle: boolean;
  /** Where a run_job_task of this job goes (see {@link RunJobTarget}). */
  resolveRunJob(jobId: unknown, jobParameters: readonly string[]): RunJobTarget;
}

/** A converted job: its job.json object, its task modules and its report. */
export interface ConvertedJob {
  name: string;
  spec: Obj;
  modules: OutputFile[];
  report: Omit<JobReport, "folder">;
}

/** Jobs API 2.0 fields of a single-task job that belong to its task. */
const SINGLE_TASK_FIELDS = ["new_cluster", "existing_cluster_id", "libraries", "max_retries", "min_retry_interval_millis", "retry_on_timeout"];

/**
 * A job's tasks: `tasks` (Jobs API 2.1, bundles, dbx), or the one task of a Jobs API 2.0
 * single-task job (its task fields at the job's top level), which becomes task `main`.
 * Undefined when the job has no task.
 */
export function jobTasks(settings: Obj): { tasks: Obj[]; single: boolean } | undefined {
  if (Array.isArray(settings.tasks)) {
    const tasks = settings.tasks.filter(isObj);
    return tasks.length ? { tasks, single: false } : undefined;
  }
  if (!TASK_KINDS.some((k) => isObj(settings[k]))) return undefined;
  const task: Obj = { task_key: "main" };
  for (const k of [...TASK_KINDS, ...SINGLE_TASK_FIELDS]) if (settings[k] !== undefined) task[k] = settings[k];
  return { tasks: [task], single: true };
}

/** A job's parameters with valid, unique dagship names; `byDatabricks` maps the original names. */
export function jobParameters(settings: Obj): { list: { name: string; default: unknown }[]; byDatabricks: Map<string, string>; renamed: Record<string, string>; notes: string[] } {
  const list: { name: string; default: unknown }[] = [];
  const byDatabricks = new Map<string, string>();
  const renamed: Record<string, string> = {};
  const notes: string[] = [];
  const taken = new Set<string>();
  for (const p of Array.isArray(settings.parameters) ? settings.parameters : []) {
    if (!isObj(p) || typeof p.name !== "string" || p.name === "") {
      notes.push(`a job parameter without a name was skipped: ${JSON.stringify(p)}`);
      continue;
    }
    if (byDatabricks.has(p.name)) {
      notes.push(`job parameter "${p.name}" is defined twice: the first is kept`);
      continue;
    }
    const name = unique(parameterNameFrom(p.name), taken, "_");
    if (name !== p.name) renamed[p.name] = name;
    byDatabricks.set(p.name, name);
    if (p.default === undefined || p.default === null) notes.push(`job parameter "${name}" had no default: it is ""`);
    list.push({ name, default: p.default ?? "" });
  }
  return { list, byDatabricks, renamed, notes };
}

/**
 * Converts one Databricks job to a dagship job.json object, its generated task modules and a
 * report of what was converted, renamed, dropped or changed in meaning.
 *
 * @example
 * ```ts
 * const job = convertJob(entry, { name: "train", bundle: true, resolveRunJob: () => ({ reason: "none" }) });
 * job.spec.tasks; // [{ task_key: "Train", ts_task: { module: "tasks/Train.ts", ... } }, ...]
 * ```
 */
export function convertJob(entry: JobEntry, ctx: JobContext): ConvertedJob {
  const s = entry.settings;
  const found = jobTasks(s) ?? { tasks: [], single: false };
  const notes = [...entry.notes];
  if (found.single) notes.push('a Jobs API 2.0 single-task job: its task became "main"');
  const params = jobParameters(s);
  notes.push(...params.notes);
  const log: ReferenceLog = { notes: new Set(), problems: new Set(), vars: new Set() };
  const base: ReferenceScope = { parameters: params.byDatabricks, tasks: new Map(), bundle: ctx.bundle };
  const graph = readGraph(found.tasks, (i) => {
    const c = found.tasks[i]!.condition_task;
    return isObj(c) && (CONDITION_OPS as readonly unknown[]).includes(c.op);
  });
  base.tasks = graph.byDatabricksKey;
  const jobStr = (v: unknown, parameterDefault = false) => convertString(typeof v === "string" ? v : String(v), { ...base, parameterDefault }, log);

  const spec: Obj = { name: ctx.name };
  if (typeof s.description === "string" && s.description) spec.description = jobStr(s.description);
  if (isObj(s.tags) && Object.keys(s.tags).length) spec.tags = Object.fromEntries(Object.entries(s.tags).map(([k, v]) => [k, jobStr(v ?? "")]));
  if (params.list.length) spec.parameters = params.list.map((p) => ({ name: p.name, default: jobStr(p.default, true) }));
  const dropped: Dropped[] = [];
  limits(s, spec, dropped, notes);
  const schedule = convertSchedule(s);
  if (schedule.schedule) spec.schedule = schedule.schedule;
  dropped.push(...schedule.dropped);
  notes.push(...schedule.notes);

  const read = valuesRead(found.tasks);
  const files = new Set<string>();
  const converted = found.tasks.map((raw, i) => {
    const key = graph.keys[i]!;
    const taskLog: ReferenceLog = { notes: log.notes, problems: new Set(), vars: log.vars };
    const original = typeof raw.task_key === "string" ? raw.task_key : key;
    const task = convertTask(raw, {
      key,
      dependsOn: graph.dependsOn[i]!,
      scope: { ...base, task: key, upstream: graph.upstream[i]! },
      log: taskLog,
      jobLabel: typeof s.name === "string" ? s.name : entry.from,
      jobParameters: params.list.map((p) => p.name),
      valuesRead: [...(read.get(original) ?? [])],
      modulePath: `tasks/${unique(key, files, "-", true)}.ts`,
      resolveRunJob: ctx.resolveRunJob,
    });
    task.report.notes.unshift(...graph.notes[i]!);
    task.report.notes.push(...taskLog.problems);
    return task;
  });
  spec.tasks = converted.map((t) => t.spec);

  const handled = new Set<string>(found.single ? [...TASK_KINDS, ...SINGLE_TASK_FIELDS] : []);
  if (schedule.triggerHandled) handled.add("trigger");
  dropped.push(...droppedFields(s, "job", handled));
  notes.push(...log.problems, ...log.notes);
  const renamed: Renamed = {};
  if (Object.keys(graph.renamed).length) renamed.tasks = graph.renamed;
  if (Object.keys(params.renamed).length) renamed.parameters = params.renamed;
  const report: ConvertedJob["report"] = {
    name: ctx.name,
    from: entry.from,
    ...(typeof s.name === "string" ? { databricks_name: s.name } : {}),
    tasks: converted.map((t) => t.report),
    dropped,
    ...(Object.keys(renamed).length ? { renamed } : {}),
    notes,
    vars: [...log.vars].sort(),
  };
  return { name: ctx.name, spec, modules: converted.flatMap((t) => (t.module ? [t.module] : [])), report };
}

/** max_concurrent_runs (1-1000) and timeout_seconds (0 = none). */
function limits(s: Obj, spec: Obj, dropped: Dropped[], notes: string[]): void {
  const int = (v: unknown) => (typeof v === "number" && Number.isInteger(v) ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined);
  if (s.max_concurrent_runs !== undefined) {
    const n = int(s.max_concurrent_runs);
    if (n === undefined) dropped.push({ field: "max_concurrent_runs", reason: `${JSON.stringify(s.max_concurrent_runs)} is not a whole number` });
    else if (n === 0) dropped.push({ field: "max_concurrent_runs", reason: "0 (skip every new run) has no dagship equivalent: the default, 1, applies" });
    else if (n > 1000) {
      spec.max_concurrent_runs = 1000;
      notes.push(`max_concurrent_runs ${n} became 1000, dagship's maximum`);
    } else spec.max_concurrent_runs = n;
  }
  if (s.timeout_seconds !== undefined) {
    const n = int(s.timeout_seconds);
    if (n === undefined) dropped.push({ field: "timeout_seconds", reason: `${JSON.stringify(s.timeout_seconds)} is not a whole number of seconds` });
    else if (n > 0) spec.timeout_seconds = n;
  }
}
