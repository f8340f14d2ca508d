import path from "node:path";
import type { CompiledTask } from "../spec/compiled.js";
import { processStartTime } from "../workspace/processes.js";
import type { AttemptRecord, TaskError, TaskRecord } from "../workspace/records.js";
import { evaluateCondition } from "./condition.js";
import type { EngineOptions } from "./context.js";
import { resolveReferences, type ReferenceScope } from "./resolve.js";

/** How a task's execution ended, before the engine records it. */
export type TaskEnd = { state: "SUCCESS" | "FAILED" | "TIMEDOUT" | "CANCELED" };

/** Hooks through which a task reports to the engine (which records and saves). */
export interface TaskHooks {
  record: TaskRecord;
  scope: ReferenceScope;
  /** Aborted on cancel or job timeout. */
  signal: AbortSignal;
  jobTimedOut(): boolean;
  changed(urgent: boolean): void;
}

const now = () => new Date().toISOString();

function failure(reason: TaskError["reason"], error: unknown): TaskError {
  const e = error instanceof Error ? error : new Error(String(error));
  return { reason, message: e.message, name: e.name, stack: e.stack, exit_code: null, signal: null, stderr_tail: "" };
}

function begin(h: TaskHooks): AttemptRecord {
  const attempt: AttemptRecord = { n: h.record.attempts.length + 1, state: "RUNNING", started_at: now() };
  h.record.attempts.push(attempt);
  h.record.state = "RUNNING";
  h.changed(false);
  return attempt;
}

function finish(h: TaskHooks, attempt: AttemptRecord, state: AttemptRecord["state"], error?: TaskError): void {
  attempt.state = state;
  attempt.ended_at = now();
  attempt.duration_ms = Date.parse(attempt.ended_at) - Date.parse(attempt.started_at);
  if (error) attempt.error = error;
  h.record.duration_ms = h.record.attempts.reduce((sum, a) => sum + (a.duration_ms ?? 0), 0);
}

/** A condition_task: resolve both operands, compare, record the outcome. Runs in-process. */
export function runCondition(task: Extract<CompiledTask, { type: "condition_task" }>, h: TaskHooks): TaskEnd {
  const attempt = begin(h);
  try {
    const c = resolveReferences(task.condition_task, h.scope);
    h.record.outcome = evaluateCondition(c);
    h.record.values = { left: c.left, right: c.right, outcome: h.record.outcome };
    finish(h, attempt, "SUCCESS");
    return { state: "SUCCESS" };
  } catch (error) {
    finish(h, attempt, "FAILED", failure("threw", error));
    return { state: "FAILED" };
  }
}

/** A run_job_task: a child run of another job of the same environment; ends with its outcome. */
export async function runChildJob(task: Extract<CompiledTask, { type: "run_job_task" }>, h: TaskHooks, o: EngineOptions): Promise<TaskEnd> {
  const attempt = begin(h);
  try {
    const parameters = resolveReferences(task.run_job_task.job_parameters, h.scope);
    const child = await o.startChildRun({ job: task.run_job_task.job, parameters, parentRunId: o.record.run_id, signal: h.signal });
    h.record.child_run_id = child.run_id;
    h.record.values = { run_id: child.run_id, state: child.state };
    if (child.state === "SUCCESS") {
      finish(h, attempt, "SUCCESS");
      return { state: "SUCCESS" };
    }
    const state = child.state === "CANCELED" ? "CANCELED" : child.state === "TIMEDOUT" ? "TIMEDOUT" : "FAILED";
    finish(h, attempt, state, { ...failure("exited", new Error(`child run ${child.run_id} of job "${child.job}" ended ${child.state}`)), stack: undefined });
    return { state };
  } catch (error) {
    finish(h, attempt, "FAILED", failure("spawn", error));
    return { state: "FAILED" };
  }
}

