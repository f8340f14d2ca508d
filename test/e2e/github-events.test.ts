/**
 * The generated workflows' events end to end: for each event, the steps its workflow runs (the
 * built CLI, and the bundled action for the steps that use it) with the environment the Actions
 * runner gives them — GITHUB_EVENT_PATH holding a real-shaped webhook payload
 * (test/fixtures/github-events/), GITHUB_REF / GITHUB_SHA as GitHub sets them for that event,
 * GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, RUNNER_TEMP — and GITHUB_API_URL pointing at the local fake
 * GitHub API. The deploy tests share one throw-away repository, the ML tests one ML repository.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { AuditEntry } from "../../runner/models/types.js";
import { startFakeGitHub, type FakeGitHub } from "../integration/github/fake-github.js";
import { assertBuilt } from "./cli.js";
import { deployRepo, type DeployRepo } from "./deploy-repo.js";
import { actionStep, cliStep, eventFixture, stepEnv, type EventSpec } from "./github-runner.js";
import { mlRepo, type MlRepo } from "./ml-repo.js";

const SLOW = 240_000;
let gh: FakeGitHub;
let tmp: string;

beforeAll(async () => {
  assertBuilt();
  gh = await startFakeGitHub();
  tmp = mkdtempSync(path.join(tmpdir(), "dagship-gh-events-"));
});
afterAll(async () => {
  await gh?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The requests to the fake API from `from` on, as "METHOD /path state". */
const requestsSince = (from: number) => gh.requests.slice(from).map((q) => `${q.method} ${q.path.replace(/\/\d+(?=\/|$)/g, "/N")}${q.body?.state ? ` ${String(q.body.state)}` : ""}`);

