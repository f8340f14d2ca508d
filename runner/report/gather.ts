/**
 * Gathers a run report's data from the run store: the run record, the job it ran (the graph),
 * each attempt's error and log tail, each table's footer, the model versions the run registered.
 * Everything is masked with the environment's secrets before it leaves here, and cut to size
 * budgets so that a 500-task run still makes a page of a few hundred kilobytes.
 */
import path from "node:path";
import { modelsOfRun } from "../models/of-run.js";
import { packageInfo } from "../package-info.js";
import type { AttemptRecord, RunRecord, TableRecord, TaskRecord } from "../workspace/records.js";
import { runJobTasks, type RunJobTask } from "../workspace/run-job.js";
import { createMasker } from "../workspace/secrets.js";
import { ArrowFooterError, readArrowFooter } from "./arrow-footer.js";
import type { ReportAttempt, ReportData, ReportTable, ReportTask } from "./data.js";
import { readTail } from "./tail.js";

/** How much of the logs and values a report holds. */
export interface ReportLimits {
  /** Lines and bytes of each attempt's log tail. */
  logLines: number;
  logBytes: number;
  /** All log tails together, in characters; failed tasks' tails are taken first. */
  logBudget: number;
  /** A task's values as pretty JSON, in characters. */
  valuesChars: number;
  /** All values together, in characters. */
  valuesBudget: number;
  /** A stderr tail of an error, in characters. */
  stderrChars: number;
}

export const DEFAULT_LIMITS: ReportLimits = { logLines: 30, logBytes: 4096, logBudget: 600_000, valuesChars: 8192, valuesBudget: 500_000, stderrChars: 4096 };

/** Where the run lives and what to mask. */
export interface ReportEnvironment {
  name: string;
  /** The repository root (the working tree's job files are relative to it). */
  root: string;
  workspace: string;
  /** The environment's secret values: masked in everything the report holds. */
  secrets: Record<string, string>;
}

/**
 * The report data of run `record`, whose folder is `runDir`: tasks in the job's order with their
 * graph, attempts (errors, log tails), values and tables (schema and rows from each Arrow file's
 * footer), the run's parameters and the model versions it registered. Secrets are masked in
 * every string and key.
 *
 * @example
 * ```ts
 * const store = new RunStore(env.workspace);
 * const data = await gatherReport(store.read(runId), store.runDir(runId), env);
 * data.tasks.map((t) => `${t.key} ${t.state}`); // ["produce SUCCESS", "double SUCCESS", ...]
 * ```
 */
export async function gatherReport(record: RunRecord, runDir: string, env: ReportEnvironment, limits: ReportLimits = DEFAULT_LIMITS): Promise<ReportData> {
  const graph = runJobTasks(record, env);
  // Text is masked before it is cut, so a cut never leaves part of a secret behind.
  const mask = createMasker(Object.values(env.secrets));
  const budget = { logs: limits.logBudget, values: limits.valuesBudget };
  const entries = Object.entries(record.tasks);
  // Failed tasks first, so the size budgets go to what someone opening the report looks for.
  const failedFirst = [...entries].sort(([, a], [, b]) => Number(isFailure(b.state)) - Number(isFailure(a.state)));
  const attempts = new Map<string, ReportAttempt[]>();
  for (const [key, t] of failedFirst) attempts.set(key, t.attempts.map((a) => attemptOf(a, runDir, limits, budget, mask.text)));
  const tasks: ReportTask[] = [];
  for (const [key, t] of entries) tasks.push(await taskOf(key, t, graph[key], attempts.get(key) ?? [], runDir, limits, budget, mask.text));
  let models: ReportData["models"] = [];
  try {
    models = modelsOfRun(record.run_id, env);
  } catch {
    // A registry that cannot be read leaves the report without models, not without a report.
  }
  const data: ReportData = {
    format: 1,
    run_id: record.run_id,
    job: record.job,
    env: record.env,
    ...(record.namespace ? { namespace: record.namespace } : {}),
    state: record.state,
    ...(record.interrupted ? { interrupted: true } : {}),
    started_at: record.started_at,
    ...(record.ended_at ? { ended_at: record.ended_at } : {}),
    ...(record.duration_ms !== undefined ? { duration_ms: record.duration_ms } : {}),
    parameters: record.parameters,
    source: record.source,
    ...(record.parent_run_id ? { parent_run_id: record.parent_run_id } : {}),
    ...(record.repairs?.length ? { repairs: record.repairs } : {}),
    ...(record.error ? { error: record.error } : {}),
    tasks,
    models,
    generated_at: new Date().toISOString(),
    dagship_version: packageInfo().version,
  };
  return mask.json(data);
}

