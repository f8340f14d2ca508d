import { describe, expect, it } from "vitest";
import { scanReferences, splitPath } from "../../runner/spec/references.js";

describe("scanReferences", () => {
  it("returns nothing for strings without {{", () => {
    expect(scanReferences("plain text with } and {")).toEqual([]);
  });

  it("classifies run-time references with their path, trimming spaces inside the braces", () => {
    expect(scanReferences("{{ tasks.train.values.auc }} > {{job.run_id}}")).toEqual([
      { kind: "run", text: "{{ tasks.train.values.auc }}", path: ["tasks", "train", "values", "auc"] },
      { kind: "run", text: "{{job.run_id}}", path: ["job", "run_id"] },
    ]);
    expect(scanReferences("{{job.parameters.[min_auc]}}")).toEqual([{ kind: "run", text: "{{job.parameters.[min_auc]}}", path: ["job", "parameters", "min_auc"] }]);
    expect(scanReferences("{{task.key}}")[0]).toMatchObject({ kind: "run", path: ["task", "key"] });
  });

  it.each(["{{vars.bucket}}", "{{env.name}}", "{{git.sha}}", "{{#if vars.x}}", "{{/if}}", "{{else}}", "{{^items}}", "{{> partial}}", "{{! comment }}", "{{{vars.raw}}}", "{{&vars.raw}}", "{{~vars.x~}}", "{{upper vars.name}}", "{{lookup tasks 'x'}}"])(
    "treats %j as a deploy-time expression",
    (text) => {
      expect(scanReferences(text).map((r) => r.kind)).toEqual(["deploy"]);
    },
  );

  it.each([
    ["{{}}", "empty reference"],
    ["{{   }}", "empty reference"],
    ["{{foo.bar}}", 'unknown name "foo"'],
    ["{{job.}}", '"job." is not a dotted name'],
    ["{{.job}}", '".job" is not a dotted name'],
    ["{{job.parameters.[x}}", '"job.parameters.[x" is not a dotted name'],
    ["{{job%name}}", '"job%name" is not a dotted name'],
  ])("reports %j as invalid: %s", (text, reason) => {
    expect(scanReferences(text)).toEqual([{ kind: "invalid", text, reason }]);
  });

  it("reports an unclosed {{ after the last complete reference, cut to 40 characters", () => {
    const refs = scanReferences(`{{job.name}} and {{job.run_id ${"x".repeat(60)}`);
    expect(refs[0]).toMatchObject({ kind: "run", path: ["job", "name"] });
    expect(refs[1]).toEqual({ kind: "invalid", text: `{{job.run_id ${"x".repeat(27)}`, reason: 'unclosed "{{"' });
    expect(refs[1]!.text).toHaveLength(40);
  });

  it("finds references spanning lines and several in one string, in order", () => {
    expect(scanReferences("a {{job.name}} b {{\njob.run_id\n}} c {{vars.x}}").map((r) => r.kind)).toEqual(["run", "run", "deploy"]);
  });
});

describe("splitPath", () => {
  it.each([
    ["a", ["a"]],
    ["a.b.c", ["a", "b", "c"]],
    ["tasks.my-task.values.$v", ["tasks", "my-task", "values", "$v"]],
    ["a.[b c].d", ["a", "b c", "d"]],
    ["[x.y]", ["x.y"]],
  ])("splits %j", (expr, parts) => {
    expect(splitPath(expr)).toEqual(parts);
  });

  it.each(["", "a.", ".a", "a..b", "a.[b", "a b", "a.b!", "a[b]"])("refuses %j", (expr) => {
    expect(splitPath(expr)).toEqual(expr === "" ? [] : undefined);
  });
});

describe("bracketed segments", () => {
  it("treats a bracketed name containing a space as a run-time reference, not a helper call", () => {
    expect(scanReferences("{{job.parameters.[a b]}}")).toEqual([{ kind: "run", text: "{{job.parameters.[a b]}}", path: ["job", "parameters", "a b"] }]);
  });

  it("still treats a helper call with spaces as deploy-time", () => {
    expect(scanReferences('{{lookup vars "x"}}')[0]!.kind).toBe("deploy");
  });
});
