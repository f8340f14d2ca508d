import { didYouMean } from "../suggest.js";
import type { Rule } from "./context.js";
import { taskPointer } from "./context.js";

/** DS1011 the named export is missing from the module; DS1027 the module cannot be parsed. */
export const moduleExport: Rule = ({ job, dir, modules, exports, display, report }) => {
  for (const t of job.tasks) {
    if (!t.ts_task || t.ts_task.module === "") continue;
    const r = modules.resolve(dir, t.ts_task.module);
    const info = r.ok ? exports.get(r.path) : undefined;
    if (!info) continue;
    const name = t.ts_task.export;
    if (!info.ok) {
      report({
        pointer: taskPointer(t.index, "ts_task", "module"),
        code: "DS1027",
        message: `module "${t.ts_task.module}" of task "${t.task_key}" cannot be parsed: ${info.message}`,
        hint: `see ${display(info.file)}:${info.line}:${info.column}`,
        at: { file: display(info.file), line: info.line, column: info.column },
      });
    } else if (!info.exports.includes(name)) {
      report({
        pointer: taskPointer(t.index, "ts_task", name === "default" ? "module" : "export"),
        code: "DS1011",
        message: `module "${t.ts_task.module}" has no export "${name}"${info.exports.length ? ` (it exports: ${info.exports.join(", ")})` : " (it exports nothing)"}`,
        hint: name === "default" && info.exports.length > 0 ? `set "export" to one of ${info.exports.join(", ")}, or add a default export` : didYouMean(name, info.exports, "exports"),
      });
    }
  }
};
