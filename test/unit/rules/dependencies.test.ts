import { describe, expect, it } from "vitest";
import { dependencies } from "../../../runner/spec/rules/dependencies.js";
import { jobOf, runRule, tsTask } from "./helpers.js";

describe("dependencies rule (DS1004, DS1007, DS1028)", () => {
  it("reports nothing when every dependency names another existing task once", () => {
    expect(runRule(dependencies, jobOf([tsTask("a"), tsTask("b", ["a"]), tsTask("c", ["a", "b"])]))).toEqual([]);
  });

  it("DS1004: an unknown dependency lists the known tasks and suggests the closest key", () => {
    const job = jobOf([tsTask("train"), tsTask("evaluate", ["train"]), tsTask("deploy", ["train", "evalute"])]);
    const findings = runRule(dependencies, job);
    expect(findings).toEqual([
      {
        pointer: "/tasks/2/depends_on/1/task_key",
        code: "DS1004",
        message: 'task "deploy" depends on unknown task "evalute" (known tasks: train, evaluate)',
        hint: 'did you mean "evaluate"?',
      },
    ]);
  });

  it("DS1004: without a close key the hint says to add the task or remove the dependency", () => {
    const [f] = runRule(dependencies, jobOf([tsTask("train"), tsTask("deploy", ["zzzzzzzz"])]));
    expect(f).toMatchObject({ code: "DS1004", pointer: "/tasks/1/depends_on/0/task_key", hint: "add the task, or remove the dependency" });
    expect(f!.message).toContain("(known tasks: train)");
  });

  it("DS1004: a long list of known tasks is shortened", () => {
    const tasks = Array.from({ length: 20 }, (_, i) => tsTask(`t${String(i).padStart(2, "0")}`));
    tasks.push(tsTask("last", ["missing-task"]));
    const [f] = runRule(dependencies, jobOf(tasks));
    expect(f!.message).toContain("t00, t01");
    expect(f!.message).toContain("and 8 more)");
  });

  it("DS1007: a task that depends on itself", () => {
    expect(runRule(dependencies, jobOf([tsTask("a"), tsTask("b", ["a", "b"])]))).toEqual([
      { pointer: "/tasks/1/depends_on/1/task_key", code: "DS1007", message: 'task "b" depends on itself', hint: "remove this dependency" },
    ]);
  });

  it("DS1028: the same dependency listed twice points at the repeat", () => {
    const findings = runRule(dependencies, jobOf([tsTask("a"), tsTask("b", ["a", "a"])]));
    expect(findings).toEqual([
      { pointer: "/tasks/1/depends_on/1/task_key", code: "DS1028", message: 'task "b" lists the dependency on "a" twice', hint: "remove the repeated entry" },
    ]);
  });

  it("reports every problem of a task, not just the first", () => {
    const codes = runRule(dependencies, jobOf([tsTask("a"), tsTask("b", ["b", "nope", "a", "a"])])).map((f) => f.code);
    expect(codes).toEqual(["DS1007", "DS1004", "DS1028"]);
  });
});
