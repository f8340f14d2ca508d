import type { Rule } from "./context.js";
import { taskPointer } from "./context.js";

/** DS1018: a task has exactly one of ts_task, run_job_task, condition_task. */
export const taskKind: Rule = ({ job, report }) => {
  for (const t of job.tasks) {
    if (t.kinds.length === 1) continue;
    const name = t.task_key ? `task "${t.task_key}"` : `tasks[${t.index}]`;
    report(
      t.kinds.length === 0
        ? { pointer: taskPointer(t.index), code: "DS1018", message: `${name} has no ts_task, run_job_task or condition_task`, hint: 'add one, e.g. "ts_task": { "module": "tasks/step.ts" }' }
        : { pointer: taskPointer(t.index, t.kinds[1]!), atKey: true, code: "DS1018", message: `${name} has ${t.kinds.join(" and ")}; a task has exactly one kind`, hint: "split it into two tasks, one depending on the other" },
    );
  }
};
