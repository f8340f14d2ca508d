import type { Rule } from "./context.js";
import { taskPointer } from "./context.js";

/** DS1005: task keys are unique within a job. */
export const duplicateTaskKeys: Rule = ({ job, report }) => {
  const first = new Map<string, number>();
  for (const t of job.tasks) {
    if (t.task_key === "") continue;
    const earlier = first.get(t.task_key);
    if (earlier === undefined) first.set(t.task_key, t.index);
    else report({ pointer: taskPointer(t.index, "task_key"), code: "DS1005", message: `task key "${t.task_key}" is used twice (also by tasks[${earlier}])`, hint: "task keys must be unique within a job; rename one" });
  }
};
