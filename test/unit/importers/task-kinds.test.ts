import { describe, expect, it } from "vitest";
import { convert, tasksOf } from "./helpers.js";

describe("each Databricks task kind", () => {
  it.each([
    ["notebook_task", { notebook_path: "../training/Train", base_parameters: { env: "dev", n: 5 } }, 'notebook "../training/Train"', { env: "dev", n: "5" }],
    ["spark_python_task", { python_file: "./argv.py", parameters: ["leaf1", "--x"] }, 'Python file "./argv.py"', { args: ["leaf1", "--x"] }],
    ["python_wheel_task", { package_name: "pkg", entry_point: "main", named_parameters: { a: "1" } }, 'Python wheel "pkg" entry point "main"', { a: "1" }],
    ["spark_jar_task", { main_class_name: "com.x.Main", parameters: ["a"] }, 'JAR main class "com.x.Main"', { args: ["a"] }],
    ["spark_submit_task", { parameters: ["--class", "X"] }, "spark-submit", { args: ["--class", "X"] }],
    ["sql_task", { file: { path: "q.sql" }, warehouse_id: "w", parameters: { d: "x" } }, 'SQL file "q.sql"', { d: "x" }],
    ["sql_task", { query: { query_id: "123" } }, 'SQL query "123"', undefined],
    ["dbt_task", { commands: ["dbt deps", "dbt run"] }, 'dbt commands "dbt deps", "dbt run"', { args: ["dbt deps", "dbt run"] }],
    ["pipeline_task", { pipeline_id: "p-1", full_refresh: true }, 'pipeline "p-1" (full refresh)', undefined],
    ["for_each_task", { inputs: "[1,2]", task: { task_key: "i", notebook_task: { notebook_path: "/n" } } }, 'a for-each loop over [1,2] running notebook "/n"', { inputs: "[1,2]" }],
    ["dashboard_task", { dashboard_id: "d" }, "a Databricks dashboard task", undefined],
  ])("%s becomes a ts_task to port", (kind, block, replaces, parameters) => {
    const job = convert({ name: "j", tasks: [{ task_key: "t", [kind]: block }] });
    const [task] = tasksOf(job);
    expect(task).toEqual({ task_key: "t", ts_task: { module: "tasks/t.ts", ...(parameters ? { parameters } : {}) } });
    const report = job.report.tasks[0]!;
    expect(report).toMatchObject({ task_key: "t", kind, as: "ts_task", port: { module: "tasks/t.ts", replaces } });
    const module = job.modules[0]!;
    expect(module.path).toBe("tasks/t.ts");
    expect(module.content).toContain('import { defineTask } from "dagship";');
    expect(module.content).toContain(`throw new Error(${JSON.stringify(`port me: this task replaces ${replaces}`)});`);
    expect(module.content).toContain("export default defineTask(");
  });

  it("reports the SQL warehouse of a SQL task as dropped", () => {
    const job = convert({ tasks: [{ task_key: "t", sql_task: { file: { path: "q.sql" }, warehouse_id: "w" } }] });
    expect(job.report.tasks[0]!.dropped).toEqual([{ field: "sql_task.warehouse_id", reason: expect.stringMatching(/warehouse/) }]);
  });

  it("the generated module lists the parameters and the values downstream tasks read, and keeps the original task", () => {
    const job = convert({
      tasks: [
        { task_key: "check", notebook_task: { notebook_path: "/Check */ me", base_parameters: { table: "t" } } },
        { task_key: "gate", depends_on: [{ task_key: "check" }], condition_task: { op: "EQUAL_TO", left: "{{tasks.check.values.violated}}", right: "true" } },
      ],
    });
    const content = job.modules[0]!.content;
    expect(content).toMatch(/ctx\.params holds: table/);
    expect(content).toMatch(/Downstream tasks read these values[^\n]*\n \*   violated/);
    expect(content).toContain('"notebook_path": "/Check *\\/ me"');
  });

  it("condition_task carries over, with string operands and converted references", () => {
    const job = convert({
      tasks: [
        { task_key: "a", notebook_task: { notebook_path: "/a" } },
        { task_key: "c", depends_on: [{ task_key: "a" }], condition_task: { op: "GREATER_THAN", left: "{{tasks.a.values.n}}", right: 5 } },
        { task_key: "yes", depends_on: [{ task_key: "c", outcome: true }], notebook_task: { notebook_path: "/y" } },
      ],
    });
    expect(tasksOf(job)[1]).toEqual({ task_key: "c", depends_on: [{ task_key: "a" }], condition_task: { op: "GREATER_THAN", left: "{{tasks.a.values.n}}", right: "5" } });
    expect(tasksOf(job)[2]!.depends_on).toEqual([{ task_key: "c", outcome: "true" }]);
  });

  it("run_job_task carries over to the resolved job, with job_parameters and pushed-down job parameters", () => {
    const job = convert(
      { parameters: [{ name: "input", default: "x" }, { name: "other", default: "y" }], tasks: [{ task_key: "r", run_job_task: { job_id: "${resources.jobs.leaf.id}", job_parameters: { k: "{{job.run_id}}" }, python_params: ["a"] } }] },
      { resolve: (id) => (id === "${resources.jobs.leaf.id}" ? { job: "leaf", childParameters: ["input", "k"] } : { reason: "?" }) },
    );
    expect(tasksOf(job)[0]).toEqual({ task_key: "r", run_job_task: { job: "leaf", job_parameters: { k: "{{job.run_id}}", input: "{{job.parameters.input}}" } } });
    expect(job.report.tasks[0]!.dropped).toEqual([{ field: "run_job_task.python_params", reason: expect.stringMatching(/job_parameters/) }]);
    expect(job.report.tasks[0]!.notes.join("\n")).toMatch(/input is passed to "leaf"/);
  });

  it("a run_job_task that cannot run (its own job, no job_id) becomes a ts_task to port", () => {
    const job = convert({ tasks: [{ task_key: "me", run_job_task: { job_id: 1 } }] }, { resolve: () => ({ reason: "a job cannot run itself in dagship" }) });
    expect(job.report.tasks[0]).toMatchObject({ kind: "run_job_task", as: "ts_task", port: { replaces: "a run of the Databricks job 1 (a job cannot run itself in dagship)" } });
  });

  it("a task with two kinds keeps the first and reports the other; a task without a kind is ported", () => {
    const job = convert({ tasks: [{ task_key: "two", notebook_task: { notebook_path: "/n" }, spark_python_task: { python_file: "x.py" } }, { task_key: "none" }] });
    expect(job.report.tasks[0]!.dropped[0]).toEqual({ field: "spark_python_task", reason: "a task has one kind; it is a notebook_task" });
    expect(job.report.tasks[1]).toMatchObject({ kind: "none", as: "ts_task" });
  });

  it("module file names of task keys that differ only in case do not collide", () => {
    const job = convert({ tasks: [{ task_key: "Train", notebook_task: { notebook_path: "/a" } }, { task_key: "train", notebook_task: { notebook_path: "/b" } }] });
    expect(job.modules.map((m) => m.path)).toEqual(["tasks/Train.ts", "tasks/train-2.ts"]);
  });
});
