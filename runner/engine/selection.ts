import { ConfigError } from "../errors.js";
import type { CompiledJob } from "../spec/compiled.js";
import { didYouMean } from "../spec/suggest.js";

/**
 * The tasks a run executes: all of them, or those named by `--task` plus, with `--from`, that task
 * and everything downstream of it. Unknown keys are a {@link ConfigError} (exit 2).
 */
export function selectTasks(job: CompiledJob, tasks: readonly string[], from: string | undefined): Set<string> {
  const keys = job.tasks.map((t) => t.task_key);
  for (const k of [...tasks, ...(from === undefined ? [] : [from])]) {
    if (!keys.includes(k)) throw new ConfigError("DS2005", `job "${job.name}" has no task "${k}"`, { hint: didYouMean(k, keys, "tasks") });
  }
  if (tasks.length === 0 && from === undefined) return new Set(keys);
  const selected = new Set(tasks);
  if (from !== undefined) {
    // job.order is topological: one pass finds every task downstream of `from`.
    const downstream = new Set([from]);
    for (const key of job.order) {
      if (job.tasks.find((t) => t.task_key === key)!.depends_on.some((d) => downstream.has(d.task_key))) downstream.add(key);
    }
    downstream.forEach((k) => selected.add(k));
  }
  return selected;
}

/** Job parameters for a run: defaults overridden by `--param`; an unknown name is exit 2. */
export function runParameters(job: CompiledJob, overrides: Record<string, string>): Record<string, string> {
  const params = Object.fromEntries(job.parameters.map((p) => [p.name, p.default]));
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in params)) {
      const names = job.parameters.map((p) => p.name);
      throw new ConfigError("DS2005", `job "${job.name}" has no parameter "${name}"`, { hint: names.length ? didYouMean(name, names, "parameters") : "the job defines no parameters" });
    }
    params[name] = value;
  }
  return params;
}