function isFailure(state: string): boolean {
  return state === "FAILED" || state === "TIMEDOUT" || state === "CANCELED";
}

async function taskOf(key: string, t: TaskRecord, job: RunJobTask | undefined, attempts: ReportAttempt[], runDir: string, limits: ReportLimits, budget: { values: number }, mask: (text: string) => string): Promise<ReportTask> {
  let values = Object.keys(t.values).length ? mask(JSON.stringify(t.values, null, 2)) : "";
  let values_note: string | undefined;
  if (values.length > Math.min(limits.valuesChars, budget.values)) {
    const keep = Math.max(0, Math.min(limits.valuesChars, budget.values));
    values_note = `${values.length.toLocaleString("en-US")} characters, cut to ${keep.toLocaleString("en-US")}: see dagship status ${path.basename(runDir)} --json`;
    values = values.slice(0, keep);
  }
  budget.values -= values.length;
  const tables: ReportTable[] = [];
  for (const [name, table] of Object.entries(t.tables)) tables.push(await tableOf(name, table, runDir));
  return {
    key,
    state: t.state,
    ...(job?.kind ? { kind: job.kind } : {}),
    depends_on: job?.depends_on ?? [],
    ...(job?.run_if ? { run_if: job.run_if } : {}),
    attempts,
    duration_ms: t.duration_ms,
    values,
    ...(values_note ? { values_note } : {}),
    tables,
    ...(t.outcome ? { outcome: t.outcome } : {}),
    ...(t.child_run_id ? { child_run_id: t.child_run_id } : {}),
    ...(t.source_run_id ? { source_run_id: t.source_run_id } : {}),
  };
}

function attemptOf(a: AttemptRecord, runDir: string, limits: ReportLimits, budget: { logs: number }, mask: (text: string) => string): ReportAttempt {
  const out: ReportAttempt = { n: a.n, state: a.state, started_at: a.started_at, ...(a.ended_at ? { ended_at: a.ended_at } : {}), ...(a.duration_ms !== undefined ? { duration_ms: a.duration_ms } : {}) };
  if (a.error) {
    const e = a.error;
    out.error = { reason: e.reason, ...(e.name ? { name: e.name } : {}), message: e.message, exit_code: e.exit_code, signal: e.signal, stderr_tail: mask(e.stderr_tail).slice(-limits.stderrChars) };
  }
  if (a.log) {
    out.log = a.log;
    if (budget.logs <= 0) out.log_note = "log tail left out: the report's size budget for logs is spent";
    else {
      try {
        const tail = mask(readTail(path.join(runDir, a.log), limits.logLines, limits.logBytes));
        if (tail) out.log_tail = tail;
        budget.logs -= tail.length;
      } catch {
        out.log_note = "log file missing";
      }
    }
  }
  return out;
}

async function tableOf(name: string, t: TableRecord, runDir: string): Promise<ReportTable> {
  const file = path.resolve(runDir, t.path);
  const fromRecord = (note: string): ReportTable => ({ name, path: t.path, rows: t.rows, bytes: t.bytes, schema: t.schema, source: "record", note });
  try {
    const f = await readArrowFooter(file);
    return { name, path: t.path, rows: f.rows, bytes: f.bytes, batches: f.batches, schema: f.schema, source: "footer" };
  } catch (error) {
    if (error instanceof ArrowFooterError) return fromRecord(`the file's footer cannot be read (${error.message}); figures from the run record`);
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return fromRecord("the file is gone; figures from the run record");
    return fromRecord(`the file cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); figures from the run record`);
  }
}
