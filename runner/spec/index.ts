/**
 * The job compiler as a library (`import ... from "dagship/spec"`): validate and compile jobs and
 * environments. Kept apart from the package's main entry so that task modules, which import
 * `dagship`, do not load the compiler.
 *
 * @example
 * ```ts
 * import { compileJobs } from "dagship/spec";
 * const { jobs, diagnostics } = await compileJobs(["jobs/train/job.json"]);
 * ```
 */
export { compileJobFile, compileJobs, JobInvalidError, type CompileOptions, type JobResult } from "./compile.js";
export type { CompiledConditionTask, CompiledDependency, CompiledJob, CompiledRunJobTask, CompiledSchedule, CompiledTask, CompiledTsTask, ConditionOp, RunIf, TaskType } from "./compiled.js";
export { CODES, type Code } from "./codes.js";
export type { Diagnostic } from "./diagnostics.js";
export { validateEnvironments, type EnvironmentResult } from "./environments.js";
export { parseQuartz, isTimeZone } from "./quartz.js";
export type { EnvironmentSpec, GateSpec, JobOverrideSpec } from "./schema/environment.js";
export type { JobSpec, TaskSpec } from "./schema/job.js";
export { ConfigError, DagshipError, UsageError } from "../errors.js";
