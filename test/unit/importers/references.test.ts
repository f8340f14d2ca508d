import { describe, expect, it } from "vitest";
import { convertString, splitDatabricksPath, type ReferenceLog, type ReferenceScope } from "../../../runner/importers/databricks/references.js";
import { scanReferences } from "../../../runner/spec/references.js";

const scope = (over: Partial<ReferenceScope> = {}): ReferenceScope => ({
  parameters: new Map([["input", "input"], ["run date", "run_date"], ["my.param", "my.param"]]),
  tasks: new Map([["extract", "extract"], ["load step", "load_step"], ["later", "later"]]),
  task: "train",
  upstream: new Set(["extract", "load_step"]),
  bundle: false,
  ...over,
});
const convert = (value: string, over: Partial<ReferenceScope> = {}) => {
  const log: ReferenceLog = { notes: new Set(), problems: new Set(), vars: new Set() };
  return { out: convertString(value, scope(over), log), notes: [...log.notes], problems: [...log.problems], vars: [...log.vars] };
};

describe("Databricks dynamic value references", () => {
  it.each([
    ["{{job.parameters.input}}", "{{job.parameters.input}}"],
    ["{{ job.parameters.[input] }}", "{{job.parameters.input}}"],
    ["{{job.parameters.[run date]}}", "{{job.parameters.run_date}}"],
    ["{{job.parameters.[my.param]}}", "{{job.parameters.[my.param]}}"],
    ["{{job.run_id}}", "{{job.run_id}}"],
    ["{{job.name}}", "{{job.name}}"],
    ["{{job.start_time.iso_date}}", "{{job.start_time.iso_date}}"],
    ["{{job.start_time.[iso_datetime]}}", "{{job.start_time.iso_datetime}}"],
    ["{{task.name}}", "{{task.key}}"],
    ["{{tasks.extract.values.rows}}", "{{tasks.extract.values.rows}}"],
    ["{{tasks.[load step].values.[row count]}}", "{{tasks.load_step.values.[row count]}}"],
    ["day {{job.start_time.iso_date}} of {{job.name}}", "day {{job.start_time.iso_date}} of {{job.name}}"],
  ])("%s → %s", (from, to) => {
    const r = convert(from);
    expect(r.out).toBe(to);
    expect(r.problems).toEqual([]);
    expect(scanReferences(r.out).every((ref) => ref.kind === "run")).toBe(true);
  });

  it.each([
    ["{{parent_run_id}}", "{{job.run_id}}"],
    ["{{start_date}}", "{{job.start_time.iso_date}}"],
    ["{{start_time}}", "{{job.start_time.timestamp_ms}}"],
    ["{{task_key}}", "{{task.key}}"],
  ])("legacy %s → %s, noted", (from, to) => {
    const r = convert(from);
    expect(r.out).toBe(to);
    expect(r.notes[0]).toMatch(/legacy/);
  });

  it.each([
    ["{{job.id}}", "<unresolved: job.id>"],
    ["{{job_id}}", "<unresolved: job_id>"],
    ["{{run_id}}", "<unresolved: run_id>"],
    ["{{task.run_id}}", "<unresolved: task.run_id>"],
    ["{{job.trigger.type}}", "<unresolved: job.trigger.type>"],
    ["{{job.start_time.year}}", "<unresolved: job.start_time.year>"],
    ["{{tasks.extract.result_state}}", "<unresolved: tasks.extract.result_state>"],
    ["{{workspace.url}}", "<unresolved: workspace.url>"],
    ["{{job.parameters.nope}}", "<unresolved: job.parameters.nope>"],
    ["{{tasks.ghost.values.v}}", "<unresolved: tasks.ghost.values.v>"],
    ["{{ env['HOME'] }}", "<unresolved: env['HOME']>"],
  ])("%s has no equivalent: inert %s, reported", (from, to) => {
    const r = convert(from);
    expect(r.out).toBe(to);
    expect(r.problems).toHaveLength(1);
    expect(r.out).not.toContain("{{");
  });

  it("a task value of a task that is not upstream is made inert and the report says how to fix it", () => {
    const r = convert("{{tasks.later.values.flag}}");
    expect(r.out).toBe("<unresolved: tasks.later.values.flag>");
    expect(r.problems[0]).toMatch(/"later" is not upstream of "train".*add it to depends_on/);
  });

  it("a task reading its own value, task references outside tasks and parameter references in defaults are inert", () => {
    expect(convert("{{tasks.extract.values.v}}", { task: "extract" }).out).toBe("<unresolved: tasks.extract.values.v>");
    expect(convert("{{task.name}}", { task: undefined }).out).toBe("<unresolved: task.name>");
    expect(convert("{{job.parameters.input}}", { parameterDefault: true }).out).toBe("<unresolved: job.parameters.input>");
    expect(convert("{{job.start_time.iso_date}}", { parameterDefault: true }).out).toBe("{{job.start_time.iso_date}}");
  });

  it("template placeholders (dbx, Jinja) become deploy-time vars", () => {
    const r = convert("--cov={{project_slug}}");
    expect(r.out).toBe("--cov={{vars.project_slug}}");
    expect(r.vars).toEqual(["project_slug"]);
  });

  it("an unclosed {{ is made inert", () => {
    const r = convert("a {{ b {{job.run_id}}");
    expect(scanReferences(r.out).some((ref) => ref.kind === "invalid")).toBe(false);
    expect(r.out).toContain("{{job.run_id}}");
  });
});

describe("bundle interpolations", () => {
  it.each([
    ["${var.catalog}.schema", "{{vars.catalog}}.schema"],
    ["${bundle.target}", "{{env.name}}"],
    ["${bundle.environment}", "{{env.name}}"],
    ["${bundle.git.branch}@${bundle.git.commit}", "{{git.branch}}@{{git.sha}}"],
  ])("%s → %s", (from, to) => {
    const r = convert(from, { bundle: true });
    expect(r.out).toBe(to);
    expect(r.problems).toEqual([]);
    expect(scanReferences(r.out).every((ref) => ref.kind === "deploy")).toBe(true);
  });

  it("keeps interpolations without an equivalent as literal text, reported", () => {
    for (const s of ["${bundle.git.origin_url}", "${workspace.current_user.userName}", "${resources.pipelines.etl.id}", "${bundle.name}"]) {
      const r = convert(s, { bundle: true });
      expect(r.out).toBe(s);
      expect(r.problems[0]).toMatch(/kept as literal text/);
    }
  });

  it("leaves ${...} alone outside bundles and collects the variables used", () => {
    expect(convert("${var.catalog}").out).toBe("${var.catalog}");
    expect(convert("${var.a}/${var.b}", { bundle: true }).vars).toEqual(["a", "b"]);
  });
});

describe("splitDatabricksPath", () => {
  it("splits dotted paths with bracketed segments", () => {
    expect(splitDatabricksPath("tasks.[a b].values.v")).toEqual(["tasks", "a b", "values", "v"]);
    expect(splitDatabricksPath("job.parameters.[x]")).toEqual(["job", "parameters", "x"]);
    expect(splitDatabricksPath("a..b")).toBeUndefined();
    expect(splitDatabricksPath("env['X']")).toBeUndefined();
  });
});
