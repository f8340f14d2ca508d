import { describe, expect, it } from "vitest";
import { checkEnvironmentSchema, checkJobSchema, describe as describePlace } from "../../runner/spec/schema-check.js";

const task = (extra: Record<string, unknown> = {}) => ({ task_key: "train", ts_task: { module: "tasks/train.ts" }, ...extra });
const job = (extra: Record<string, unknown> = {}, tasks: unknown[] = [task()]) => ({ name: "nightly", tasks, ...extra });

describe("checkJobSchema", () => {
  it("accepts a complete valid job", () => {
    const full = job(
      {
        $schema: "../../schemas/job.schema.json",
        description: "d",
        tags: { team: "ml" },
        parameters: [{ name: "rows", default: "10" }],
        max_concurrent_runs: 2,
        timeout_seconds: 60,
        schedule: { quartz_cron_expression: "0 0 3 * * ?", timezone_id: "UTC", pause_status: "PAUSED" },
      },
      [
        task({ description: "x", run_if: "ALL_DONE", max_retries: 3, min_retry_interval_millis: 100, retry_on_timeout: true, timeout_seconds: 5, compute: { cpus: 0.5, memory_mb: 512, gpu: 0 } }),
        { task_key: "gate", depends_on: [{ task_key: "train" }], condition_task: { op: "GREATER_THAN", left: "1", right: "0" } },
        { task_key: "child", depends_on: [{ task_key: "gate", outcome: "true" }], run_job_task: { job: "other", job_parameters: { a: "b" } } },
      ],
    );
    expect(checkJobSchema(full)).toEqual([]);
  });

  it("additionalProperties → DS1003 at the key, with a did-you-mean", () => {
    expect(checkJobSchema(job({ nmae: "x" }))).toEqual([{ pointer: "/nmae", code: "DS1003", atKey: true, message: 'unknown field "nmae" in the job', hint: 'did you mean "name"?' }]);
  });

  it("additionalProperties without a close field lists the allowed ones (not $schema)", () => {
    const [f] = checkJobSchema(job({}, [task({ ts_task: { module: "a.ts", zzzzzzzzzz: 1 } })]));
    expect(f).toMatchObject({ pointer: "/tasks/0/ts_task/zzzzzzzzzz", code: "DS1003", atKey: true, message: 'unknown field "zzzzzzzzzz" in task "train" field ts_task', hint: "allowed fields: module, export, parameters" });
    const [top] = checkJobSchema(job({ zzzzzzzzzzzzzz: 1 }));
    expect(top!.hint).toMatch(/^allowed fields: name, description/);
    expect(top!.hint).not.toContain("$schema");
  });

  it("required → DS1017 at the parent, with the field's description as hint", () => {
    expect(checkJobSchema({ tasks: [task()] })).toEqual([
      { pointer: "", code: "DS1017", message: 'the job is missing the required field "name"', hint: "name: lowercase letters, digits, '_' and '-', starting with a letter or digit (at most 100 characters)" },
    ]);
    const [f] = checkJobSchema(job({}, [{ ts_task: { module: "a.ts" } }]));
    expect(f).toMatchObject({ pointer: "/tasks/0", code: "DS1017", message: 'tasks[0] is missing the required field "task_key"' });
  });

  it("required without a description hints to add the field", () => {
    const [f] = checkJobSchema(job({}, [task({ condition_task: { op: "EQUAL_TO", left: "a" } })]));
    expect(f).toEqual({ pointer: "/tasks/0/condition_task", code: "DS1017", message: 'task "train" field condition_task is missing the required field "right"', hint: 'add "right"' });
  });

  it("type → DS1002 naming the task by its task_key", () => {
    expect(checkJobSchema(job({}, [task({ timeout_seconds: "600" })]))).toEqual([
      { pointer: "/tasks/0/timeout_seconds", code: "DS1002", message: 'task "train" field timeout_seconds must be an integer, found string "600"' },
    ]);
    expect(checkJobSchema([])[0]!.message).toBe("the job must be an object, found an array");
    expect(checkJobSchema(job({ tags: { a: null } }))[0]!.message).toBe("tags.a must be a string, found null");
  });

  it("enum → DS1002 listing the allowed values and suggesting the closest", () => {
    const [f] = checkJobSchema(job({}, [task({ run_if: "ALL_SUCCES" })]));
    expect(f).toMatchObject({ pointer: "/tasks/0/run_if", code: "DS1002", hint: 'did you mean "ALL_SUCCESS"?' });
    expect(f!.message).toBe('task "train" field run_if is "ALL_SUCCES", expected one of ALL_SUCCESS, AT_LEAST_ONE_SUCCESS, NONE_FAILED, ALL_DONE, AT_LEAST_ONE_FAILED, ALL_FAILED');
    expect(checkJobSchema(job({ schedule: { quartz_cron_expression: "0 0 3 * * ?", timezone_id: "UTC", pause_status: "STOPPED-FOREVER" } }))[0]!.hint).toBeUndefined();
  });

  it("pattern → DS1002 with the schema's description as hint", () => {
    expect(checkJobSchema(job({ name: "Nightly Job" }))).toEqual([
      { pointer: "/name", code: "DS1002", message: 'name "Nightly Job" is not valid', hint: "expected lowercase letters, digits, '_' and '-', starting with a letter or digit (at most 100 characters)" },
    ]);
    const [f] = checkJobSchema(job({}, [task({ depends_on: [{ task_key: "a b" }] })]));
    expect(f).toMatchObject({ pointer: "/tasks/0/depends_on/0/task_key", message: 'task "train" field depends_on[0].task_key "a b" is not valid', hint: "expected letters, digits, '_' and '-' (at most 100 characters)" });
  });

  it("minimum, maximum and exclusiveMinimum → DS1002 with the limit and the value", () => {
    const findings = checkJobSchema(job({ max_concurrent_runs: 0 }, [task({ max_retries: 101, compute: { cpus: 0 } })]));
    expect(findings.map((f) => [f.pointer, f.message])).toEqual([
      ["/max_concurrent_runs", "max_concurrent_runs must be >= 1, found 0"],
      ["/tasks/0/max_retries", 'task "train" field max_retries must be <= 100, found 101'],
      ["/tasks/0/compute/cpus", 'task "train" field compute.cpus must be > 0, found 0'],
    ]);
  });

  it("minItems and maxItems → DS1002 on the tasks list", () => {
    expect(checkJobSchema(job({}, []))).toEqual([{ pointer: "/tasks", code: "DS1002", message: "tasks must have at least 1 item" }]);
    const many = Array.from({ length: 1001 }, (_, i) => task({ task_key: `t${i}` }));
    expect(checkJobSchema(job({}, many))).toEqual([{ pointer: "/tasks", code: "DS1002", message: "tasks has 1001 items; at most 1000 are allowed" }]);
  });

  it("minLength → DS1002 for empty strings, including an empty schedule", () => {
    const findings = checkJobSchema(job({ schedule: { quartz_cron_expression: "", timezone_id: "" } }, [task({ ts_task: { module: "" } })]));
    expect(findings.map((f) => f.message)).toEqual(["schedule.quartz_cron_expression must not be empty", "schedule.timezone_id must not be empty", 'task "train" field ts_task.module must not be empty']);
  });

  it("returns every error of a document, not just the first", () => {
    const bad = { name: "Bad", max_concurrent_runs: "1", extra: true, tasks: [task({ run_if: "X", max_retries: -1 }), { task_key: "b c", ts_task: {} }] };
    const codes = checkJobSchema(bad).map((f) => `${f.code} ${f.pointer}`);
    expect(codes).toEqual(
      expect.arrayContaining(["DS1003 /extra", "DS1002 /name", "DS1002 /max_concurrent_runs", "DS1002 /tasks/0/run_if", "DS1002 /tasks/0/max_retries", "DS1002 /tasks/1/task_key", "DS1017 /tasks/1/ts_task"]),
    );
    expect(codes).toHaveLength(7);
  });
});

describe("checkEnvironmentSchema", () => {
  it("accepts a valid environment and names problems in it", () => {
    expect(checkEnvironmentSchema({ name: "dev", workspace: { path: ".dagship/dev" }, secrets: ["A"] })).toEqual([]);
    const findings = checkEnvironmentSchema({ name: "dev", workspace: {}, secrets: ["A", "A"] });
    expect(findings.map((f) => f.message)).toEqual(['workspace is missing the required field "path"', "secrets lists the same item twice (items 1 and 0)"]);
  });
});

describe("describe (names of places in a document)", () => {
  const doc = { tasks: [{ task_key: "train", ts_task: { parameters: { "a/b": 1 } } }, {}] };
  it.each([
    ["", "the job"],
    ["/tasks", "tasks"],
    ["/tasks/0", 'task "train"'],
    ["/tasks/0/ts_task/parameters/a~1b", 'task "train" field ts_task.parameters.a/b'],
    ["/tasks/1/depends_on/0", "tasks[1].depends_on[0]"],
  ])("%j is %s", (pointer, expected) => {
    expect(describePlace(pointer, doc, "the job")).toBe(expected);
  });
});
