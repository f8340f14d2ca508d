import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { spawn } from "node:child_process";
import { assertBuilt, CLI } from "./cli.js";
import { deployRepo, type DeployRepo } from "./deploy-repo.js";

beforeAll(assertBuilt);

let repo: DeployRepo;
afterEach(() => repo?.remove());

const V2 = 'export const VERSION = "v2";\n';

describe("deploy --env staging", () => {
  test("a second deploy of unchanged content is a no-op with the same ids, and diff is then empty", async () => {
    repo = deployRepo();
    const first = await repo.json(["deploy", "--env", "staging"]);
    expect(first.code).toBe(0);
    expect(first.body).toMatchObject({ env: "staging", namespace: "default", seq: 1, noop: false });
    expect(Object.keys(first.body.jobs)).toEqual(["etl", "report"]);
    for (const j of Object.values<any>(first.body.jobs)) expect(j).toMatchObject({ changed: true, status: "added" });

    const second = await repo.json(["deploy", "--env", "staging"]);
    expect(second.body).toMatchObject({ seq: 1, noop: true });
    for (const [job, j] of Object.entries<any>(second.body.jobs)) expect(j).toEqual({ deployment_id: first.body.jobs[job].deployment_id, changed: false, status: "unchanged" });
    const human = await repo.cli(["deploy", "--env", "staging"]);
    expect(human.stdout).toMatch(/nothing changed: 2 jobs unchanged; deployment 1 of staging\/default stays current/);

    const diff = await repo.json(["diff", "--env", "staging"]);
    expect(diff.code).toBe(0);
    expect(Object.values<any>(diff.body.jobs).map((j) => j.status)).toEqual(["unchanged", "unchanged"]);
  });

  test("editing one task's code changes only that job; diff names the task and the file; --rollback restores the previous ids", async () => {
    repo = deployRepo();
    const first = await repo.json(["deploy", "--env", "staging"]);
    repo.write("jobs/lib/version.ts", V2);

    const diff = await repo.json(["diff", "--env", "staging"]);
    expect(diff.body.jobs.report).toMatchObject({ status: "unchanged", changes: [] });
    expect(diff.body.jobs.etl.status).toBe("changed");
    expect(diff.body.jobs.etl.changes).toEqual([
      expect.objectContaining({ pointer: "/tasks/0/ts_task/code_sha256", task: "extract", files: ["jobs/lib/version.ts"] }),
    ]);
    expect((await repo.cli(["diff", "--env", "staging"])).stdout).toContain("[extract] code changed: jobs/lib/version.ts");

    const second = await repo.json(["deploy", "--env", "staging"]);
    expect(second.body.seq).toBe(2);
    expect(second.body.jobs.etl).toMatchObject({ changed: true, status: "changed" });
    expect(second.body.jobs.etl.deployment_id).not.toBe(first.body.jobs.etl.deployment_id);
    expect(second.body.jobs.report).toEqual({ deployment_id: first.body.jobs.report.deployment_id, changed: false, status: "unchanged" });

    const back = await repo.json(["deploy", "--env", "staging", "--rollback"]);
    expect(back.code).toBe(0);
    expect(back.body).toMatchObject({ seq: 3, rolled_back_to: 1 });
    expect(back.body.jobs.etl.deployment_id).toBe(first.body.jobs.etl.deployment_id);
    const again = await repo.json(["diff", "--env", "staging"]);
    expect(again.body.jobs.etl.status).toBe("changed");

    const history = await repo.json(["deploy", "--env", "staging", "--history"]);
    expect(history.body.deployments.map((d: any) => [d.seq, d.kind])).toEqual([[3, "rollback"], [2, "deploy"], [1, "deploy"]]);
    const noFurther = await repo.cli(["deploy", "--env", "staging", "--rollback"]);
    expect(noFurther.code).toBe(2);
    expect(noFurther.stderr).toContain("DS2015");
  });

  test("diff reports changed fields as pointers by task, and added and removed jobs", async () => {
    repo = deployRepo();
    await repo.cli(["deploy", "--env", "staging"]);
    const job = JSON.parse(repo.read("jobs/etl/job.json"));
    job.tasks[1].max_retries = 2;
    job.timeout_seconds = 120;
    repo.write("jobs/etl/job.json", JSON.stringify(job, null, 2));
    rmSync(path.join(repo.dir, "jobs", "report"), { recursive: true });
    const diff = await repo.json(["diff", "--env", "staging"]);
    expect(diff.body.jobs.report).toMatchObject({ status: "removed" });
    expect(diff.body.jobs.etl.changes).toEqual(
      expect.arrayContaining([
        { pointer: "/timeout_seconds", before: 0, after: 120 },
        { pointer: "/tasks/1/max_retries", task: "load", before: 0, after: 2 },
      ]),
    );
    const deployed = await repo.json(["deploy", "--env", "staging"]);
    expect(deployed.body.removed).toEqual(["report"]);
  });

  test("a job that does not validate refuses the deploy with its located error, and the current deployment stays", async () => {
    repo = deployRepo();
    const first = await repo.json(["deploy", "--env", "staging"]);
    repo.write("jobs/etl/job.json", repo.read("jobs/etl/job.json").replace('"tasks/load.ts"', '"tasks/missing.ts"'));
    const r = await repo.cli(["deploy", "--env", "staging"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/jobs\/etl\/job\.json:\d+:\d+ error DS10\d\d/);
    expect(r.stderr).toContain("nothing was changed");
    const history = await repo.json(["deploy", "--env", "staging", "--history"]);
    expect(history.body.current).toBe(1);
    expect(history.body.deployments[0].jobs).toEqual(Object.fromEntries(Object.entries<any>(first.body.jobs).map(([k, v]) => [k, v.deployment_id])));
  });

  test("a stale deploy lock of a dead process is taken over", async () => {
    repo = deployRepo();
    const lock = path.join(repo.dir, ".dagship", "staging", "deployments", "deploy.lock");
    await repo.cli(["deploy", "--env", "staging"]);
    writeFileSync(lock, JSON.stringify({ pid: 999_999_9, start: null, at: new Date().toISOString() }));
    repo.write("jobs/lib/version.ts", V2);
    const r = await repo.json(["deploy", "--env", "staging"]);
    expect(r.code).toBe(0);
    expect(r.body.seq).toBe(2);
    expect(existsSync(lock)).toBe(false);
  });

  test("a deploy killed at any point leaves the previous deployment current and intact; the next deploy succeeds", async () => {
    repo = deployRepo();
    const first = await repo.json(["deploy", "--env", "staging"]);
    for (const [i, delay] of [50, 150, 300, 500, 800].entries()) {
      repo.write("jobs/lib/version.ts", `export const VERSION = "k${i}";\n`);
      const child = spawn(process.execPath, [CLI, "deploy", "--env", "staging"], { cwd: repo.dir, env: { ...process.env, CI: "", DAGSHIP_NO_TTY: "1" }, stdio: "ignore" });
      // Listening from the start: a deploy that ends before the kill must not be waited for forever.
      const closed = new Promise((r) => child.once("close", r));
      await new Promise((r) => setTimeout(r, delay));
      child.kill("SIGKILL");
      await closed;
      const history = await repo.json(["deploy", "--env", "staging", "--history"]);
      expect(history.code).toBe(0);
      // Either the killed deploy had not committed (the previous one is current) or it had, whole.
      const current = history.body.deployments.find((d: any) => d.seq === history.body.current);
      for (const [job, id] of Object.entries<string>(current.jobs)) {
        expect(existsSync(path.join(repo.dir, ".dagship", "staging", "deployments", "objects", job, id, "manifest.json"))).toBe(true);
      }
    }
    const next = await repo.json(["deploy", "--env", "staging"]);
    expect(next.code).toBe(0);
    const run = await repo.json(["run", "etl", "--env", "staging", "--deployed"]);
    expect(run.body.tasks.load.values.loaded).toBe("k4");
    expect(next.body.jobs.report.deployment_id).toBe(first.body.jobs.report.deployment_id);
  });

  test("concurrent deploys serialise: one deployment, the others find nothing changed", async () => {
    repo = deployRepo();
    const all = await Promise.all([1, 2, 3].map(() => repo.json(["deploy", "--env", "staging"])));
    expect(all.map((r) => r.code)).toEqual([0, 0, 0]);
    const ids = new Set(all.map((r) => r.body.jobs.etl.deployment_id));
    expect(ids.size).toBe(1);
    const history = await repo.json(["deploy", "--env", "staging", "--history"]);
    expect(history.body.deployments).toHaveLength(1);
    expect(readdirSync(path.join(repo.dir, ".dagship", "staging", "deployments", "objects", "etl"))).toHaveLength(1);
  });
});

describe("run --deployed", () => {
  test("runs exactly the current deployment, even after the working tree changed or lost its task code", async () => {
    repo = deployRepo();
    await repo.cli(["deploy", "--env", "staging"]);
    repo.write("jobs/lib/version.ts", V2);
    const tree = await repo.json(["run", "etl", "--env", "staging"]);
    expect(tree.body.tasks.load.values.loaded).toBe("v2");
    expect(tree.body.source.kind).toBe("working_tree");

    rmSync(path.join(repo.dir, "jobs", "etl", "tasks"), { recursive: true });
    rmSync(path.join(repo.dir, "jobs", "lib"), { recursive: true });
    const deployed = await repo.json(["run", "etl", "--env", "staging", "--deployed"]);
    expect(deployed.code).toBe(0);
    expect(deployed.body.tasks.load.values.loaded).toBe("v1");
    expect(deployed.body.tasks.extract.values.label).toBe("staging-data");
    expect(deployed.body.source).toMatchObject({ kind: "deployment", seq: 1 });

    // A run_job_task of a deployed job runs the deployed child job too.
    const report = await repo.json(["run", "report", "--env", "staging", "--deployed"]);
    expect(report.code).toBe(0);
    const child = await repo.json(["status", report.body.tasks.run_etl.child_run_id, "--env", "staging"]);
    expect(child.body.source.kind).toBe("deployment");
    expect(child.body.tasks.extract.values).toMatchObject({ version: "v1", rows: 3 });
  });

  test("a job that is not deployed is exit 2 naming what is", async () => {
    repo = deployRepo();
    const none = await repo.cli(["run", "etl", "--env", "staging", "--deployed"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("DS2014");
    expect(none.stderr).toContain("dagship deploy --env staging");
  });
});

describe("dev branch namespaces", () => {
  test("two branches deploy, run and are destroyed independently; schedules are PAUSED and names carry the branch", async () => {
    repo = deployRepo();
    const a = await repo.json(["deploy", "--env", "dev", "--branch", "feature/A"]);
    expect(a.body.namespace).toBe("feature-a");
    repo.write("jobs/lib/version.ts", V2);
    const b = await repo.json(["deploy", "--env", "dev", "--branch", "feature-b"]);
    expect(b.body).toMatchObject({ namespace: "feature-b", seq: 1 });
    expect(b.body.jobs.etl.deployment_id).not.toBe(a.body.jobs.etl.deployment_id);

    const objects = path.join(repo.dir, ".dagship", "dev", "deployments", "objects", "etl");
    const deployedJob = JSON.parse(repo.read(path.relative(repo.dir, path.join(objects, a.body.jobs.etl.deployment_id, "job.json"))));
    expect(deployedJob.schedule.pause_status).toBe("PAUSED");
    expect(deployedJob.display_name).toBe("[feature-a] etl");

    const runA = await repo.json(["run", "etl", "--env", "dev", "--deployed", "--branch", "feature/A"]);
    const runB = await repo.json(["run", "etl", "--env", "dev", "--deployed", "--branch", "feature-b"]);
    expect([runA.body.tasks.load.values.loaded, runA.body.namespace]).toEqual(["v1", "feature-a"]);
    expect([runB.body.tasks.load.values.loaded, runB.body.namespace]).toEqual(["v2", "feature-b"]);

    const destroyed = await repo.json(["destroy", "--env", "dev", "--branch", "feature/A"]);
    expect(destroyed.body).toMatchObject({ namespace: "feature-a", existed: true, runs_removed: 1 });
    const gone = await repo.cli(["run", "etl", "--env", "dev", "--deployed", "--branch", "feature/A"]);
    expect(gone.code).toBe(2);
    const runs = await repo.json(["runs", "--env", "dev"]);
    expect(runs.body.runs.map((r: any) => r.run_id)).toEqual([runB.body.run_id]);
    const stillB = await repo.json(["run", "etl", "--env", "dev", "--deployed", "--branch", "feature-b"]);
    expect(stillB.body.tasks.load.values.loaded).toBe("v2");
    expect(readdirSync(objects)).toEqual([b.body.jobs.etl.deployment_id]);

    const again = await repo.json(["destroy", "--env", "dev", "--branch", "feature/A"]);
    expect(again.body.existed).toBe(false);
  });

  test("destroy needs --branch and an environment with branch isolation", async () => {
    repo = deployRepo();
    expect((await repo.cli(["destroy", "--env", "dev"])).code).toBe(2);
    const staging = await repo.cli(["destroy", "--env", "staging", "--branch", "x"]);
    expect(staging.code).toBe(2);
    expect(staging.stderr).toContain("isolation");
  });
});

describe("prod deploy policy", () => {
  test("refuses a branch outside the allowed list and a dirty tree, listing both; --force overrides outside CI only", async () => {
    repo = deployRepo();
    repo.git("checkout", "-q", "-b", "experiment");
    repo.write("jobs/lib/version.ts", V2);
    const refused = await repo.cli(["deploy", "--env", "prod"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("DS2013");
    expect(refused.stderr).toContain('branch "experiment" is not one prod deploys from');
    expect(refused.stderr).toContain("uncommitted: jobs/lib/version.ts");
    expect(existsSync(path.join(repo.dir, ".dagship", "prod", "deployments", "namespaces"))).toBe(false);

    const inCi = await repo.cli(["deploy", "--env", "prod", "--force"], { CI: "true" });
    expect(inCi.code).toBe(2);
    expect(inCi.stderr).toContain("--force is not allowed in CI");

    const forced = await repo.json(["deploy", "--env", "prod", "--force"]);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain("warning: deploying with --force");
    expect(forced.body.forced).toHaveLength(2);
  });

  test("deploys a clean commit of an allowed branch, with prod's override and its schedule as written", async () => {
    repo = deployRepo();
    repo.git("checkout", "-q", "-b", "release/1.0");
    const r = await repo.json(["deploy", "--env", "prod"]);
    expect(r.code).toBe(0);
    const run = await repo.json(["run", "etl", "--env", "prod", "--deployed"]);
    expect(run.body.tasks.extract.values).toMatchObject({ rows: 500, label: "prod-data" });
    const history = await repo.json(["deploy", "--env", "prod", "--history"]);
    expect(history.body.deployments[0].git).toMatchObject({ branch: "release/1.0", author: "Test <test@example.com>", dirty: [] });
  });
});
