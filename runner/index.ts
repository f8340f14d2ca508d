/**
 * dagship's library entry point (`import ... from "dagship"`): the job compiler and its types.
 *
 * @example
 * ```ts
 * import { compileJobs } from "dagship";
 * const { jobs, diagnostics } = await compileJobs(["jobs/train/job.json"]);
 * ```
 */
export { compileJobFile, compileJobs, JobInvalidError, type CompileOptions, type JobResult } from "./spec/compile.js";
export type { CompiledConditionTask, CompiledDependency, CompiledJob, CompiledRunJobTask, CompiledSchedule, CompiledTask, CompiledTsTask, ConditionOp, RunIf, TaskType } from "./spec/compiled.js";
export { CODES, type Code } from "./spec/codes.js";
export type { Diagnostic } from "./spec/diagnostics.js";
export { validateEnvironments, type EnvironmentResult } from "./spec/environments.js";
export { parseQuartz, isTimeZone } from "./spec/quartz.js";
export type { EnvironmentSpec, GateSpec, JobOverrideSpec } from "./spec/schema/environment.js";
export type { JobSpec, TaskSpec } from "./spec/schema/job.js";
export { ConfigError, DagshipError, UsageError } from "./errors.js";
