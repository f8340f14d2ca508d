import { describe, expect, it } from "vitest";
import { duplicateTaskKeys } from "../../../runner/spec/rules/duplicate-task-keys.js";
import { jobOf, runRule, tsTask } from "./helpers.js";

describe("duplicate-task-keys rule (DS1005)", () => {
  it("reports nothing for unique keys", () => {
    expect(runRule(duplicateTaskKeys, jobOf([tsTask("a"), tsTask("b"), tsTask("A")]))).toEqual([]);
  });

  it("points at the repeated key and names the first task that uses it", () => {
    expect(runRule(duplicateTaskKeys, jobOf([tsTask("train"), tsTask("score"), tsTask("train")]))).toEqual([
      { pointer: "/tasks/2/task_key", code: "DS1005", message: 'task key "train" is used twice (also by tasks[0])', hint: "task keys must be unique within a job; rename one" },
    ]);
  });

  it("reports every repeat against the first occurrence", () => {
    const findings = runRule(duplicateTaskKeys, jobOf([tsTask("x"), tsTask("a"), tsTask("a"), tsTask("a")]));
    expect(findings.map((f) => [f.pointer, f.message])).toEqual([
      ["/tasks/2/task_key", 'task key "a" is used twice (also by tasks[1])'],
      ["/tasks/3/task_key", 'task key "a" is used twice (also by tasks[1])'],
    ]);
  });

  it("ignores tasks without a key (the schema reports them)", () => {
    expect(runRule(duplicateTaskKeys, jobOf([{ ts_task: { module: "a.ts" } }, { task_key: 7, ts_task: { module: "b.ts" } }]))).toEqual([]);
  });
});
