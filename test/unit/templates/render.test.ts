import { describe, expect, it } from "vitest";
import { compileTemplate, TemplateError } from "../../../runner/templates/render.js";
import { substitutePath } from "../../../runner/templates/tree.js";

const FILE = "templates/github/x.yml.hbs";
const render = (source: string, vars: Record<string, unknown> = {}) => compileTemplate(source, FILE)(vars);
const failure = (fn: () => unknown): TemplateError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateError);
    return error as TemplateError;
  }
  throw new Error("expected a TemplateError");
};

describe("compileTemplate", () => {
  it("renders names, blocks and the json helper, without HTML escaping", () => {
    const out = render('name: {{project.name}}\n{{#each xs}}- {{this}}\n{{/each}}v: {{json v}}\n<&"\'>', { project: { name: "a&b" }, xs: [1, 2], v: 'say "hi"' });
    expect(out).toBe('name: a&b\n- 1\n- 2\nv: "say \\"hi\\""\n<&"\'>');
  });

  it("keeps GitHub's ${{ }} expressions written as $\\{{ }}, even around a rendered name", () => {
    const source = "group: $\\{{ github.ref_name }}\n  {{name}}: $\\{{ secrets.{{name}} }}\nif: $\\{{ github.event.ref_type == 'branch' }}\n";
    expect(render(source, { name: "TOKEN" })).toBe("group: ${{ github.ref_name }}\n  TOKEN: ${{ secrets.TOKEN }}\nif: ${{ github.event.ref_type == 'branch' }}\n");
  });

  it("fails on an unescaped ${{ }}: strict mode does not guess", () => {
    const e = failure(() => render("a: 1\nref: ${{ github.ref }}\n"));
    expect(e.code).toBe("DS2011");
    expect(e.message).toBe(`${FILE}:2:10: unknown name "github.ref": the template has nothing`);
  });

  it("names the template file, line and column of an unknown name, and what exists", () => {
    const e = failure(() => render("a\nb\n  x: {{project.nmae}}\n", { project: { name: "p", version: "1" } }));
    expect(e.message).toBe(`${FILE}:3:8: unknown name "project.nmae": "project" has name, version`);
    expect([e.file, e.line, e.column, e.exitCode]).toEqual([FILE, 3, 8, 2]);
  });

  it("checks names used by helpers and in if bodies, and inside each bodies through handlebars' strict mode", () => {
    expect(failure(() => render("{{#if nope}}x{{/if}}")).message).toMatch(/:1:7: unknown name "nope"/);
    expect(failure(() => render("{{json nope}}")).message).toMatch(/:1:8: unknown name "nope"/);
    expect(failure(() => render("{{#if a}}\n{{b}}\n{{/if}}", { a: true })).message).toMatch(/:2:3: unknown name "b"/);
    expect(failure(() => render("{{#each xs}}\n  {{nope}}\n{{/each}}", { xs: [{ a: 1 }] })).message).toBe(`${FILE}:2:5: unknown name "nope"`);
  });

  it("refuses unknown helpers and partials, and syntax errors, located", () => {
    expect(failure(() => render("\n{{shout name}}", { name: "x" })).message).toMatch(new RegExp(`^${FILE}:2:1: .*unknown helper shout`));
    expect(failure(() => render("{{> nope}}")).message).toBe(`${FILE}:1:1: unknown partial "nope"`);
    expect(failure(() => render("a\n{{#if x}}\nb")).message).toMatch(new RegExp(`^${FILE}:3: syntax error`));
  });

  it("refuses prototype access before rendering", () => {
    for (const source of ["{{constructor}}", "{{a.__proto__}}", "{{toString}}", "{{#each xs}}{{hasOwnProperty}}{{/each}}", '{{lookup a "constructor"}}']) {
      expect(failure(() => render(source, { a: {}, xs: [1] })).message).toMatch(/cannot be used in a template \(prototype access is disabled\)/);
    }
  });

  it("renders partials with the including line's indentation, and locates errors in the partial's own file", () => {
    const steps = compileTemplate("- a\n- b: {{v}}\n", "_steps.yml.hbs");
    expect(compileTemplate("steps:\n  {{> steps}}\n  - c\n", FILE)({ v: 1 }, { steps })).toBe("steps:\n  - a\n  - b: 1\n  - c\n");
    const e = failure(() => compileTemplate("x:\n  {{> steps}}\n", FILE)({}, { steps }));
    expect(e.message).toBe('_steps.yml.hbs:2:8: unknown name "v": the template has nothing');
  });
});

describe("substitutePath", () => {
  it("replaces __name__ with a text variable", () => {
    expect(substitutePath("jobs/__job__/job.json.hbs", { job: "train" }, "t")).toBe("jobs/train/job.json.hbs");
    expect(substitutePath("__dot__gitignore", { dot: "." }, "t")).toBe(".gitignore");
    expect(substitutePath("plain/file.ts", {}, "t")).toBe("plain/file.ts");
  });

  it("refuses unknown variables and values that would leave the folder", () => {
    expect(() => substitutePath("jobs/__jobb__/x", { job: "a" }, "t/jobs/__jobb__/x")).toThrow('t/jobs/__jobb__/x: the file name uses "__jobb__", but there is no text variable "jobb"');
    expect(() => substitutePath("__job__/x", { job: "../../etc" }, "t")).toThrow(/cannot be part of a file name/);
    expect(() => substitutePath("__job__/x", { job: ".." }, "t")).toThrow(/not a plain relative path/);
    expect(() => substitutePath("__job__/x", { job: { a: 1 } }, "t")).toThrow(/no text variable/);
  });
});
