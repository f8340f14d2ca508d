import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModuleResolver } from "../../../runner/spec/modules.js";
import { modulePath } from "../../../runner/spec/rules/module-path.js";
import { jobOf, runRule } from "./helpers.js";

let base: string;
let root: string;
let outside: string;

// <base>/repo/jobs/train/{job.json, tasks/{fit.ts, score.mts, run.js, notes.md, folder.ts/}, link-out.ts, link-in.ts}
// <base>/repo/jobs/lib/shared.ts, <base>/outside/evil.ts
beforeAll(() => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), "dagship-module-path-")));
  root = path.join(base, "repo");
  outside = path.join(base, "outside");
  const tasks = path.join(root, "jobs", "train", "tasks");
  mkdirSync(path.join(tasks, "folder.ts"), { recursive: true });
  mkdirSync(path.join(root, "jobs", "lib"), { recursive: true });
  mkdirSync(outside);
  for (const f of ["fit.ts", "score.mts", "run.js", "notes.md"]) writeFileSync(path.join(tasks, f), "export default 1;\n");
  writeFileSync(path.join(root, "jobs", "lib", "shared.ts"), "export default 1;\n");
  writeFileSync(path.join(outside, "evil.ts"), "export default 1;\n");
  symlinkSync(path.join(outside, "evil.ts"), path.join(tasks, "link-out.ts"));
  symlinkSync(path.join(tasks, "fit.ts"), path.join(tasks, "link-in.ts"));
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

const check = (...modules: string[]) =>
  runRule(
    modulePath,
    jobOf(modules.map((module, i) => ({ task_key: `t${i}`, ts_task: { module } })), { name: "train" }),
    { root, file: path.join(root, "jobs", "train", "job.json"), modules: new ModuleResolver(root) },
  );

describe("module-path rule (DS1009, DS1010)", () => {
  it("accepts relative paths to .ts, .mts and .js files inside the repository, including shared code and inner links", () => {
    expect(check("tasks/fit.ts", "./tasks/score.mts", "tasks/run.js", "../lib/shared.ts", "tasks/link-in.ts")).toEqual([]);
  });

  it("DS1009: a path that leaves the repository", () => {
    const [f] = check("tasks/fit.ts", "../../../outside/evil.ts");
    expect(f).toMatchObject({ pointer: "/tasks/1/ts_task/module", code: "DS1009" });
    expect(f!.message).toBe(`module "../../../outside/evil.ts" resolves to ${path.join(outside, "evil.ts")}, outside the repository ${root}`);
    expect(f!.hint).toContain("jobs/lib/");
  });

  it("DS1009: a symbolic link to a file outside the repository", () => {
    const [f] = check("tasks/link-out.ts");
    expect(f).toMatchObject({ pointer: "/tasks/0/ts_task/module", code: "DS1009", message: `module "tasks/link-out.ts" is a link to ${path.join(outside, "evil.ts")}, outside the repository` });
    expect(f!.hint).toContain("copy the module into the repository");
  });

  it.each(["/etc/task.ts", "C:\\work\\task.ts", "c:/work/task.ts"])("DS1009: the absolute path %j", (module) => {
    const [f] = check(module);
    expect(f).toMatchObject({ code: "DS1009", message: `module "${module}" is an absolute path` });
    expect(f!.hint).toContain("relative to the job's folder");
  });

  it("DS1009: a path with a {{ }} reference is not static", () => {
    const [f] = check("tasks/{{vars.flavour}}.ts");
    expect(f).toMatchObject({ code: "DS1009", message: 'module "tasks/{{vars.flavour}}.ts" must be a static path' });
    expect(f!.hint).toContain("known at deploy time");
  });

  it("DS1010: a file that is not TypeScript or JavaScript", () => {
    expect(check("tasks/notes.md")[0]).toMatchObject({ code: "DS1010", message: 'module "tasks/notes.md" is not a TypeScript or JavaScript file', hint: "use one of .ts, .mts, .js, .mjs" });
  });

  it("DS1010: a missing file suggests a close sibling", () => {
    const [f] = check("tasks/fti.ts");
    expect(f).toMatchObject({ code: "DS1010", pointer: "/tasks/0/ts_task/module", hint: 'did you mean "fit.ts"?' });
    expect(f!.message).toBe(`module "tasks/fti.ts" does not exist (looked for ${path.join("jobs", "train", "tasks", "fti.ts")})`);
  });

  it("DS1010: a missing file without a close sibling lists the folder's modules", () => {
    expect(check("tasks/preprocess.ts")[0]!.hint).toMatch(/^modules in that folder: .*fit\.ts/);
  });

  it("DS1010: a missing folder says so", () => {
    expect(check("steps/fit.ts")[0]!.hint).toBe(`the folder ${path.join(root, "jobs", "train", "steps")} does not exist either`);
  });

  it("DS1010: a folder is not a module", () => {
    expect(check("tasks/folder.ts")[0]).toMatchObject({ code: "DS1010", message: 'module "tasks/folder.ts" is not a file' });
  });

  it("reports each bad task and skips empty module paths (the schema reports them)", () => {
    expect(check("", "tasks/fit.ts", "nope.ts", "/abs.ts").map((f) => [f.code, f.pointer])).toEqual([
      ["DS1010", "/tasks/2/ts_task/module"],
      ["DS1009", "/tasks/3/ts_task/module"],
    ]);
  });
});
