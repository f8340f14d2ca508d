import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyseModules, type ModuleInfo } from "../../../runner/spec/exports.js";
import { ModuleResolver } from "../../../runner/spec/modules.js";
import { moduleExport } from "../../../runner/spec/rules/module-export.js";
import { jobOf, runRule } from "./helpers.js";

const FILES: Record<string, string> = {
  "both.ts": "export default async function run() {}\nexport function train(): number { return 1; }\n",
  "named.ts": "export function fit() {}\nexport const predict = (x: number) => x;\n",
  "reexport.ts": 'export { fit as refit } from "./named.ts";\nexport * from "./both.ts";\n',
  "nothing.ts": "const x: number = 1;\nconsole.log(x);\n",
  // A TypeScript syntax error on line 3, column 20.
  "broken.ts": "export default function run() {\n  const ok = 1;\n  const bad: number = ;\n}\n",
  "imports-broken.ts": 'import "./helpers/bad.ts";\nexport default 1;\n',
  "helpers/bad.ts": "export const x = {\n",
};

let root: string;
let dir: string;
let modules: ModuleResolver;
let exports: Map<string, ModuleInfo>;

beforeAll(async () => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "dagship-module-export-")));
  dir = path.join(root, "jobs", "train");
  for (const [name, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(dir, "tasks", name)), { recursive: true });
    writeFileSync(path.join(dir, "tasks", name), text);
  }
  modules = new ModuleResolver(root);
  exports = await analyseModules(Object.keys(FILES).map((f) => path.join(dir, "tasks", f)), root);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const check = (...tasks: Array<{ module: string; export?: string }>) =>
  runRule(
    moduleExport,
    jobOf(tasks.map((ts_task, i) => ({ task_key: `t${i}`, ts_task })), { name: "train" }),
    { root, file: path.join(dir, "job.json"), modules, exports },
  );

describe("module-export rule (DS1011, DS1027)", () => {
  it("accepts the default export, named exports and re-exports", () => {
    expect(check({ module: "tasks/both.ts" }, { module: "tasks/both.ts", export: "train" }, { module: "tasks/named.ts", export: "predict" }, { module: "tasks/reexport.ts", export: "refit" }, { module: "tasks/reexport.ts", export: "train" })).toEqual([]);
  });

  it("DS1011: a missing default export lists the exports and points at the module", () => {
    expect(check({ module: "tasks/named.ts" })).toEqual([
      {
        pointer: "/tasks/0/ts_task/module",
        code: "DS1011",
        message: 'module "tasks/named.ts" has no export "default" (it exports: fit, predict)',
        hint: 'set "export" to one of fit, predict, or add a default export',
      },
    ]);
  });

  it("DS1011: a misspelt named export points at export and suggests the closest", () => {
    const [f] = check({ module: "tasks/both.ts" }, { module: "tasks/both.ts", export: "trian" });
    expect(f).toMatchObject({ pointer: "/tasks/1/ts_task/export", code: "DS1011", hint: 'did you mean "train"?' });
    expect(f!.message).toBe('module "tasks/both.ts" has no export "trian" (it exports: default, train)');
  });

  it("DS1011: a module that exports nothing", () => {
    const [f] = check({ module: "tasks/nothing.ts", export: "run" });
    expect(f).toMatchObject({ code: "DS1011", message: 'module "tasks/nothing.ts" has no export "run" (it exports nothing)', hint: "there are no exports" });
  });

  it("DS1027: a module with a syntax error is reported at the module's own line and column", () => {
    const [f] = check({ module: "tasks/broken.ts" });
    const shown = path.join("jobs", "train", "tasks", "broken.ts");
    expect(f).toMatchObject({ pointer: "/tasks/0/ts_task/module", code: "DS1027", at: { file: shown, line: 3, column: 23 } });
    expect(f!.message).toMatch(/^module "tasks\/broken.ts" of task "t0" cannot be parsed: /);
    expect(f!.hint).toBe(`see ${shown}:3:23`);
  });

  it("DS1027: a syntax error in an imported file is located in that file", () => {
    const [f] = check({ module: "tasks/imports-broken.ts" });
    expect(f).toMatchObject({ code: "DS1027", at: { file: path.join("jobs", "train", "tasks", "helpers", "bad.ts"), line: 2 } });
  });

  it("leaves unresolvable or unanalysed modules to the module-path rule", () => {
    expect(check({ module: "tasks/missing.ts" }, { module: "/abs.ts" }, { module: "" })).toEqual([]);
    const [f] = runRule(moduleExport, jobOf([{ task_key: "a", ts_task: { module: "tasks/named.ts" } }], { name: "train" }), { root, file: path.join(dir, "job.json"), modules, exports: new Map() });
    expect(f).toBeUndefined();
  });
});
