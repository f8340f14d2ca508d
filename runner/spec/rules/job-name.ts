import path from "node:path";
import { JOB_NAME_PATTERN } from "../names.js";
import type { Rule } from "./context.js";

const JOB_NAME = new RegExp(JOB_NAME_PATTERN);

/** DS1024: a job in `<folder>/job.json` is named after its folder, so `dagship run <name>` finds it. */
export const jobName: Rule = ({ job, file, report }) => {
  if (path.basename(file) !== "job.json" || job.name === "") return;
  const folder = path.basename(path.dirname(file));
  if (folder !== job.name) {
    const renameFolder = JOB_NAME.test(job.name) ? `rename the folder to "${job.name}" or ` : "";
    report({ pointer: "/name", code: "DS1024", message: `job is named "${job.name}" but lives in the folder "${folder}"`, hint: `${renameFolder}set "name" to "${folder}"` });
  }
};
