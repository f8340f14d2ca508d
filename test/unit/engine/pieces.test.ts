import { describe, expect, it } from "vitest";
import { evaluateCondition } from "../../../runner/engine/condition.js";
import { resolveReferences } from "../../../runner/engine/resolve.js";
import { runParameters, selectTasks } from "../../../runner/engine/selection.js";
import { job } from "./helpers.js";

describe("evaluateCondition", () => {
  it("compares numbers numerically and other strings as strings", () => {
    expect(evaluateCondition({ op: "GREATER_THAN", left: "10", right: "9" })).toBe("true");
    expect(evaluateCondition({ op: "GREATER_THAN", left: "b", right: "a" })).toBe("true");
    expect(evaluateCondition({ op: "EQUAL_TO", left: "1.0", right: "1" })).toBe("true");
    expect(evaluateCondition({ op: "NOT_EQUAL", left: "x", right: "x" })).toBe("false");
    expect(evaluateCondition({ op: "LESS_THAN_OR_EQUAL", left: "0.5", right: "0.5" })).toBe("true");
    expect(evaluateCondition({ op: "GREATER_THAN_OR_EQUAL", left: "", right: "0" })).toBe("false");
  });
});

describe("resolveReferences", () => {
  const scope = { job: { run_id: "r1", name: "j", parameters: { rows: "5" }, start_time: new Date("2026-11-20T10:11:12Z") }, task: { key: "t" }, values: { a: { v: 1 } } };

  it("resolves every run-time reference and leaves deploy-time ones alone", () => {
    expect(resolveReferences({ a: ["{{job.start_time.iso_date}} {{job.name}}/{{task.key}}"], b: "{{vars.x}}", c: 3 }, scope)).toEqual({ a: ["2026-11-20 j/t"], b: "{{vars.x}}", c: 3 });
  });

  it("throws for a value the upstream task never set, naming what it did set", () => {
    expect(() => resolveReferences("{{tasks.a.values.w}}", scope)).toThrow('task "a" did not set a value "w" (it set: v)');
  });
});

describe("selectTasks", () => {
  const j = job([{ key: "a" }, { key: "b", deps: ["a"] }, { key: "c", deps: ["b"] }, { key: "d", deps: ["a"] }]);

  it("selects everything by default, --task exactly, --from a task and all downstream", () => {
    expect([...selectTasks(j, [], undefined)].sort()).toEqual(["a", "b", "c", "d"]);
    expect([...selectTasks(j, ["c"], undefined)]).toEqual(["c"]);
    expect([...selectTasks(j, [], "b")].sort()).toEqual(["b", "c"]);
    expect([...selectTasks(j, ["d"], "b")].sort()).toEqual(["b", "c", "d"]);
  });

  it("rejects an unknown task key with a suggestion (exit 2)", () => {
    expect(() => selectTasks(j, ["bb"], undefined)).toThrow(/no task "bb"/);
  });
});

describe("runParameters", () => {
  it("overrides defaults and rejects unknown names", () => {
    const j = job([{ key: "a" }], { parameters: [{ name: "rows", default: "10" }] });
    expect(runParameters(j, { rows: "5" })).toEqual({ rows: "5" });
    expect(() => runParameters(j, { rowz: "5" })).toThrow(/no parameter "rowz"/);
  });
});
