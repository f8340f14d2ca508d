import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, UsageError } from "../../../runner/errors.js";
import { compileJobs } from "../../../runner/spec/compile.js";
import { validateEnvironments } from "../../../runner/spec/environments.js";
import { generateWorkflows } from "../../../runner/templates/generate.js";
import { initProject, projectTemplates } from "../../../runner/templates/project.js";
import { TemplateError } from "../../../runner/templates/render.js";
import { renderTree } from "../../../runner/templates/tree.js";
import { writeTreeAtomically } from "../../../runner/templates/write.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
let tmp: string;

beforeAll(() => {
  tmp = realpathSync(mkdtempSync(path.join(tmpdir(), "dagship-init-")));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(file: string, content: string | Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}
const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
};

describe("renderTree", () => {
  it("renders .hbs files (dropping the suffix), copies other files byte for byte with their mode, substitutes __name__", () => {
    const dir = path.join(tmp, "tree");
    const binary = Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x7b, 0x78, 0x7d, 0x7d, 0x80]); // NUL, invalid UTF-8 and a "{{x}}"
    write(path.join(dir, "jobs/__job__/job.json.hbs"), '{ "name": "{{job}}", "ref": "\\{{job.run_id}}" }\n');
    write(path.join(dir, "jobs/__job__/model.bin"), binary);
    write(path.join(dir, "verbatim.txt"), "{{not rendered}} ${{ github.ref }}\n");
    write(path.join(dir, "run.sh"), "#!/bin/sh\n");
    chmodSync(path.join(dir, "run.sh"), 0o755);
    const files = renderTree(dir, { job: "train" }, "t");
    expect(files.map((f) => f.path)).toEqual(["jobs/train/job.json", "jobs/train/model.bin", "run.sh", "verbatim.txt"]);
    expect(files[0]!.content.toString()).toBe('{ "name": "train", "ref": "{{job.run_id}}" }\n');
    expect(files[1]!.content.equals(binary)).toBe(true);
    expect(files[2]!.mode).toBe(0o755);
    expect(files[3]!.content.toString()).toBe("{{not rendered}} ${{ github.ref }}\n");
  });

  it("refuses a .hbs file that is not UTF-8, and two files rendering to one path", () => {
    const bad = path.join(tmp, "bad-utf8");
    write(path.join(bad, "x.bin.hbs"), Buffer.from([0xff, 0xfe]));
    expect((thrown(() => renderTree(bad, {}, "t")) as Error).message).toBe("t/x.bin.hbs: is not UTF-8 text");
    const clash = path.join(tmp, "clash");
    write(path.join(clash, "a.txt"), "1");
    write(path.join(clash, "a.txt.hbs"), "2");
    expect((thrown(() => renderTree(clash, {}, "t")) as Error).message).toBe('t/a.txt.hbs: renders to "a.txt", as t/a.txt does');
  });
});

describe("writeTreeAtomically", () => {
  it("leaves nothing behind when a write fails half way", () => {
    const target = path.join(tmp, "half", "project");
    const files = [
      { path: "a.txt", content: Buffer.from("a"), mode: 0o644 },
      { path: "b", content: Buffer.from("b"), mode: 0o644 },
      { path: "b/c.txt", content: Buffer.from("c"), mode: 0o644 }, // "b" is a file: this one cannot be written
    ];
    expect(() => writeTreeAtomically(target, files)).toThrow();
    expect(readdirSync(path.dirname(target))).toEqual([]);
  });
});