describe("the branch, pull request, staging, release and delete workflows", () => {
  let repo: DeployRepo;
  let sha: string;
  beforeAll(() => {
    repo = deployRepo();
    // As this repository's prod: a release's tag (v*) may deploy to prod.
    repo.write("environments/prod.yaml", repo.read("environments/prod.yaml").replace('allowed_branches: [main, "release/*"]', 'allowed_branches: [main, "v*"]'));
    repo.commit("prod deploys from release tags");
    sha = repo.git("rev-parse", "HEAD").trim();
  });
  afterAll(() => repo?.remove());

  test(
    "push to a branch: validate, deploy to the branch's own dev namespace, and the integration job runs there through the action",
    async () => {
      const p = eventFixture("push-branch.json");
      const event: EventSpec = { name: "push", payload: { ...p, after: sha, head_commit: { ...p.head_commit, id: sha } }, ref: p.ref, sha };
      const before = gh.requests.length;
      const validate = await cliStep(repo.dir, ["validate"], stepEnv(tmp, gh.url, event));
      expect(validate.code, validate.stderr).toBe(0);
      const deploy = await cliStep(repo.dir, ["deploy", "--env", "dev", "--json"], stepEnv(tmp, gh.url, event));
      expect(deploy.code, deploy.stderr).toBe(0);
      expect(JSON.parse(deploy.stdout)).toMatchObject({ env: "dev", namespace: "feature-login" });
      const step = stepEnv(tmp, gh.url, event);
      const run = await actionStep(repo.dir, { command: "run", job: "etl", env: "dev", args: "--deployed" }, step);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toContain("dagship run etl --env dev --deployed --json");
      expect(step.outputs()).toMatchObject({ state: "SUCCESS", run_id: expect.stringMatching(/^r\d{8}T\d{6}-/), model_version: "", promoted: "" });
      expect(step.summary()).toContain("dagship run: etl in dev/feature-login");
      expect(step.summary()).toContain("```mermaid\nflowchart TD");
      // A valid branch needs no check run, and nothing else calls GitHub.
      expect(requestsSince(before)).toEqual([]);
    },
    SLOW,
  );

  test(
    "pull_request: the plan, validation and model report is one PR comment, created on the first run and updated, not duplicated, on the next push",
    async () => {
      const opened = eventFixture("pull_request-opened.json");
      const pr = opened.pull_request;
      const spec = (payload: any): EventSpec => ({ name: "pull_request", payload, ref: `refs/pull/${payload.number}/merge`, sha: payload.pull_request.merge_commit_sha, headRef: pr.head.ref, baseRef: pr.base.ref });
      const before = gh.requests.length;
      const first = stepEnv(tmp, gh.url, spec({ ...opened, pull_request: { ...pr, head: { ...pr.head, sha } } }));
      const r1 = await cliStep(repo.dir, ["github", "pr-report", "--env", "staging"], first);
      expect(r1.code, r1.stderr).toBe(0);
      expect(r1.stdout).toContain(`created the dagship report on #${pr.number}`);
      expect(first.summary()).toContain("## dagship plan for staging");
      const sync = eventFixture("pull_request-synchronize.json");
      const r2 = await cliStep(repo.dir, ["github", "pr-report", "--env", "staging"], stepEnv(tmp, gh.url, spec(sync)));
      expect(r2.code, r2.stderr).toBe(0);
      expect(r2.stdout).toContain(`updated the dagship report on #${pr.number}`);
      const comments = gh.comments.get(pr.number)!;
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).toMatch(/^<!-- dagship:pr-report -->\n## dagship plan for staging/);
      expect(comments[0]!.body).toContain("## ✅ Validation");
      expect(comments[0]!.body).toContain("## Model evaluation");
      expect(requestsSince(before)).toEqual(["GET /repos/acme/jobs/issues/N/comments", "POST /repos/acme/jobs/issues/N/comments", "GET /repos/acme/jobs/issues/N/comments", "PATCH /repos/acme/jobs/issues/comments/N"]);
    },
    SLOW,
  );

  test(
    "push to main: staging is deployed as one GitHub deployment with statuses in_progress then success, and the job runs there through the action",
    async () => {
      const p = eventFixture("push-main.json");
      const event: EventSpec = { name: "push", payload: { ...p, after: sha, head_commit: { ...p.head_commit, id: sha } }, ref: p.ref, sha };
      const before = gh.requests.length;
      const step = stepEnv(tmp, gh.url, event);
      const deploy = await cliStep(repo.dir, ["github", "deploy", "--env", "staging", "--github-environment", "staging"], step);
      expect(deploy.code, deploy.stderr).toBe(0);
      expect(requestsSince(before)).toEqual(["POST /repos/acme/jobs/deployments", "POST /repos/acme/jobs/deployments/N/statuses in_progress", "POST /repos/acme/jobs/deployments/N/statuses success"]);
      const [create, progress, done] = gh.requests.slice(before);
      expect(create!.body).toMatchObject({ ref: sha, environment: "staging", production_environment: false, auto_merge: false });
      expect(progress!.path).toBe(done!.path);
      expect(done!.body).toMatchObject({ environment: "staging", log_url: `https://github.example/acme/jobs/actions/runs/${step.env.GITHUB_RUN_ID}` });
      expect(step.summary()).toContain("## dagship deploy to staging/default");

      const runStep = stepEnv(tmp, gh.url, event);
      const run = await actionStep(repo.dir, { command: "run", job: "etl", env: "staging", args: "--deployed" }, runStep);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(runStep.outputs()).toMatchObject({ state: "SUCCESS" });
      expect(runStep.summary()).toContain("dagship run: etl in staging");
    },
    SLOW,
  );

  test(
    "release: prod is deployed from the release's tag as a production GitHub deployment",
    async () => {
      const p = eventFixture("release-published.json");
      const event: EventSpec = { name: "release", payload: p, ref: `refs/tags/${p.release.tag_name}`, sha };
      const before = gh.requests.length;
      const step = stepEnv(tmp, gh.url, event);
      const deploy = await cliStep(repo.dir, ["github", "deploy", "--env", "prod", "--github-environment", "production"], step);
      expect(deploy.code, deploy.stderr).toBe(0);
      expect(requestsSince(before)).toEqual(["POST /repos/acme/jobs/deployments", "POST /repos/acme/jobs/deployments/N/statuses in_progress", "POST /repos/acme/jobs/deployments/N/statuses success"]);
      expect(gh.requests[before]!.body).toMatchObject({ ref: sha, environment: "production", production_environment: true });
      const history = await cliStep(repo.dir, ["deploy", "--env", "prod", "--history", "--json"], stepEnv(tmp, gh.url, event));
      expect(history.stdout).toContain(`"branch": "${p.release.tag_name}"`);
    },
    SLOW,
  );

  test(
    "delete: the deleted branch's dev namespace is destroyed with its deployments and runs",
    async () => {
      const p = eventFixture("delete-branch.json");
      // The workflow's job runs only for branches (if: github.event.ref_type == 'branch').
      expect(p.ref_type).toBe("branch");
      const event: EventSpec = { name: "delete", payload: p, ref: "refs/heads/main", sha };
      const destroy = await cliStep(repo.dir, ["destroy", "--env", "dev", "--branch", p.ref, "--json"], stepEnv(tmp, gh.url, event));
      expect(destroy.code, destroy.stderr).toBe(0);
      expect(JSON.parse(destroy.stdout)).toMatchObject({ env: "dev", namespace: "feature-login", existed: true, runs_removed: 1 });
      const gone = await cliStep(repo.dir, ["run", "etl", "--env", "dev", "--deployed", "--branch", p.ref], stepEnv(tmp, gh.url, event));
      expect(gone.code).toBe(2);
    },
    SLOW,
  );
});

