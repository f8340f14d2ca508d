import type { CompiledJob, CompiledTask } from "./compiled.js";
import type { DraftJob, DraftTask } from "./draft.js";
import { topologicalOrder } from "./graph.js";
import type { ModuleResolver } from "./modules.js";
import { taskEdges } from "./rules/context.js";

/**
 * Turns a draft that passed every rule into the fully resolved {@link CompiledJob}.
 * Only called for jobs without errors, so every invariant the rules check holds here.
 */
export function finaliseJob(draft: DraftJob, source: CompiledJob["source"], modules: ModuleResolver): CompiledJob {
  const order = topologicalOrder(taskEdges(draft));
  if (!order) throw new Error(`internal: job "${draft.name}" passed validation with a cycle`);
  const parameters = draft.parameters.map(({ index: _index, ...p }) => p);
  return { ...draft, parameters, tasks: draft.tasks.map((t) => finaliseTask(t, source.dir, modules)), order, source };
}

function finaliseTask(t: DraftTask, dir: string, modules: ModuleResolver): CompiledTask {
  // Built field by field (no rest/spread): this runs for every task of every job.
  const task: Omit<CompiledTask, "type" | "ts_task" | "run_job_task" | "condition_task"> = {
    task_key: t.task_key,
    depends_on: t.depends_on.map((d) => (d.outcome === undefined ? { task_key: d.task_key } : { task_key: d.task_key, outcome: d.outcome })),
    run_if: t.run_if,
    max_retries: t.max_retries,
    min_retry_interval_millis: t.min_retry_interval_millis,
    retry_on_timeout: t.retry_on_timeout,
    timeout_seconds: t.timeout_seconds,
    compute: t.compute,
    index: t.index,
  };
  if (t.description !== undefined) task.description = t.description;
  if (t.ts_task) {
    const r = modules.resolve(dir, t.ts_task.module);
    if (!r.ok) throw new Error(`internal: module of task "${t.task_key}" did not resolve after validation`);
    return { ...task, type: "ts_task", ts_task: { module: t.ts_task.module, path: r.path, export: t.ts_task.export, parameters: t.ts_task.parameters } };
  }
  if (t.run_job_task) return { ...task, type: "run_job_task", run_job_task: t.run_job_task };
  if (t.condition_task) return { ...task, type: "condition_task", condition_task: t.condition_task };
  throw new Error(`internal: task "${t.task_key}" has no kind after validation (${t.kinds.join(",")})`);
}
