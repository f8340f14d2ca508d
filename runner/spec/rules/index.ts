import { cycles } from "./cycles.js";
import { dependencies } from "./dependencies.js";
import { duplicateTaskKeys } from "./duplicate-task-keys.js";
import { jobName } from "./job-name.js";
import { moduleExport } from "./module-export.js";
import { modulePath } from "./module-path.js";
import { outcome } from "./outcome.js";
import { parameters } from "./parameters.js";
import { references } from "./references.js";
import { runJob } from "./run-job.js";
import { schedule } from "./schedule.js";
import { taskKind } from "./task-kind.js";
import type { Rule } from "./context.js";

export type { Rule, RuleContext } from "./context.js";

/** Every job rule, in the order their findings are most useful to read. */
export const JOB_RULES: readonly Rule[] = [
  jobName,
  parameters,
  taskKind,
  duplicateTaskKeys,
  dependencies,
  cycles,
  outcome,
  modulePath,
  moduleExport,
  runJob,
  schedule,
  references,
];