/** A ts_task: attempts in child processes, with retries, retry intervals and timeouts. */
export async function runTsTask(task: Extract<CompiledTask, { type: "ts_task" }>, h: TaskHooks, o: EngineOptions): Promise<TaskEnd> {
  // Attempts of earlier executions (before a repair) do not use up this execution's retries.
  const earlier = h.record.attempts.length;
  for (;;) {
    const attempt = begin(h);
    const rel = path.join("tasks", task.task_key, `attempt-${attempt.n}`);
    let params: Record<string, unknown>;
    try {
      params = resolveReferences(task.ts_task.parameters, h.scope);
    } catch (error) {
      finish(h, attempt, "FAILED", failure("threw", error));
      return { state: "FAILED" };
    }
    const result = await o.executor({
      module: task.ts_task.path,
      export: task.ts_task.export,
      ...(task.ts_task.bundled ? { bundled: task.ts_task.bundled } : {}),
      params,
      job: { name: o.job.name, run_id: o.record.run_id, env: o.env.name, attempt: attempt.n },
      task_key: task.task_key,
      attemptDir: path.join(o.runDir, rel),
      root: o.job.source.root,
      cacheDir: path.join(o.env.workspace, "cache", "bundles"),
      values: upstreamValues(o),
      tables: upstreamTables(o),
      timeoutMs: task.timeout_seconds * 1000,
      signal: h.signal,
      workspace: o.env.workspace,
      deployment_id: o.record.source.deployment_id ?? null,
      git_sha: o.record.source.git_sha ?? null,
      env: o.env.secrets,
      secrets: Object.values(o.env.secrets),
      onSpawn: (pid) => {
        attempt.pid = pid;
        const start = processStartTime(pid);
        if (start !== undefined) attempt.pid_start = start;
        // Soon is enough: a task whose runner dies notices it (its parent changes) and ends its own group.
        h.changed(false);
      },
      onLog: (line) => o.onEvent?.({ type: "log", key: task.task_key, ...line }),
      onProgress: (fraction, message) => {
        h.record.progress = message === undefined ? { fraction } : { fraction, message };
        o.onEvent?.({ type: "progress", key: task.task_key, fraction, ...(message === undefined ? {} : { message }) });
        h.changed(false);
      },
    });
    attempt.log = path.join(rel, result.log);
    if (result.ok) {
      h.record.values = result.values;
      h.record.tables = Object.fromEntries(Object.entries(result.tables).map(([name, t]) => [name, { ...t, path: path.join(rel, t.path) }]));
      finish(h, attempt, "SUCCESS");
      return { state: "SUCCESS" };
    }
    const error = result.error;
    const canceled = error.reason === "canceled";
    const timedOut = error.reason === "timeout" || (canceled && h.jobTimedOut());
    const state = timedOut ? "TIMEDOUT" : canceled ? "CANCELED" : "FAILED";
    finish(h, attempt, state, timedOut && canceled ? { ...error, reason: "timeout", message: `the job's timeout of ${o.job.timeout_seconds} s was reached` } : error);
    const retryable = !h.signal.aborted && (state === "FAILED" || (state === "TIMEDOUT" && task.retry_on_timeout && !h.jobTimedOut()));
    if (!retryable || attempt.n - earlier > task.max_retries) return { state };
    h.changed(true);
    if (!(await pause(task.min_retry_interval_millis, h.signal))) return { state: h.jobTimedOut() ? "TIMEDOUT" : "CANCELED" };
  }
}

function upstreamValues(o: EngineOptions): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [key, t] of Object.entries(o.record.tasks)) if (t.state === "SUCCESS" || t.state === "EXCLUDED") out[key] = t.values;
  return out;
}

function upstreamTables(o: EngineOptions): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [key, t] of Object.entries(o.record.tasks)) {
    if (t.state !== "SUCCESS" && t.state !== "EXCLUDED") continue;
    out[key] = Object.fromEntries(Object.entries(t.tables).map(([name, table]) => [name, path.resolve(o.runDir, table.path)]));
  }
  return out;
}

/** Waits `ms`; false when aborted first. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
