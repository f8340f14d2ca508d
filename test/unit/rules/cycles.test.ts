import { describe, expect, it } from "vitest";
import { cycles } from "../../../runner/spec/rules/cycles.js";
import { jobOf, runRule, tsTask } from "./helpers.js";

describe("cycles rule (DS1006)", () => {
  it("reports nothing for an acyclic diamond", () => {
    const job = jobOf([tsTask("a"), tsTask("b", ["a"]), tsTask("c", ["a"]), tsTask("d", ["b", "c"])]);
    expect(runRule(cycles, job)).toEqual([]);
  });

  it("names a three-task cycle task by task and points at the dependency that closes it", () => {
    // a depends on b, b on c, c on a; `a` also has an unrelated first dependency.
    const job = jobOf([tsTask("x"), tsTask("c", ["a"]), tsTask("b", ["c"]), tsTask("a", ["x", "b"])]);
    const findings = runRule(cycles, job);
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({ code: "DS1006", pointer: "/tasks/3/depends_on/1/task_key", message: "dependency cycle: a → b → c → a" });
    expect(f!.hint).toContain('"a → b" means a depends on b');
  });

  it("names a two-task cycle", () => {
    const findings = runRule(cycles, jobOf([tsTask("train", ["score"]), tsTask("score", ["train"])]));
    expect(findings.map((f) => f.message)).toEqual(["dependency cycle: score → train → score"]);
    expect(findings[0]!.pointer).toBe("/tasks/1/depends_on/0/task_key");
  });

  it("reports each independent cycle once", () => {
    const job = jobOf([tsTask("a", ["b"]), tsTask("b", ["a"]), tsTask("m", ["n"]), tsTask("n", ["o"]), tsTask("o", ["m"]), tsTask("free", ["a", "m"])]);
    const messages = runRule(cycles, job).map((f) => f.message).sort();
    expect(messages).toEqual(["dependency cycle: a → b → a", "dependency cycle: m → n → o → m"]);
  });

  it("reports one shortest cycle per strongly connected group of tasks", () => {
    // a → b → c → a and a → c → a share tasks: one finding, through the shortest loop.
    const findings = runRule(cycles, jobOf([tsTask("a", ["b", "c"]), tsTask("b", ["c"]), tsTask("c", ["a"])]));
    expect(findings.map((f) => f.message)).toEqual(["dependency cycle: a → c → a"]);
    expect(findings[0]!.pointer).toBe("/tasks/0/depends_on/1/task_key");
  });

  it("leaves self-dependencies and unknown tasks to the dependencies rule", () => {
    expect(runRule(cycles, jobOf([tsTask("a", ["a"]), tsTask("b", ["nope", "a"])]))).toEqual([]);
  });
});
