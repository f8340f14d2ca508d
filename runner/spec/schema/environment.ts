import { Type, type Static } from "@sinclair/typebox";
import { MapOf } from "./common.js";
import { JobSchema, ScheduleSchema, TaskSchema } from "./job.js";

const strict = { additionalProperties: false } as const;

/** A task inside `overrides`: merged into the job's task with the same `task_key`. */
export const TaskOverrideSchema = Type.Object({ ...Type.Partial(TaskSchema).properties, task_key: TaskSchema.properties.task_key }, strict);

/** A partial job, deep-merged into the job before rendering. */
export const JobOverrideSchema = Type.Object(
  {
    description: JobSchema.properties.description,
    tags: JobSchema.properties.tags,
    parameters: JobSchema.properties.parameters,
    max_concurrent_runs: JobSchema.properties.max_concurrent_runs,
    timeout_seconds: JobSchema.properties.timeout_seconds,
    schedule: Type.Optional(Type.Partial(ScheduleSchema, strict)),
    tasks: Type.Optional(Type.Array(TaskOverrideSchema, { description: "merged into the job's tasks by task_key" })),
  },
  { ...strict, description: "a partial job, deep-merged into the job of that name (tasks by task_key, parameters by name)" },
);

export const GateSchema = Type.Object(
  {
    metric: Type.String({ minLength: 1, description: "the evaluation metric the gate compares, e.g. auc" }),
    greater_is_better: Type.Boolean(),
    min_delta: Type.Number({ minimum: 0, description: "how much better the challenger must be" }),
    dataset: Type.String({ minLength: 1, description: "the evaluation dataset of this environment: <workspace>/data/<dataset>" }),
    evaluator: Type.Optional(
      Type.String({
        minLength: 1,
        pattern: "\\.(ts|mts|js|mjs)$",
        description: "the module (relative to the repository root) whose default export evaluates a model version on the dataset; DAGSHIP_MODEL_EVALUATOR overrides it",
      }),
    ),
  },
  strict,
);

/** What `deploy` requires before it deploys to the environment. */
export const DeployPolicySchema = Type.Object(
  {
    allowed_branches: Type.Optional(
      Type.Array(Type.String({ minLength: 1, description: "a branch name, or a pattern with * (any characters but /) and ** (any characters)" }), {
        minItems: 1,
        uniqueItems: true,
        description: "deploy only from these git branches (e.g. [main, release/*])",
      }),
    ),
    require_clean_tree: Type.Optional(Type.Boolean({ description: "refuse to deploy from a git tree with uncommitted changes", default: false })),
  },
  { ...strict, description: "checks deploy makes first; --force overrides them outside CI, with a warning" },
);

/** JSON Schema (draft 2020-12) of `environments/<env>.yaml`. */
export const EnvironmentSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    name: Type.String({ pattern: "^[a-z][a-z0-9_-]*$", maxLength: 50, description: "the environment's name; must match the file name" }),
    description: Type.Optional(Type.String()),
    workspace: Type.Object(
      { path: Type.String({ minLength: 1, description: "the workspace folder; relative paths are relative to the repository root" }) },
      { ...strict, description: "where deployments, runs, models and data of this environment live" },
    ),
    isolation: Type.Optional(Type.Unsafe<"branch" | "none">({ type: "string", enum: ["branch", "none"], description: "branch: every git branch deploys and runs in its own namespace", default: "none" })),
    vars: Type.Optional(MapOf(Type.Union([Type.String(), Type.Number(), Type.Boolean()]), { description: "values for {{vars.*}} in job files" })),
    overrides: Type.Optional(Type.Object({ jobs: Type.Optional(MapOf(JobOverrideSchema, { description: "per job name" })) }, strict)),
    secrets: Type.Optional(Type.Array(Type.String({ pattern: "^[A-Za-z_][A-Za-z0-9_]*$", description: "an environment variable name" }), { uniqueItems: true, description: "environment variables handed to tasks and masked everywhere" })),
    promotion: Type.Optional(Type.Object({ gate: GateSchema }, strict)),
    deploy: Type.Optional(DeployPolicySchema),
  },
  {
    ...strict,
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://dagship.dev/schemas/environment.schema.json",
    title: "dagship environment",
    description: "A dagship environment (environments/<env>.yaml).",
  },
);

/** An environment file as written by a user. */
export type EnvironmentSpec = Static<typeof EnvironmentSchema>;
export type JobOverrideSpec = Static<typeof JobOverrideSchema>;
export type GateSpec = Static<typeof GateSchema>;
export type DeployPolicySpec = Static<typeof DeployPolicySchema>;

