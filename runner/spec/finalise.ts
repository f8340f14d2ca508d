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
  const { kinds, ts_task, run_job_task, condition_task, depends_on, ...base } = t;
  const task = { ...base, depends_on: depends_on.map(({ index: _index, ...d }) => d) };
  if (ts_task) {
    const r = modules.resolve(dir, ts_task.module);
    if (!r.ok) throw new Error(`internal: module of task "${t.task_key}" did not resolve after validation`);
    return { ...task, type: "ts_task", ts_task: { ...ts_task, path: r.path } };
  }
  if (run_job_task) return { ...task, type: "run_job_task", run_job_task };
  if (condition_task) return { ...task, type: "condition_task", condition_task };
  throw new Error(`internal: task "${t.task_key}" has no kind after validation (${kinds.join(",")})`);
}