describe("initProject", () => {
  it("creates a project that validates, linked to this checkout, with workflows up to date", async () => {
    const dir = path.join(tmp, "My Project");
    const result = initProject(dir, { link: true });
    expect(result).toMatchObject({ dir, name: "my-project", template: "default", dependency: `file:${ROOT}`, job: "hello" });
    expect(result.files).toEqual(expect.arrayContaining([".gitignore", "README.md", "package.json", "tsconfig.json", "environments/dev.yaml", "environments/staging.yaml", "environments/prod.yaml", "jobs/hello/job.json", "jobs/hello/tasks/generate.ts", "jobs/lib/random.ts", "test/jobs.test.ts", "test/cli.test.ts", ".github/workflows/branch.yml", ".github/workflows/destroy-branch.yml"]));
    for (const f of result.files) expect(existsSync(path.join(dir, f))).toBe(true);
    expect(readdirSync(tmp).filter((n) => n.includes("dagship-init"))).toEqual([]);

    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    expect(pkg).toMatchObject({ name: "my-project", type: "module", scripts: { test: "vitest run" }, dependencies: { dagship: `file:${ROOT}` } });
    expect(readFileSync(path.join(dir, "jobs/hello/tasks/generate.ts"), "utf8")).toContain('import { defineTask } from "dagship";');
    expect(readFileSync(path.join(dir, ".gitignore"), "utf8")).toMatch(/^\.dagship\/$/m);

    const { diagnostics } = await compileJobs([path.join(dir, "jobs/hello/job.json")], { cwd: dir });
    expect(diagnostics).toEqual([]);
    const envs = readdirSync(path.join(dir, "environments")).map((f) => path.join(dir, "environments", f));
    expect(validateEnvironments(envs, dir).diagnostics).toEqual([]);
    expect(generateWorkflows(dir, { check: true })).toMatchObject({ drifted: [], stale: [] });
  });

  it("depends on the published version without --link, and takes --name", () => {
    const result = initProject(path.join(tmp, "published"), { name: "@acme/jobs" });
    const { version } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(result.dependency).toBe(`^${version}`);
    expect(JSON.parse(readFileSync(path.join(tmp, "published", "package.json"), "utf8"))).toMatchObject({ name: "@acme/jobs", dependencies: { dagship: `^${version}` } });
    expect(thrown(() => initProject(path.join(tmp, "bad-name"), { name: "Bad Name" }))).toBeInstanceOf(UsageError);
  });

  it("fills an existing empty folder", () => {
    const dir = path.join(tmp, "empty");
    mkdirSync(dir);
    initProject(dir);
    expect(statSync(path.join(dir, "package.json")).isFile()).toBe(true);
    expect(readdirSync(tmp).filter((n) => n.includes("dagship-init"))).toEqual([]);
  });

  it("refuses a folder that is not empty, or a file (DS2009), writing nothing", () => {
    const dir = path.join(tmp, "taken");
    write(path.join(dir, "notes.txt"), "mine");
    const e = thrown(() => initProject(dir)) as ConfigError;
    expect([e.code, e.exitCode, e.message]).toEqual(["DS2009", 2, `folder "${dir}" is not empty (it holds notes.txt)`]);
    expect(e.hint).toMatch(/choose a new folder/);
    expect(readdirSync(dir)).toEqual(["notes.txt"]);
    expect((thrown(() => initProject(path.join(dir, "notes.txt"))) as ConfigError).message).toMatch(/exists and is not a folder/);
  });

  it("refuses an unknown template (DS2010), listing the known ones", () => {
    expect(projectTemplates()).toContain("default");
    const e = thrown(() => initProject(path.join(tmp, "x"), { template: "defualt" })) as ConfigError;
    expect([e.code, e.message, e.hint]).toEqual(["DS2010", 'unknown project template "defualt"', 'did you mean "default"?']);
    expect((thrown(() => initProject(path.join(tmp, "x"), { template: "zzz" })) as ConfigError).hint).toBe(`templates: ${projectTemplates().join(", ")}`);
    expect(existsSync(path.join(tmp, "x"))).toBe(false);
  });

  it("writes nothing when a template cannot be rendered, and names the file and line", () => {
    const pkgRoot = path.join(tmp, "pkg");
    cpSync(path.join(ROOT, "templates"), path.join(pkgRoot, "templates"), { recursive: true });
    cpSync(path.join(ROOT, "package.json"), path.join(pkgRoot, "package.json"));
    write(path.join(pkgRoot, "templates/project/default/zz-broken.md.hbs"), "# {{project.name}}\n\n{{project.title}}\n");
    const target = path.join(tmp, "broken", "project");
    const e = thrown(() => initProject(target, { packageRoot: pkgRoot })) as TemplateError;
    expect(e).toBeInstanceOf(TemplateError);
    expect(e.message).toBe('templates/project/default/zz-broken.md.hbs:3:3: unknown name "project.title": "project" has name');
    expect(existsSync(path.dirname(target))).toBe(false);
  });
});
