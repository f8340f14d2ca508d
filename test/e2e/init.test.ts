/**
 * `dagship init` and `dagship generate workflows` as processes. The big one is the acceptance of
 * issue #4: `dagship init <tmp> --link && npm install && npx dagship validate && npx dagship run
 * hello && npm test` in a fresh folder (npm install needs the npm registry, or its cache). Slow, like
 * everything in test/e2e: about 20 s, most of it npm install.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, ROOT, runCli, type CliResult } from "./cli.js";

let tmp: string;
beforeAll(() => {
  assertBuilt();
  tmp = realpathSync(mkdtempSync(path.join(tmpdir(), "dagship-init-e2e-")));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * Runs a command in the generated project with a clean environment: nothing of the vitest run
 * around it (a nested vitest must not think it is a worker of this one), no GitHub Actions mode.
 */
function sh(command: string, args: string[], cwd: string, timeoutMs: number): Promise<CliResult> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|TEST$|NODE_ENV$|GITHUB_ACTIONS$|DAGSHIP_)/.test(k)));
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      const e = error as (Error & { code?: unknown; signal?: NodeJS.Signals | null }) | null;
      resolve({ code: e === null ? 0 : typeof e.code === "number" ? e.code : null, signal: e?.signal ?? null, stdout, stderr, ms: Date.now() - started });
    });
  });
}
const ok = (r: CliResult, what: string) => expect(r.code, `${what} exited ${String(r.code)} after ${r.ms} ms\n${r.stdout}\n${r.stderr}`).toBe(0);

describe("dagship init", () => {
  it("creates a project that installs, validates, runs its job and passes its own tests", async () => {
    const dir = path.join(tmp, "acme-jobs");
    const init = await runCli(["init", dir, "--link"]);
    ok(init, "dagship init");
    expect(init.stdout).toContain(`created acme-jobs in ${dir} from template "default"`);
    expect(init.stdout).toContain("npx dagship run hello");

    // --ignore-scripts: the linked checkout is already built; its prepare script must not rebuild it.
    ok(await sh("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund"], dir, 120_000), "npm install");
    expect(realpathSync(path.join(dir, "node_modules", "dagship"))).toBe(realpathSync(ROOT));
    ok(await sh("npx", ["dagship", "validate"], dir, 30_000), "npx dagship validate");
    const run = await sh("npx", ["dagship", "run", "hello", "--json"], dir, 60_000);
    ok(run, "npx dagship run hello");
    expect(JSON.parse(run.stdout)).toMatchObject({ job: "hello", env: "dev", state: "SUCCESS" });
    const test = await sh("npm", ["test"], dir, 90_000);
    ok(test, "npm test");
    expect(stripVTControlCharacters(test.stdout)).toMatch(/Tests\s+4 passed \(4\)/);
  }, 240_000);

  it("refuses a folder that is not empty (exit 2), and writes nothing", async () => {
    const dir = path.join(tmp, "taken");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "keep.txt"), "mine");
    const r = await runCli(["init", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`dagship: error DS2009 folder "${dir}" is not empty (it holds keep.txt) (choose a new folder, or empty this one first; dagship init never overwrites files)\n`);
    expect(readdirSync(dir)).toEqual(["keep.txt"]);
  });

  it("refuses an unknown template (exit 2), listing the known ones", async () => {
    const r = await runCli(["init", path.join(tmp, "x"), "--template", "nope", "--json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('dagship: error DS2010 unknown project template "nope" (templates: default)\n');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: "DS2010" } });
    expect(existsSync(path.join(tmp, "x"))).toBe(false);
  });

  it("takes exactly one folder, and reports what it created with --json", async () => {
    expect((await runCli(["init"])).code).toBe(2);
    expect((await runCli(["init", "a", "b"])).stderr).toMatch(/DS2001 dagship init takes one folder, got 2/);
    const r = await runCli(["init", "json-project", "--name", "jp", "--json"], { cwd: tmp });
    ok(r, "dagship init --json");
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: true, dir: path.join(tmp, "json-project"), name: "jp", template: "default", job: "hello" });
    expect(out.dependency).toMatch(/^\^\d+\.\d+\.\d+/);
    expect(out.files).toContain(".github/workflows/branch.yml");
  });
});

describe("dagship generate workflows", () => {
  it("--check exits 1 listing a drifted workflow; without --check it rewrites it", async () => {
    const repo = path.join(tmp, "repo");
    mkdirSync(path.join(repo, ".git"), { recursive: true });
    for (const rel of ["package.json", "jobs", "environments", ".github/workflows"]) cpSync(path.join(ROOT, rel), path.join(repo, rel), { recursive: true });
    expect((await runCli(["generate", "workflows", "--check"], { cwd: repo })).code).toBe(0);

    const branch = path.join(repo, ".github/workflows/branch.yml");
    const original = readFileSync(branch, "utf8");
    writeFileSync(branch, original.replace("npx dagship validate", "echo skipped"));
    const check = await runCli(["generate", "workflows", "--check"], { cwd: repo });
    expect(check.code).toBe(1);
    expect(check.stderr).toBe(".github/workflows/branch.yml: out of date with its template\n");
    expect(readFileSync(branch, "utf8")).not.toBe(original);

    const fix = await runCli(["generate", "workflows"], { cwd: repo });
    ok(fix, "dagship generate workflows");
    expect(fix.stdout).toContain("wrote .github/workflows/branch.yml");
    expect(readFileSync(branch, "utf8")).toBe(original);
  });

  it("refuses what it cannot generate, and a repository without settings", async () => {
    const r = await runCli(["generate", "workflow"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean "workflows"?');
    const bare = path.join(tmp, "bare");
    mkdirSync(bare);
    writeFileSync(path.join(bare, "package.json"), '{ "name": "bare" }\n');
    const s = await runCli(["generate", "workflows", "--check"], { cwd: bare });
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/DS2012 package.json has no "dagship.workflows" settings/);
  });
});
