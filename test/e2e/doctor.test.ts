/**
 * `dagship doctor` through the built CLI: a workspace damaged in several ways at once is reported
 * problem by problem (path, code, hint; exit 1); `--fix` repairs the safe ones and says what it
 * left; doctor again is clean for what was fixed.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { age, deadPid, writeDeployment, writeModel, writeRun } from "../integration/doctor/helpers.js";
import { assertBuilt } from "./cli.js";
import { tempRepo, type TempRepo } from "./runner-repo.js";

beforeAll(assertBuilt);
let repo: TempRepo | undefined;
afterEach(() => repo?.remove());

describe("dagship doctor", () => {
  test("a fresh environment has nothing to check; a healthy workspace is healthy", async () => {
    repo = tempRepo();
    const fresh = await repo.cli(["doctor"]);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain("does not exist yet");
    const run = await repo.cli(["run", "chain"]);
    expect(run.code).toBe(0);
    const healthy = await repo.json(["doctor", "--env", "dev"]);
    expect(healthy).toMatchObject({ code: 0, body: { ok: true, env: "dev", workspace: ".dagship/dev", problems: [], remaining: [] } });
  });

  test("lists every problem with its path; --fix repairs the safe ones and leaves the rest; doctor again is clean for those", async () => {
    repo = tempRepo();
    const ws = path.join(repo.dir, ".dagship", "dev");
    mkdirSync(ws, { recursive: true });
    const dead = deadPid();
    // Safe to fix: a run whose runner died, a dead lock, a stray temporary file.
    const interrupted = writeRun(ws, { state: "RUNNING", runner: { pid: dead, host: hostname(), started_at: new Date().toISOString() } });
    mkdirSync(path.join(ws, "deployments"), { recursive: true });
    writeFileSync(path.join(ws, "deployments", "deploy.lock"), JSON.stringify({ pid: dead, start: null, at: "" }));
    const stray = path.join(ws, "runs", interrupted.run_id, `run.json.tmp-${dead}-3`);
    writeFileSync(stray, "{");
    age(stray, 30);
    // For a human: a torn run record, a bundle file changed, a dangling alias.
    const torn = writeRun(ws);
    writeFileSync(path.join(ws, "runs", torn.run_id, "run.json"), "{");
    const { bundle } = writeDeployment(ws);
    writeFileSync(path.join(bundle, "code", "load.mjs"), "export default () => 2;\n");
    const model = await writeModel(ws);
    writeFileSync(path.join(model, "aliases.json"), JSON.stringify({ champion: 9 }));

    const rel = (p: string) => path.relative(repo!.dir, p);
    const expected = [
      `DS2050 ${rel(path.join(ws, "runs", torn.run_id, "run.json"))}`,
      `DS2051 ${rel(path.join(bundle, "code", "load.mjs"))}`,
      `DS2052 ${rel(path.join(model, "aliases.json"))}`,
      `DS2054 ${rel(stray)}`,
      `DS2055 .dagship/dev/deployments/deploy.lock`,
      `DS2056 ${rel(path.join(ws, "runs", interrupted.run_id, "run.json"))}`,
    ];
    const report = await repo.json(["doctor", "--env", "dev"]);
    expect(report.code).toBe(1);
    expect(report.body.ok).toBe(false);
    expect(report.body.problems.map((p: any) => `${p.code} ${p.path}`).sort()).toEqual(expected);
    expect(report.body.problems.filter((p: any) => p.fixable).map((p: any) => p.code).sort()).toEqual(["DS2054", "DS2055", "DS2056"]);
    expect(report.body.problems.every((p: any) => p.hint && p.message)).toBe(true);

    const text = await repo.cli(["doctor"]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`${rel(path.join(model, "aliases.json"))}: error DS2052 champion names version 9, which does not exist`);
    expect(text.stdout).toMatch(/✗ 6 problems in \.dagship\/dev; 3 can be fixed safely: dagship doctor --env dev --fix; 3 left for a human/);

    const fixed = await repo.cli(["doctor", "--fix"]);
    expect(fixed.code).toBe(1);
    expect(fixed.stdout).toContain(`${rel(path.join(ws, "runs", interrupted.run_id, "run.json"))}: fixed DS2056`);
    expect(fixed.stdout).toContain("fixed: released it");
    expect(fixed.stdout).toContain("fixed: removed it");
    expect(fixed.stdout).toMatch(/✗ 3 problems in \.dagship\/dev \(3 fixed\); 3 left for a human/);
    expect(JSON.parse(readFileSync(path.join(ws, "runs", interrupted.run_id, "run.json"), "utf8"))).toMatchObject({ state: "FAILED", interrupted: true });

    const again = await repo.json(["doctor"]);
    expect(again.code).toBe(1);
    expect(again.body.remaining.map((p: any) => `${p.code} ${p.path}`).sort()).toEqual(expected.slice(0, 3));
  });

  test("bad usage exits 2", async () => {
    repo = tempRepo();
    expect((await repo.cli(["doctor", "--fixx"])).code).toBe(2);
    expect((await repo.cli(["doctor", "extra"])).code).toBe(2);
    expect((await repo.cli(["doctor", "--env", "nope"])).code).toBe(2);
  });
});
