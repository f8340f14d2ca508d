import { didYouMean } from "../suggest.js";
import type { Rule } from "./context.js";
import { taskPointer } from "./context.js";

/** DS1022 run_job_task names a job that does not exist beside this one; DS1023 a job that runs itself. */
export const runJob: Rule = ({ job, siblingJobs, report }) => {
  for (const t of job.tasks) {
    const target = t.run_job_task?.job;
    if (!target) continue;
    const pointer = taskPointer(t.index, "run_job_task", "job");
    if (target === job.name) {
      report({ pointer, code: "DS1023", message: `task "${t.task_key}" runs its own job "${target}"`, hint: "a job cannot run itself: the child run would start another child run forever" });
    } else if (!siblingJobs.has(target)) {
      report({ pointer, code: "DS1022", message: `task "${t.task_key}" runs unknown job "${target}"`, hint: didYouMean(target, [...siblingJobs].filter((j) => j !== job.name).sort(), "known jobs") });
    }
  }
};
