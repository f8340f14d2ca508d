import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { executeRun } from "../../../runner/engine/engine.js";
import type { ChildRunStarter, EngineEvent } from "../../../runner/engine/context.js";
import { emptyTask } from "../../../runner/engine/start.js";
import type { AttemptRequest, AttemptResult, Executor } from "../../../runner/executors/types.js";
import type { CompiledJob, CompiledTask } from "../../../runner/spec/compiled.js";
import { topologicalOrder } from "../../../runner/spec/graph.js";
import type { RunRecord, TaskError } from "../../../runner/workspace/records.js";
import { RunStore } from "../../../runner/workspace/store.js";

type TaskInput = { key: string; deps?: Array<string | { task_key: string; outcome: "true" | "false" }> } & Record<string, unknown>;

/** A compiled job built in memory: ts_tasks unless a kind is given. */
export function job(tasks: TaskInput[], extra: Partial<CompiledJob> = {}): CompiledJob {
  const compiled = tasks.map((t, index) => {
    const { key, deps, ...rest } = t;
    return {
      task_key: key,
      depends_on: (deps ?? []).map((d) => (typeof d === "string" ? { task_key: d } : d)),
      run_if: "ALL_SUCCESS",
      max_retries: 0,
      min_retry_interval_millis: 0,
      retry_on_timeout: false,
      timeout_seconds: 0,
      compute: {},
      index,
      type: "ts_task",
      ts_task: { module: `tasks/${key}.ts`, path: `/repo/jobs/j/tasks/${key}.ts`, export: "default", parameters: {} },
      ...rest,
    } as CompiledTask;
  });
  const order = topologicalOrder(new Map(compiled.map((t) => [t.task_key, t.depends_on.map((d) => d.task_key)])))!;
  return { name: "j", tags: {}, parameters: [], max_concurrent_runs: 1, timeout_seconds: 0, tasks: compiled, order, source: { file: "/repo/jobs/j/job.json", dir: "/repo/jobs/j", root: "/repo" }, ...extra };
}

export const ok = (values: Record<string, unknown> = {}): AttemptResult => ({ ok: true, values, tables: {}, duration_ms: 1, log: "log" });
export const fail = (reason: TaskError["reason"] = "threw", message = "boom"): AttemptResult => ({
  ok: false,
  error: { reason, message, exit_code: reason === "threw" ? 1 : null, signal: null, stderr_tail: "" },
  values: {},
  tables: {},
  duration_ms: 1,
  log: "log",
});

/** An executor answering from a script per task key (one entry per attempt; the last repeats). */
export function scripted(script: Record<string, Array<AttemptResult | ((r: AttemptRequest) => Promise<AttemptResult>)>>): Executor & { calls: AttemptRequest[]; maxParallel: number } {
  let active = 0;
  const fn = (async (r: AttemptRequest) => {
    fn.calls.push(r);
    active++;
    fn.maxParallel = Math.max(fn.maxParallel, active);
    try {
      const steps = script[r.task_key] ?? [ok()];
      const step = steps[Math.min(r.job.attempt - 1, steps.length - 1)]!;
      await new Promise((res) => setTimeout(res, 5));
      return typeof step === "function" ? await step(r) : step;
    } finally {
      active--;
    }
  }) as Executor & { calls: AttemptRequest[]; maxParallel: number };
  fn.calls = [];
  fn.maxParallel = 0;
  return fn;
}

/** Runs a job with the engine in a temporary workspace. */
export async function execute(
  j: CompiledJob,
  executor: Executor,
  options: { concurrency?: number; signal?: AbortSignal; parameters?: Record<string, string>; startChildRun?: ChildRunStarter; events?: EngineEvent[] } = {},
): Promise<RunRecord> {
  const workspace = mkdtempSync(path.join(tmpdir(), "dagship-engine-"));
  const store = new RunStore(workspace);
  const record: RunRecord = {
    run_id: store.newRunId(),
    job: j.name,
    env: "dev",
    state: "RUNNING",
    started_at: new Date().toISOString(),
    parameters: options.parameters ?? {},
    tasks: Object.fromEntries(j.tasks.map((t) => [t.task_key, emptyTask("PENDING")])),
    runner: { pid: process.pid, host: "test", started_at: new Date().toISOString() },
    source: { kind: "working_tree", file: "jobs/j/job.json" },
  };
  store.create(record);
  return executeRun({
    job: j,
    record,
    runDir: store.runDir(record.run_id),
    env: { name: "dev", workspace, secrets: {}, root: "/repo" },
    store,
    executor,
    concurrency: options.concurrency ?? 4,
    signal: options.signal ?? new AbortController().signal,
    startChildRun: options.startChildRun ?? (() => Promise.reject(new Error("no child runs in this test"))),
    onEvent: (e) => options.events?.push(e),
  });
}

/** `{ task: state }` of a finished run. */
export function states(run: RunRecord): Record<string, string> {
  return Object.fromEntries(Object.entries(run.tasks).map(([k, t]) => [k, t.state]));
}
