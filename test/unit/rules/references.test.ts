import { describe, expect, it } from "vitest";
import { references } from "../../../runner/spec/rules/references.js";
import { jobOf, runRule, tsTask } from "./helpers.js";

const params = [
  { name: "rows", default: "1000" },
  { name: "min_mean", default: "0.4" },
];
/** A chain extract ← transform ← load, plus an unrelated side task; `load` gets the given ts_task parameters. */
const chain = (loadParams: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  jobOf(
    [tsTask("extract"), tsTask("transform", ["extract"]), tsTask("side"), { task_key: "load", depends_on: [{ task_key: "transform" }], ts_task: { module: "tasks/load.ts", parameters: loadParams } }],
    { parameters: params, ...extra },
  );

describe("references rule (DS1014, DS1015, DS1016, DS1020)", () => {
  it("accepts every run-time reference the runner resolves", () => {
    const job = chain({
      rows: "{{job.parameters.rows}}",
      bracketed: "{{ job.parameters.[min_mean] }}",
      meta: "{{job.run_id}} {{job.name}} {{job.start_time.iso_date}} {{job.start_time.iso_datetime}} {{job.start_time.timestamp_ms}} {{task.key}}",
      direct: "{{tasks.transform.values.count}}",
      transitive: "{{tasks.extract.values.path}}",
    });
    expect(runRule(references, job)).toEqual([]);
  });

  it("ignores deploy-time expressions and handlebars helpers", () => {
    const job = chain({ a: "{{vars.bucket}}/{{env.name}}@{{git.sha}}", b: "{{#if vars.big}}1000{{else}}10{{/if}}", c: "{{upper vars.name}}", d: "{{{vars.raw}}}", e: "{{! a comment }}" });
    expect(runRule(references, job)).toEqual([]);
  });

  it("finds references at any depth of ts_task.parameters, with the pointer of the string", () => {
    const job = chain({ nested: { list: [1, "ok", { "a/b": "{{tasks.side.values.x}}" }] } });
    expect(runRule(references, job)).toEqual([
      {
        pointer: "/tasks/3/ts_task/parameters/nested/list/2/a~1b",
        code: "DS1016",
        message: 'task "load" reads {{tasks.side.values.x}} but "side" is not upstream of it',
        hint: 'add { "task_key": "side" } to depends_on of "load" so the value exists when it starts',
      },
    ]);
  });

  it("DS1016: a task reading its own values", () => {
    const [f] = runRule(references, chain({ me: "{{tasks.load.values.v}}" }));
    expect(f).toMatchObject({ code: "DS1016", pointer: "/tasks/3/ts_task/parameters/me", message: 'task "load" reads its own value "v"' });
  });

  it("DS1016: a downstream task is not upstream either", () => {
    const job = jobOf([{ task_key: "first", ts_task: { module: "a.ts", parameters: { x: "{{tasks.second.values.v}}" } } }, tsTask("second", ["first"])]);
    expect(runRule(references, job).map((f) => f.code)).toEqual(["DS1016"]);
  });

  it("DS1015: an unknown task lists the known ones and suggests the closest", () => {
    const [f] = runRule(references, chain({ x: "{{tasks.transfrom.values.count}}" }));
    expect(f).toMatchObject({ code: "DS1015", hint: 'did you mean "transform"?' });
    expect(f!.message).toBe('{{tasks.transfrom.values.count}} refers to unknown task "transfrom" (known tasks: extract, transform, side, load)');
  });

  it("DS1014: an unknown job parameter suggests the closest name", () => {
    expect(runRule(references, chain({ x: "rows={{job.parameters.row}}" }))).toEqual([
      { pointer: "/tasks/3/ts_task/parameters/x", code: "DS1014", message: '{{job.parameters.row}} refers to unknown job parameter "row"', hint: 'did you mean "rows"?' },
    ]);
  });

  it("DS1014: a job without parameters says how to add one", () => {
    const job = jobOf([{ task_key: "a", ts_task: { module: "a.ts", parameters: { x: "{{job.parameters.rows}}" } } }]);
    expect(runRule(references, job)[0]!.hint).toBe('the job has no parameters; add one under "parameters"');
  });

  it.each([
    ["{{job.nope}}", "unknown reference {{job.nope}}"],
    ["{{job.run_ids}}", "unknown reference {{job.run_ids}}"],
    ["{{tasks.extract.result}}", "unknown reference {{tasks.extract.result}}"],
    ["{{foo.bar}}", 'unknown name "foo"'],
    ["{{}}", "empty reference"],
    ["{{job..name}}", "is not a dotted name"],
    ["pre {{job.name", 'unclosed "{{"'],
  ])("DS1020: %j is malformed or unknown", (text, reason) => {
    const findings = runRule(references, chain({ x: text }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: "DS1020", pointer: "/tasks/3/ts_task/parameters/x" });
    expect(findings[0]!.message).toContain(reason);
  });

  it("DS1020: a misspelt job reference suggests the right one", () => {
    expect(runRule(references, chain({ x: "{{job.run_ids}}" }))[0]!.hint).toBe("did you mean {{job.run_id}}?");
  });

  it("checks run_job_task.job_parameters and condition_task operands", () => {
    const job = jobOf(
      [
        tsTask("a"),
        { task_key: "child", depends_on: [{ task_key: "a" }], run_job_task: { job: "other", job_parameters: { ok: "{{tasks.a.values.v}}", bad: "{{tasks.b.values.v}}" } } },
        { task_key: "gate", condition_task: { op: "EQUAL_TO", left: "{{tasks.a.values.v}}", right: "{{job.parameters.nope}}" } },
      ],
      { parameters: params },
    );
    expect(runRule(references, job).map((f) => [f.code, f.pointer])).toEqual([
      ["DS1015", "/tasks/1/run_job_task/job_parameters/bad"],
      ["DS1016", "/tasks/2/condition_task/left"],
      ["DS1014", "/tasks/2/condition_task/right"],
    ]);
  });

  it("in job parameter defaults allows job-level references but not task or parameter ones", () => {
    const job = jobOf([tsTask("a")], {
      parameters: [
        { name: "ok", default: "run-{{job.run_id}}-{{vars.x}}" },
        { name: "p", default: "{{job.parameters.ok}}" },
        { name: "t", default: "{{task.key}}" },
        { name: "v", default: "{{tasks.a.values.x}}" },
      ],
    });
    const findings = runRule(references, job);
    expect(findings.map((f) => [f.code, f.pointer])).toEqual([
      ["DS1020", "/parameters/1/default"],
      ["DS1020", "/parameters/2/default"],
      ["DS1020", "/parameters/3/default"],
    ]);
    expect(findings[0]!.message).toContain("a parameter default cannot refer to parameters");
    expect(findings[1]!.message).toBe("{{task.key}} is only available inside a task");
  });

  it("points at a parameter default by its index in the file, even after a malformed entry", () => {
    const job = jobOf([tsTask("a")], { parameters: [{ name: 3 }, "junk", { name: "t", default: "{{task.key}}" }] });
    expect(runRule(references, job).map((f) => f.pointer)).toEqual(["/parameters/2/default"]);
  });

  it("reports every reference of one string", () => {
    const codes = runRule(references, chain({ x: "{{job.parameters.nope}}-{{tasks.side.values.v}}-{{tasks.ghost.values.v}}" })).map((f) => f.code);
    expect(codes).toEqual(["DS1014", "DS1016", "DS1015"]);
  });
});
