import type { CompiledTask } from "../spec/compiled.js";
import type { RunRecord, TaskRecord } from "../workspace/records.js";
import type { EngineOptions } from "./context.js";
import { recordSaver } from "./record-saver.js";
import { decide, isDone, runOutcome } from "./run-if.js";
import { runChildJob, runCondition, runTsTask, type TaskEnd, type TaskHooks } from "./tasks.js";

/**
 * Executes a run's DAG: starts every task whose upstream tasks are done and whose `run_if` says
 * so, at most `concurrency` at a time, until none is left; applies the job's timeout; stops
 * starting tasks on cancel. The record is saved in the background (see {@link recordSaver}): a
 * final task state within about 100 ms, running states and progress within about 200 ms; the
 * run ends once its final record is on disk.
 *
 * @example
 * ```ts
 * const record = await executeRun({ job, record, runDir, env, store, executor, concurrency: 2, signal, startChildRun });
 * record.state; // "SUCCESS"
 * ```
 */
export async function executeRun(o: EngineOptions): Promise<RunRecord> {
  const { job, record } = o;
  const byKey = new Map(job.tasks.map((t) => [t.task_key, t]));
  const stop = new AbortController();
  const onCancel = () => stop.abort("canceled");
  o.signal.addEventListener("abort", onCancel, { once: true });
  if (o.signal.aborted) stop.abort("canceled");
  let timedOut = false;
  const timer = job.timeout_seconds > 0 ? setTimeout(() => ((timedOut = true), stop.abort("timeout")), job.timeout_seconds * 1000) : undefined;
  const saver = recordSaver(o.store, o.record);
  const running = new Map<string, Promise<void>>();
  const startTime = new Date(record.started_at);

  const setState = (key: string, state: TaskRecord["state"]) => {
    record.tasks[key]!.state = state;
    o.onEvent?.({ type: "task", key, state });
    saver.now();
  };

  const start = (task: CompiledTask) => {
    const rec = record.tasks[task.task_key]!;
    const hooks: TaskHooks = {
      record: rec,
      signal: stop.signal,
      jobTimedOut: () => timedOut,
      changed: (urgent) => (urgent ? saver.now() : saver.soon()),
      scope: { job: { run_id: record.run_id, name: job.name, parameters: record.parameters, start_time: startTime }, task: { key: task.task_key }, values: finishedValues(record) },
    };
    o.onEvent?.({ type: "task", key: task.task_key, state: "RUNNING", attempt: rec.attempts.length + 1 });
    const work: Promise<TaskEnd> =
      task.type === "ts_task" ? runTsTask(task, hooks, o) : task.type === "condition_task" ? Promise.resolve(runCondition(task, hooks)) : runChildJob(task, hooks, o);
    running.set(
      task.task_key,
      work.then((end) => {
        running.delete(task.task_key);
        rec.progress = undefined;
        const last = rec.attempts[rec.attempts.length - 1];
        o.onEvent?.({ type: "task", key: task.task_key, state: end.state, ...(last?.error ? { error: last.error.message } : {}) });
        rec.state = end.state;
        saver.now();
      }),
    );
  };

  for (;;) {
    for (const key of job.order) {
      const rec = record.tasks[key]!;
      if (rec.state !== "PENDING" || running.has(key)) continue;
      if (stop.signal.aborted) continue;
      const task = byKey.get(key)!;
      const upstream = task.depends_on.map((d) => record.tasks[d.task_key]!);
      if (!upstream.every((u) => isDone(u.state))) continue;
      const verdict = decide(task, upstream.map(viewOf));
      if (verdict !== "RUN") setState(key, verdict);
      else if (running.size < o.concurrency) start(task);
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
    saver.check();
  }

  clearTimeout(timer);
  o.signal.removeEventListener("abort", onCancel);
  for (const rec of Object.values(record.tasks)) if (rec.state === "PENDING" || rec.state === "RUNNING") rec.state = "CANCELED";
  record.state = runOutcome(Object.values(record.tasks).map((t) => t.state), timedOut ? "timedout" : stop.signal.aborted ? "canceled" : "normal");
  record.ended_at = new Date().toISOString();
  record.duration_ms = Date.parse(record.ended_at) - Date.parse(record.started_at);
  saver.now();
  await saver.flush();
  return record;
}

/** An EXCLUDED task is seen through the state (and outcome) it had in the run its values came from. */
function viewOf(t: TaskRecord): { state: TaskRecord["state"]; outcome?: "true" | "false" } {
  const state = t.state === "EXCLUDED" ? (t.source_state ?? "SUCCESS") : t.state;
  return t.outcome === undefined ? { state } : { state, outcome: t.outcome };
}

function finishedValues(record: RunRecord): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [key, t] of Object.entries(record.tasks)) if (t.state === "SUCCESS" || t.state === "EXCLUDED") out[key] = t.values;
  return out;
}
