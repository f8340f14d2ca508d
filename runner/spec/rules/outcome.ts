import type { Rule } from "./context.js";
import { taskPointer } from "./context.js";

/** DS1008: `outcome` may only be set on a dependency on a condition_task. */
export const outcome: Rule = ({ job, report }) => {
  const byKey = new Map(job.tasks.map((t) => [t.task_key, t]));
  for (const t of job.tasks) {
    for (const d of t.depends_on) {
      const upstream = byKey.get(d.task_key);
      if (d.outcome === undefined || !upstream || upstream.kinds.length !== 1 || upstream.condition_task) continue;
      report({
        pointer: taskPointer(t.index, "depends_on", d.index, "outcome"),
        code: "DS1008",
        message: `task "${t.task_key}" sets outcome "${d.outcome}" on "${d.task_key}", which is a ${upstream.kinds[0]}, not a condition_task`,
        hint: "only condition_task dependencies have an outcome; remove it, or depend on a condition_task",
      });
    }
  }
};
