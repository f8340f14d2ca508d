import { describe, expect, it } from "vitest";
import { convert, tasksOf } from "./helpers.js";

describe("job conversion", () => {
  it("carries the graph, retries, timeouts, run_if, parameters, tags, description and limits", () => {
    const job = convert({
      name: "Nightly",
      description: "nightly load",
      tags: { team: "data", empty: "" },
      parameters: [{ name: "day", default: "{{job.start_time.iso_date}}" }],
      max_concurrent_runs: 3,
      timeout_seconds: 3600,
      tasks: [
        { task_key: "a", notebook_task: { notebook_path: "/a" }, max_retries: 2, min_retry_interval_millis: 500, retry_on_timeout: true, timeout_seconds: 60, description: "first" },
        { task_key: "b", depends_on: [{ task_key: "a" }], run_if: "ALL_DONE", notebook_task: { notebook_path: "/b" } },
      ],
    });
    expect(job.spec).toMatchObject({
      name: "imported",
      description: "nightly load",
      tags: { team: "data", empty: "" },
      parameters: [{ name: "day", default: "{{job.start_time.iso_date}}" }],
      max_concurrent_runs: 3,
      timeout_seconds: 3600,
    });
    expect(tasksOf(job)[0]).toMatchObject({ task_key: "a", description: "first", max_retries: 2, min_retry_interval_millis: 500, retry_on_timeout: true, timeout_seconds: 60 });
    expect(tasksOf(job)[1]).toMatchObject({ task_key: "b", depends_on: [{ task_key: "a" }], run_if: "ALL_DONE" });
    expect(Object.keys(job.spec)).toEqual(["name", "description", "tags", "parameters", "max_concurrent_runs", "timeout_seconds", "tasks"]);
  });

  it("keeps tasks listed out of topological order as they are", () => {
    const job = convert({ tasks: [{ task_key: "b", depends_on: [{ task_key: "a" }], notebook_task: { notebook_path: "/b" } }, { task_key: "a", notebook_task: { notebook_path: "/a" } }] });
    expect(tasksOf(job).map((t) => [t.task_key, t.depends_on])).toEqual([["b", [{ task_key: "a" }]], ["a", undefined]]);
  });

  it("renames invalid task keys and parameter names everywhere they are referred to, and reports it", () => {
    const job = convert({
      parameters: [{ name: "run date", default: "x" }],
      tasks: [
        { task_key: "load step", notebook_task: { notebook_path: "/a" } },
        { task_key: "use", depends_on: [{ task_key: "load step" }], spark_python_task: { python_file: "x.py", parameters: ["{{tasks.[load step].values.n}}", "{{job.parameters.[run date]}}"] } },
      ],
    });
    expect(job.report.renamed).toEqual({ tasks: { "load step": "load_step" }, parameters: { "run date": "run_date" } });
    expect(tasksOf(job)[1]).toMatchObject({ depends_on: [{ task_key: "load_step" }], ts_task: { parameters: { args: ["{{tasks.load_step.values.n}}", "{{job.parameters.run_date}}"] } } });
  });

  it("removes dependencies on unknown tasks, on the task itself, repeated ones and outcome on a non-condition, with notes", () => {
    const job = convert({
      tasks: [
        { task_key: "a", notebook_task: { notebook_path: "/a" } },
        { task_key: "b", depends_on: [{ task_key: "ghost" }, { task_key: "b" }, { task_key: "a", outcome: "true" }, { task_key: "a" }], notebook_task: { notebook_path: "/b" } },
      ],
    });
    expect(tasksOf(job)[1]!.depends_on).toEqual([{ task_key: "a" }]);
    expect(job.report.tasks[1]!.notes).toEqual([
      'depends_on "ghost" names no task of the job: removed',
      "the task depended on itself: removed",
      'outcome "true" on "a" was removed: "a" is not a condition_task',
      'depends_on "a" was listed twice: kept once',
    ]);
  });

  it("max_retries -1 (forever) becomes 100; bad values are dropped with the reason", () => {
    const job = convert({ tasks: [{ task_key: "a", notebook_task: { notebook_path: "/a" }, max_retries: -1, timeout_seconds: "soon" }] });
    expect(tasksOf(job)[0]!.max_retries).toBe(100);
    expect(job.report.tasks[0]!.dropped).toEqual([{ field: "timeout_seconds", reason: '"soon" is not a whole number of seconds' }]);
  });

  it("pushes job parameters down into notebook tasks, overriding base_parameters of the same name as Databricks does", () => {
    const job = convert({ parameters: [{ name: "catalog", default: "main" }], tasks: [{ task_key: "n", notebook_task: { notebook_path: "/n", base_parameters: { catalog: "old", x: "1" } } }, { task_key: "p", spark_python_task: { python_file: "p.py" } }] });
    expect(tasksOf(job)[0]!.ts_task).toEqual({ module: "tasks/n.ts", parameters: { catalog: "{{job.parameters.catalog}}", x: "1" } });
    expect(tasksOf(job)[1]!.ts_task).toEqual({ module: "tasks/p.ts" });
    expect(job.report.tasks[0]!.notes.join()).toMatch(/overriding the task's own catalog/);
  });

  it("imports a Jobs API 2.0 single-task job as task main", () => {
    const job = convert({ name: "old", new_cluster: { num_workers: 1 }, libraries: [{ pypi: { package: "x" } }], max_retries: 1, timeout_seconds: 30, spark_python_task: { python_file: "dbfs:/x.py" } });
    expect(job.spec.timeout_seconds).toBe(30);
    expect(tasksOf(job)).toEqual([{ task_key: "main", ts_task: { module: "tasks/main.ts" }, max_retries: 1 }]);
    expect(job.report.tasks[0]!.dropped.map((d) => d.field)).toEqual(["new_cluster", "libraries"]);
    expect(job.report.dropped).toEqual([]);
    expect(job.report.notes[0]).toMatch(/2\.0 single-task/);
  });

  it("resolves bundle interpolations and collects the deploy-time vars", () => {
    const job = convert({ parameters: [{ name: "catalog", default: "${var.catalog}" }], tasks: [{ task_key: "n", notebook_task: { notebook_path: "/n", base_parameters: { env: "${bundle.target}" } } }] }, { bundle: true });
    expect(job.spec.parameters).toEqual([{ name: "catalog", default: "{{vars.catalog}}" }]);
    expect(tasksOf(job)[0]!.ts_task).toMatchObject({ parameters: { env: "{{env.name}}" } });
    expect(job.report.vars).toEqual(["catalog"]);
  });

  it("max_concurrent_runs 0 and over 1000 are reported", () => {
    expect(convert({ max_concurrent_runs: 0, tasks: [{ task_key: "a", notebook_task: {} }] }).report.dropped[0]!.field).toBe("max_concurrent_runs");
    expect(convert({ max_concurrent_runs: 5000, tasks: [{ task_key: "a", notebook_task: {} }] }).spec.max_concurrent_runs).toBe(1000);
  });
});
