import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { CompiledConditionTask, CompiledJob, CompiledRunJobTask, CompiledTask, CompiledTsTask } from "../../runner/spec/compiled.js";
import { SCHEMA_SOURCES, schemaJson, type SchemaName } from "../../runner/spec/schema/sources.js";
import type { EnvironmentSpec } from "../../runner/spec/schema/environment.js";
import type { JobSpec } from "../../runner/spec/schema/job.js";

const names = Object.keys(SCHEMA_SOURCES) as SchemaName[];
const shippedText = (name: string) => readFileSync(new URL(`../../schemas/${name}.schema.json`, import.meta.url), "utf8");

describe("shipped JSON Schemas (schemas/*.schema.json)", () => {
  it("covers both job and environment files", () => {
    expect(names.sort()).toEqual(["environment", "job"]);
  });

  it.each(names)("schemas/%s.schema.json is exactly what its TypeBox source generates (run `npm run schemas` after changing it)", (name) => {
    expect(shippedText(name)).toBe(schemaJson(SCHEMA_SOURCES[name]));
  });

  it.each(names)("schemas/%s.schema.json declares draft 2020-12 and its own $id", (name) => {
    const schema = JSON.parse(shippedText(name)) as { $schema?: string; $id?: string };
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.$id).toBe(`https://dagship.dev/schemas/${name}.schema.json`);
  });

  it.each(names)("schemas/%s.schema.json compiles with Ajv2020 in strict mode", (name) => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    expect(() => ajv.compile(JSON.parse(shippedText(name)) as object)).not.toThrow();
  });

  it("validates the repository's own example job and environments", () => {
    const ajv = new Ajv2020({ strict: true });
    const validateJob = ajv.compile(JSON.parse(shippedText("job")) as object);
    const hello: unknown = JSON.parse(readFileSync(new URL("../../jobs/hello/job.json", import.meta.url), "utf8"));
    expect(validateJob(hello), JSON.stringify(validateJob.errors)).toBe(true);
  });
});

describe("schema types", () => {
  it("JobSpec accepts a full example job", () => {
    const example = {
      $schema: "../../schemas/job.schema.json",
      name: "nightly",
      description: "a full job",
      tags: { team: "ml" },
      parameters: [{ name: "rows", default: "100" }],
      max_concurrent_runs: 1,
      timeout_seconds: 3600,
      schedule: { quartz_cron_expression: "0 0 3 * * ?", timezone_id: "UTC", pause_status: "UNPAUSED" as const },
      tasks: [
        {
          task_key: "train",
          description: "fit",
          run_if: "ALL_SUCCESS" as const,
          max_retries: 1,
          min_retry_interval_millis: 1000,
          retry_on_timeout: false,
          timeout_seconds: 60,
          compute: { cpus: 2, memory_mb: 1024, gpu: 0 },
          ts_task: { module: "tasks/train.ts", export: "train", parameters: { rows: "{{job.parameters.rows}}", nested: { a: [1] } } },
        },
        { task_key: "gate", depends_on: [{ task_key: "train" }], condition_task: { op: "GREATER_THAN" as const, left: "{{tasks.train.values.auc}}", right: "0.8" } },
        { task_key: "child", depends_on: [{ task_key: "gate", outcome: "true" as const }], run_job_task: { job: "publish", job_parameters: { a: "b" } } },
      ],
    };
    expectTypeOf(example).toExtend<JobSpec>();
    expectTypeOf<JobSpec["tasks"][number]["run_if"]>().toEqualTypeOf<"ALL_SUCCESS" | "AT_LEAST_ONE_SUCCESS" | "NONE_FAILED" | "ALL_DONE" | "AT_LEAST_ONE_FAILED" | "ALL_FAILED" | undefined>();
    expectTypeOf({ name: "x" }).not.toExtend<JobSpec>();
    expectTypeOf({ name: "x", tasks: [{ task_key: "t", run_if: "SOMETIMES" }] }).not.toExtend<JobSpec>();
    expectTypeOf<EnvironmentSpec["workspace"]>().toEqualTypeOf<{ path: string }>();
  });

  it("CompiledJob's task union narrows by type", () => {
    type Task = CompiledJob["tasks"][number];
    expectTypeOf<Task>().toEqualTypeOf<CompiledTask>();
    expectTypeOf<Task["type"]>().toEqualTypeOf<"ts_task" | "run_job_task" | "condition_task">();
    expectTypeOf<Extract<Task, { type: "ts_task" }>["ts_task"]>().toEqualTypeOf<CompiledTsTask>();
    expectTypeOf<Extract<Task, { type: "run_job_task" }>["run_job_task"]>().toEqualTypeOf<CompiledRunJobTask>();
    expectTypeOf<Extract<Task, { type: "condition_task" }>["condition_task"]>().toEqualTypeOf<CompiledConditionTask>();
    expectTypeOf<Task>().not.toHaveProperty("ts_task");

    const describeTask = (t: Task): string => {
      switch (t.type) {
        case "ts_task":
          expectTypeOf(t.ts_task.path).toBeString();
          return t.ts_task.module;
        case "run_job_task":
          expectTypeOf(t.run_job_task.job_parameters).toEqualTypeOf<Record<string, string>>();
          return t.run_job_task.job;
        case "condition_task":
          return t.condition_task.op;
        default:
          expectTypeOf(t).toBeNever();
          return t;
      }
    };
    const base = { task_key: "a", depends_on: [], run_if: "ALL_SUCCESS" as const, max_retries: 0, min_retry_interval_millis: 0, retry_on_timeout: false, timeout_seconds: 0, compute: {}, index: 0 };
    expect(describeTask({ ...base, type: "run_job_task", run_job_task: { job: "child", job_parameters: {} } })).toBe("child");
    expect(describeTask({ ...base, type: "ts_task", ts_task: { module: "m.ts", path: "/r/m.ts", export: "default", parameters: {} } })).toBe("m.ts");
  });
});
