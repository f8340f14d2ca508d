import { closest, formatList } from "../suggest.js";
import type { Rule } from "./context.js";
import { taskPointer } from "./context.js";

/**
 * DS1004 dependencies on unknown tasks (listing the known ones), DS1007 self-dependencies,
 * DS1028 the same dependency listed twice.
 */
export const dependencies: Rule = ({ job, report }) => {
  const keys = job.tasks.map((t) => t.task_key).filter((k) => k !== "");
  const known = new Set(keys);
  for (const t of job.tasks) {
    const seen = new Set<string>();
    for (const d of t.depends_on) {
      const pointer = taskPointer(t.index, "depends_on", d.index, "task_key");
      if (d.task_key === t.task_key) {
        report({ pointer, code: "DS1007", message: `task "${t.task_key}" depends on itself`, hint: "remove this dependency" });
      } else if (!known.has(d.task_key)) {
        const best = closest(d.task_key, keys);
        report({
          pointer,
          code: "DS1004",
          message: `task "${t.task_key}" depends on unknown task "${d.task_key}" (known tasks: ${formatList(keys.filter((k) => k !== t.task_key))})`,
          hint: best ? `did you mean "${best}"?` : "add the task, or remove the dependency",
        });
      } else if (seen.has(d.task_key)) {
        report({ pointer, code: "DS1028", message: `task "${t.task_key}" lists the dependency on "${d.task_key}" twice`, hint: "remove the repeated entry" });
      }
      seen.add(d.task_key);
    }
  }
};
