import { describe, expect, it } from "vitest";
import { outcome } from "../../../runner/spec/rules/outcome.js";
import { jobOf, runRule, tsTask } from "./helpers.js";

const gate = { task_key: "gate", condition_task: { op: "EQUAL_TO", left: "1", right: "1" } };
const child = { task_key: "child", run_job_task: { job: "other" } };

describe("outcome rule (DS1008)", () => {
  it("reports nothing for outcomes on condition_task dependencies", () => {
    const job = jobOf([gate, tsTask("yes", [], { depends_on: [{ task_key: "gate", outcome: "true" }] }), tsTask("no", [], { depends_on: [{ task_key: "gate", outcome: "false" }] })]);
    expect(runRule(outcome, job)).toEqual([]);
  });

  it("reports an outcome on a ts_task dependency", () => {
    const job = jobOf([tsTask("train"), gate, tsTask("deploy", [], { depends_on: [{ task_key: "gate" }, { task_key: "train", outcome: "true" }] })]);
    expect(runRule(outcome, job)).toEqual([
      {
        pointer: "/tasks/2/depends_on/1/outcome",
        code: "DS1008",
        message: 'task "deploy" sets outcome "true" on "train", which is a ts_task, not a condition_task',
        hint: "only condition_task dependencies have an outcome; remove it, or depend on a condition_task",
      },
    ]);
  });

  it("reports an outcome on a run_job_task dependency", () => {
    const [f] = runRule(outcome, jobOf([child, tsTask("after", [], { depends_on: [{ task_key: "child", outcome: "false" }] })]));
    expect(f).toMatchObject({ code: "DS1008", pointer: "/tasks/1/depends_on/0/outcome" });
    expect(f!.message).toContain('outcome "false" on "child", which is a run_job_task');
  });

  it("skips unknown upstream tasks and upstream tasks whose kind is itself invalid", () => {
    const both = { task_key: "both", ts_task: { module: "a.ts" }, condition_task: { op: "EQUAL_TO", left: "", right: "" } };
    const none = { task_key: "none" };
    const job = jobOf([both, none, tsTask("t", [], { depends_on: [{ task_key: "both", outcome: "true" }, { task_key: "none", outcome: "true" }, { task_key: "ghost", outcome: "true" }] })]);
    expect(runRule(outcome, job)).toEqual([]);
  });
});
