import { findCycles } from "../graph.js";
import type { Rule } from "./context.js";
import { taskEdges, taskPointer } from "./context.js";

/** DS1006: the dependency graph is acyclic; each cycle is named, task by task. */
export const cycles: Rule = ({ job, report }) => {
  for (const cycle of findCycles(taskEdges(job))) {
    const [from, to] = cycle;
    const task = job.tasks.find((t) => t.task_key === from)!;
    const dep = task.depends_on.find((d) => d.task_key === to)!;
    report({
      pointer: taskPointer(task.index, "depends_on", dep.index, "task_key"),
      code: "DS1006",
      message: `dependency cycle: ${cycle.join(" → ")}`,
      hint: '"a → b" means a depends on b; remove one of these dependencies',
    });
  }
};
