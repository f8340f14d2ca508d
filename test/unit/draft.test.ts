import { describe, expect, it } from "vitest";
import { normaliseJob } from "../../runner/spec/draft.js";

describe("normaliseJob defaults", () => {
  const job = normaliseJob({
    name: "nightly",
    schedule: { quartz_cron_expression: "0 0 3 * * ?", timezone_id: "UTC" },
    tasks: [
      { task_key: "train", ts_task: { module: "tasks/train.ts" } },
      { task_key: "child", depends_on: [{ task_key: "train" }], run_job_task: { job: "other" } },
      { task_key: "gate", condition_task: { op: "EQUAL_TO", left: "a", right: "b" } },
    ],
  });

  it("applies job defaults", () => {
    expect(job).toMatchObject({ name: "nightly", tags: {}, parameters: [], max_concurrent_runs: 1, timeout_seconds: 0 });
    expect(job).not.toHaveProperty("description");
    expect(job.schedule).toEqual({ quartz_cron_expression: "0 0 3 * * ?", timezone_id: "UTC", pause_status: "UNPAUSED" });
  });

  it("applies task defaults", () => {
    expect(job.tasks[0]).toEqual({
      task_key: "train",
      index: 0,
      kinds: ["ts_task"],
      depends_on: [],
      run_if: "ALL_SUCCESS",
      max_retries: 0,
      min_retry_interval_millis: 0,
      retry_on_timeout: false,
      timeout_seconds: 0,
      compute: {},
      ts_task: { module: "tasks/train.ts", export: "default", parameters: {} },
    });
    expect(job.tasks[1]).toMatchObject({ index: 1, kinds: ["run_job_task"], depends_on: [{ task_key: "train", index: 0 }], run_job_task: { job: "other", job_parameters: {} } });
    expect(job.tasks[2]!.condition_task).toEqual({ op: "EQUAL_TO", left: "a", right: "b" });
  });

  it("keeps values that are set", () => {
    const set = normaliseJob({
      name: "x",
      description: "d",
      tags: { a: "b" },
      parameters: [{ name: "p", default: "1" }],
      max_concurrent_runs: 3,
      timeout_seconds: 10,
      schedule: { quartz_cron_expression: "c", timezone_id: "z", pause_status: "PAUSED" },
      tasks: [{ task_key: "t", description: "td", run_if: "ALL_DONE", max_retries: 2, min_retry_interval_millis: 5, retry_on_timeout: true, timeout_seconds: 7, compute: { cpus: 1 }, depends_on: [{ task_key: "g", outcome: "false" }], ts_task: { module: "m.ts", export: "run", parameters: { a: [1] } } }],
    });
    expect(set).toMatchObject({ description: "d", tags: { a: "b" }, parameters: [{ name: "p", default: "1", index: 0 }], max_concurrent_runs: 3, timeout_seconds: 10, schedule: { pause_status: "PAUSED" } });
    expect(set.tasks[0]).toMatchObject({ description: "td", run_if: "ALL_DONE", max_retries: 2, min_retry_interval_millis: 5, retry_on_timeout: true, timeout_seconds: 7, compute: { cpus: 1 } });
    expect(set.tasks[0]!.depends_on).toEqual([{ task_key: "g", outcome: "false", index: 0 }]);
    expect(set.tasks[0]!.ts_task).toEqual({ module: "m.ts", export: "run", parameters: { a: [1] } });
  });
});

describe("normaliseJob tolerance", () => {
  it.each([undefined, null, 42, "job", [], [{ name: "x" }]])("turns %j into an empty job without throwing", (value) => {
    expect(normaliseJob(value)).toEqual({ name: "", tags: {}, parameters: [], max_concurrent_runs: 1, timeout_seconds: 0, tasks: [] });
  });

  it("falls back to defaults for fields of the wrong type", () => {
    const job = normaliseJob({ name: 5, description: 1, tags: { ok: "y", bad: 2 }, max_concurrent_runs: "3", timeout_seconds: Number.NaN, schedule: { quartz_cron_expression: 1, pause_status: "paused" }, tasks: "nope" });
    expect(job).toEqual({ name: "", tags: { ok: "y" }, parameters: [], max_concurrent_runs: 1, timeout_seconds: 0, schedule: { quartz_cron_expression: "", timezone_id: "", pause_status: "UNPAUSED" }, tasks: [] });
  });

  it("keeps malformed tasks in place so indices match the file", () => {
    const job = normaliseJob({ tasks: [null, "x", { task_key: 3, max_retries: "2", retry_on_timeout: "yes", compute: [1] }, { task_key: "ok" }] });
    expect(job.tasks.map((t) => [t.index, t.task_key, t.kinds])).toEqual([[0, "", []], [1, "", []], [2, "", []], [3, "ok", []]]);
    expect(job.tasks[2]).toMatchObject({ max_retries: 0, retry_on_timeout: false, compute: {} });
  });

  it("records every kind present, even when a task has several or a kind is not an object", () => {
    const [t] = normaliseJob({ tasks: [{ task_key: "t", ts_task: "m.ts", run_job_task: { job: 1, job_parameters: { a: "b", c: 2 } }, condition_task: {} }] }).tasks;
    expect(t!.kinds).toEqual(["ts_task", "run_job_task", "condition_task"]);
    expect(t!.ts_task).toBeUndefined();
    expect(t!.run_job_task).toEqual({ job: "", job_parameters: { a: "b" } });
    expect(t!.condition_task).toEqual({ op: "EQUAL_TO", left: "", right: "" });
  });

  it("drops malformed dependencies and outcomes but keeps each dependency's index in the file", () => {
    const [t] = normaliseJob({ tasks: [{ task_key: "t", depends_on: ["a", { task_key: 1 }, { task_key: "b", outcome: true }, { task_key: "c", outcome: "true" }] }] }).tasks;
    expect(t!.depends_on).toEqual([{ task_key: "b", index: 2 }, { task_key: "c", outcome: "true", index: 3 }]);
  });

  it("drops malformed parameters but keeps each parameter's index in the file", () => {
    const job = normaliseJob({ parameters: ["x", { name: 1 }, { name: "rows" }, { name: "seed", default: 5 }, { name: "ok", default: "1" }], tasks: [] });
    expect(job.parameters).toEqual([{ name: "rows", default: "", index: 2 }, { name: "seed", default: "", index: 3 }, { name: "ok", default: "1", index: 4 }]);
  });

  it("treats ts_task fields of the wrong type as missing", () => {
    const [t] = normaliseJob({ tasks: [{ ts_task: { module: 1, export: null, parameters: [1, 2] } }] }).tasks;
    expect(t!.ts_task).toEqual({ module: "", export: "default", parameters: {} });
  });
});
