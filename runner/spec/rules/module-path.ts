import type { Rule } from "./context.js";
import { taskPointer } from "./context.js";

/** DS1009 module paths that are not static, relative and inside the repository; DS1010 missing files. */
export const modulePath: Rule = ({ job, dir, modules, report }) => {
  for (const t of job.tasks) {
    if (!t.ts_task || t.ts_task.module === "") continue;
    const r = modules.resolve(dir, t.ts_task.module);
    if (!r.ok) report({ pointer: taskPointer(t.index, "ts_task", "module"), ...r.finding });
  }
};