describe("the prod retrain workflow", () => {
  const SECRET = "prod-token-e2e-9f3c";
  let ml: MlRepo;
  let sha: string;
  const audit = (): AuditEntry[] => {
    const file = path.join(ml.ws("prod"), "models", "reviews", "audit.jsonl");
    return existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as AuditEntry) : [];
  };
  const retrainStep = (event: EventSpec) => stepEnv(tmp, gh.url, event, { DAGSHIP_PROD_TOKEN: SECRET, DAGSHIP_MODEL_EVALUATOR: "" });
  beforeAll(async () => {
    ml = mlRepo();
    ml.data("--env", "prod", "--rows", "3000", "--eval-rows", "1500");
    sha = ml.git("rev-parse", "HEAD").trim();
    // What the prod deploy workflow left: the jobs deployed to prod (from main, a clean tree, in CI).
    const deploy = await cliStep(ml.dir, ["deploy", "--env", "prod"], stepEnv(tmp, gh.url, { name: "push", payload: eventFixture("push-main.json"), ref: "refs/heads/main", sha }));
    expect(deploy.code, deploy.stderr).toBe(0);
  }, SLOW);
  afterAll(() => ml?.remove());

  test(
    "ACCEPTANCE: a schedule event runs the prod retrain in Actions mode against the local prod workspace: the summary holds the mermaid graph, the outputs run_id, state, model_version and promoted are set, and the gate decision is in the registry audit log",
    async () => {
      const event: EventSpec = { name: "schedule", payload: eventFixture("schedule.json"), ref: "refs/heads/main", sha };
      const step = retrainStep(event);
      const r = await actionStep(ml.dir, { command: "run", job: "retrain", env: "prod", args: "--deployed" }, step);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain(`::add-mask::${SECRET}`);

      const outputs = step.outputs();
      expect(outputs).toEqual({ run_id: expect.stringMatching(/^r\d{8}T\d{6}-/), state: "SUCCESS", model_version: "1", promoted: "true" });

      const summary = step.summary();
      expect(summary).toContain(`dagship run: retrain in prod`);
      expect(summary).toContain(outputs.run_id);
      expect(summary).toContain("```mermaid\nflowchart TD");
      expect(summary).toMatch(/-->\|"true"\|/);
      expect(summary).toContain("### Model reviews v1 against no champion yet — promoted to champion");
      expect(summary).toContain("**Gate** (auc, min_delta 0.001, on `eval`): ✅ passed — no champion yet: bootstrap");
      expect(summary).not.toContain(SECRET);

      const entries = audit();
      const run = { job: "retrain", run_id: outputs.run_id };
      expect(entries.find((e) => e.event === "gate")).toMatchObject({ event: "gate", env: "prod", version: 1, alias: "champion", metric: "auc", dataset: "eval", bootstrap: true, passed: true, from: null, to: 1, run: { ...run, task_key: "register" } });
      expect(entries.find((e) => e.event === "alias")).toMatchObject({ alias: "champion", from: null, to: 1, run: { ...run, task_key: "promote" } });
      expect(ml.aliases("prod")).toEqual({ champion: 1 });
    },
    SLOW,
  );

  test(
    "workflow_dispatch: a manual prod retrain of a worse model keeps the champion: promoted=false, and that decision is in the audit log too",
    async () => {
      ml.data("--env", "prod", "--rows", "2000");
      const event: EventSpec = { name: "workflow_dispatch", payload: eventFixture("workflow_dispatch.json"), ref: "refs/heads/main", sha };
      const step = retrainStep(event);
      const r = await actionStep(ml.dir, { command: "run", job: "retrain", env: "prod", args: "--deployed --param label_flip=0.5" }, step);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(step.outputs()).toMatchObject({ state: "SUCCESS", model_version: "2", promoted: "false" });
      expect(step.summary()).toContain("### Model reviews v2 against champion v1 — not promoted");
      expect(step.summary()).toMatch(/\*\*Gate\*\* \(auc, min_delta 0\.001, on `eval`\): ❌ not passed — auc [0-9.]+ vs champion v1/);
      const gate = audit().filter((e) => e.event === "gate").at(-1);
      expect(gate).toMatchObject({ version: 2, passed: false, bootstrap: false, champion_version: 1, from: 1, to: 1, run: { run_id: step.outputs().run_id } });
      expect(ml.aliases("prod")).toEqual({ champion: 1 });
    },
    SLOW,
  );
});
