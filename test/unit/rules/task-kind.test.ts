import { describe, expect, it } from "vitest";
import { taskKind } from "../../../runner/spec/rules/task-kind.js";
import { jobOf, runRule } from "./helpers.js";

const ts = { module: "tasks/a.ts" };
const run = { job: "other" };
const cond = { op: "EQUAL_TO", left: "a", right: "a" };

describe("task-kind rule (DS1018)", () => {
  it("reports nothing when each task has exactly one kind", () => {
    const job = jobOf([{ task_key: "a", ts_task: ts }, { task_key: "b", run_job_task: run }, { task_key: "c", condition_task: cond }]);
    expect(runRule(taskKind, job)).toEqual([]);
  });

  it("reports a task with no kind at the task", () => {
    const [f] = runRule(taskKind, jobOf([{ task_key: "a", ts_task: ts }, { task_key: "empty" }]));
    expect(f).toMatchObject({ pointer: "/tasks/1", code: "DS1018", message: 'task "empty" has no ts_task, run_job_task or condition_task' });
    expect(f!.hint).toContain('"ts_task": { "module": "tasks/step.ts" }');
    expect(f!.atKey).toBeUndefined();
  });

  it("names a task without a key by its index", () => {
    expect(runRule(taskKind, jobOf([{}]))[0]!.message).toBe("tasks[0] has no ts_task, run_job_task or condition_task");
  });

  it("reports a task with two kinds at the key of the second one", () => {
    expect(runRule(taskKind, jobOf([{ task_key: "both", condition_task: cond, ts_task: ts }]))).toEqual([
      {
        pointer: "/tasks/0/condition_task",
        atKey: true,
        code: "DS1018",
        message: 'task "both" has ts_task and condition_task; a task has exactly one kind',
        hint: "split it into two tasks, one depending on the other",
      },
    ]);
  });

  it("lists all three kinds when a task has every one", () => {
    const [f] = runRule(taskKind, jobOf([{ task_key: "all", ts_task: ts, run_job_task: run, condition_task: cond }]));
    expect(f).toMatchObject({ pointer: "/tasks/0/run_job_task", message: 'task "all" has ts_task and run_job_task and condition_task; a task has exactly one kind' });
  });
});
