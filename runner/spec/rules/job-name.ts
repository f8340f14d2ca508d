import path from "node:path";
import type { Rule } from "./context.js";

/** DS1024: a job in `<folder>/job.json` is named after its folder, so `dagship run <name>` finds it. */
export const jobName: Rule = ({ job, file, report }) => {
  if (path.basename(file) !== "job.json" || job.name === "") return;
  const folder = path.basename(path.dirname(file));
  if (folder !== job.name) {
    report({ pointer: "/name", code: "DS1024", message: `job is named "${job.name}" but lives in the folder "${folder}"`, hint: `rename the folder to "${job.name}" or set "name" to "${folder}"` });
  }
};
