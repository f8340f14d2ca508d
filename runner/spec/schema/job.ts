import { Type, type Static } from "@sinclair/typebox";
import { MAX_PARAMETERS, MAX_TASKS } from "../limits.js";
import { CONDITION_OPS, JobName, MapOf, PAUSE_STATUS, RUN_IF, StringEnum, TaskKey } from "./common.js";

const strict = { additionalProperties: false } as const;

export const TsTaskSchema = Type.Object(
  {
    module: Type.String({ minLength: 1, description: "path of a TypeScript module relative to the job's folder; must stay inside the repository" }),
    export: Type.Optional(Type.String({ pattern: "^[A-Za-z_$][A-Za-z0-9_$]*$", description: "the module's export to run (default: default)" })),
    parameters: Type.Optional(MapOf(Type.Unknown(), { description: "JSON parameters handed to the task as ctx.params; strings may hold {{ }} references" })),
  },
  { ...strict, description: "run an export of a TypeScript module in its own process" },
);

export const RunJobTaskSchema = Type.Object(
  {
    job: JobName,
    job_parameters: Type.Optional(MapOf(Type.String(), { description: "parameters of the child job run" })),
  },
  { ...strict, description: "run another job of the same environment as a child run" },
);

export const ConditionTaskSchema = Type.Object(
  {
    op: StringEnum(CONDITION_OPS, { description: "comparison; numbers compare numerically, anything else as strings" }),
    left: Type.String(),
    right: Type.String(),
  },
  { ...strict, description: 'compare two values; the outcome is "true" or "false"' },
);

export const DependencySchema = Type.Object(
  {
    task_key: TaskKey,
    outcome: Type.Optional(StringEnum(["true", "false"] as const, { description: "run only on this outcome of an upstream condition_task" })),
  },
  strict,
);

export const ComputeSchema = Type.Object(
  {
    cpus: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "CPU cores the task needs (a scheduling hint)" })),
    memory_mb: Type.Optional(Type.Integer({ minimum: 1, description: "memory the task needs, in MiB" })),
    gpu: Type.Optional(Type.Integer({ minimum: 0, description: "GPUs the task needs" })),
  },
  { ...strict, description: "resource hints" },
);

export const TaskSchema = Type.Object(
  {
    task_key: TaskKey,
    description: Type.Optional(Type.String()),
    depends_on: Type.Optional(Type.Array(DependencySchema, { description: "upstream tasks" })),
    run_if: Type.Optional(StringEnum(RUN_IF, { description: "when the task runs, given its upstream tasks' states", default: "ALL_SUCCESS" })),
    max_retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, default: 0 })),
    min_retry_interval_millis: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
    retry_on_timeout: Type.Optional(Type.Boolean({ default: false })),
    timeout_seconds: Type.Optional(Type.Integer({ minimum: 0, description: "0 means no timeout", default: 0 })),
    compute: Type.Optional(ComputeSchema),
    ts_task: Type.Optional(TsTaskSchema),
    run_job_task: Type.Optional(RunJobTaskSchema),
    condition_task: Type.Optional(ConditionTaskSchema),
  },
  { ...strict, description: "a task: exactly one of ts_task, run_job_task, condition_task" },
);

export const ParameterSchema = Type.Object(
  {
    name: Type.String({ pattern: "^[A-Za-z_][A-Za-z0-9_.-]*$", maxLength: 100, description: "letters, digits, '_', '.' and '-', starting with a letter or '_'" }),
    default: Type.String({ description: "the value used when a run does not set the parameter" }),
  },
  strict,
);

export const ScheduleSchema = Type.Object(
  {
    quartz_cron_expression: Type.String({ minLength: 1, description: 'Quartz cron: seconds minutes hours day-of-month month day-of-week [year], e.g. "0 0 3 * * ?"' }),
    timezone_id: Type.String({ minLength: 1, description: 'IANA time zone, e.g. "UTC" or "Europe/Amsterdam"' }),
    pause_status: Type.Optional(StringEnum(PAUSE_STATUS, { default: "UNPAUSED" })),
  },
  strict,
);

/** JSON Schema (draft 2020-12) of `jobs/<job>/job.json`. Field names follow the Databricks Jobs API 2.1. */
export const JobSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: "path or URL of this schema, for editors" })),
    name: JobName,
    description: Type.Optional(Type.String()),
    tags: Type.Optional(MapOf(Type.String(), { description: "free-form labels" })),
    parameters: Type.Optional(Type.Array(ParameterSchema, { maxItems: MAX_PARAMETERS, description: "job parameters, set per run with --param name=value" })),
    max_concurrent_runs: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })),
    timeout_seconds: Type.Optional(Type.Integer({ minimum: 0, description: "0 means no timeout", default: 0 })),
    schedule: Type.Optional(ScheduleSchema),
    tasks: Type.Array(TaskSchema, { minItems: 1, maxItems: MAX_TASKS }),
  },
  {
    ...strict,
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://dagship.dev/schemas/job.schema.json",
    title: "dagship job",
    description: "A dagship job: a DAG of tasks (jobs/<job>/job.json).",
  },
);

/** A job as written by a user in `job.json` (before defaults are applied). */
export type JobSpec = Static<typeof JobSchema>;
/** A task as written by a user. */
export type TaskSpec = Static<typeof TaskSchema>;
export type DependencySpec = Static<typeof DependencySchema>;
export type ParameterSpec = Static<typeof ParameterSchema>;
export type ScheduleSpec = Static<typeof ScheduleSchema>;
export type TsTaskSpec = Static<typeof TsTaskSchema>;
export type RunJobTaskSpec = Static<typeof RunJobTaskSchema>;
export type ConditionTaskSpec = Static<typeof ConditionTaskSchema>;
export type ComputeSpec = Static<typeof ComputeSchema>;
