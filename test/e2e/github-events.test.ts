/**
 * The generated workflows' events end to end: for each event, the steps its workflow runs (the
 * built CLI, and the bundled action for the steps that use it) with the environment the Actions
 * runner gives them — GITHUB_EVENT_PATH holding a real-shaped webhook payload
 * (test/fixtures/github-events/), GITHUB_REF / GITHUB_SHA as GitHub sets them for that event,
 * GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, RUNNER_TEMP — and GITHUB_API_URL pointing at the local fake
 * GitHub API. The deploy tests share one throw-away repository, the ML tests of each workflow one
 * ML repository.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
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

describe("the release flow: main.yml keeps staging's champion, deploy-prod.yml promotes it into prod", () => {
  const SECRET = "prod-token-e2e-41d7";
  const MAIN_RUN = 7001;
  let ml: MlRepo;
  let sha: string;
  /** Where "upload-artifact" put main.yml's bundle: actions/upload-artifact and download-artifact move files, nothing else. */
  let artifactStore: string;
  const release = (): EventSpec => {
    const p = eventFixture("release-published.json");
    return { name: "release", payload: p, ref: `refs/tags/${p.release.tag_name}`, sha };
  };
  const prodStep = (event: EventSpec) => stepEnv(tmp, gh.url, event, { DAGSHIP_PROD_TOKEN: SECRET });
  /** actions/download-artifact: the artifact's files into `<RUNNER_TEMP>/staging-model` of the step. */
  const download = (step: ReturnType<typeof stepEnv>) => {
    const dir = path.join(step.env.RUNNER_TEMP!, "staging-model");
    cpSync(artifactStore, dir, { recursive: true });
    return dir;
  };
  const promoteInputs = (dir: string) => ({ command: "models promote", args: `--bundle ${dir}/reviews.tar.gz --from staging --to prod` });
  const prodState = () => {
    const models = path.join(ml.ws("prod"), "models");
    const list = (d: string): string[] => (existsSync(d) ? readdirSync(d).flatMap((f) => (statSync(path.join(d, f)).isDirectory() ? list(path.join(d, f)).map((x) => `${f}/${x}`) : [f])) : []);
    return Object.fromEntries(list(models).filter((f) => !f.endsWith(".lock")).map((f) => [f, readFileSync(path.join(models, f), "utf8")]));
  };
  const audit = (): AuditEntry[] => {
    const file = path.join(ml.ws("prod"), "models", "reviews", "audit.jsonl");
    return existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as AuditEntry) : [];
  };
  const metaOf = (env: string, version: number) => JSON.parse(readFileSync(path.join(ml.ws(env), "models", "reviews", "versions", String(version), "meta.json"), "utf8"));

  beforeAll(() => {
    ml = mlRepo();
    ml.data("--env", "staging", "--rows", "3000", "--eval-rows", "1500");
    // Prod has its own evaluation set (its gate's dataset) and no model yet.
    ml.data("--env", "prod", "--eval-only", "--eval-rows", "1500");
    sha = ml.git("rev-parse", "HEAD").trim();
    artifactStore = mkdtempSync(path.join(tmp, "artifact-"));
  });
  afterAll(() => ml?.remove());

  test(
    "release: after the staging retrain main.yml exports staging's champion; the prod deploy finds that run for the release's commit, imports the bundle and promotes it behind prod's gate: outputs, the gate decision in prod's audit log, and prod's champion is staging's model",
    async () => {
      // main.yml, on the push to main: deploy to staging, run the retrain there, export its champion.
      const push = eventFixture("push-main.json");
      const main: EventSpec = { name: "push", payload: { ...push, after: sha, head_commit: { ...push.head_commit, id: sha } }, ref: "refs/heads/main", sha };
      const staged = await cliStep(ml.dir, ["github", "deploy", "--env", "staging", "--github-environment", "staging"], stepEnv(tmp, gh.url, main));
      expect(staged.code, staged.stderr).toBe(0);
      const retrainStep = stepEnv(tmp, gh.url, main);
      const retrain = await actionStep(ml.dir, { command: "run", job: "retrain", env: "staging", args: "--deployed" }, retrainStep);
      expect(retrain.code, retrain.stdout + retrain.stderr).toBe(0);
      expect(retrainStep.outputs()).toMatchObject({ state: "SUCCESS", model_version: "1", promoted: "true" });
      const exportStep = stepEnv(tmp, gh.url, main);
      const out = path.join(exportStep.env.RUNNER_TEMP!, "staging-model", "reviews.tar.gz");
      const exported = await cliStep(ml.dir, ["models", "export", "reviews", "--alias", "champion", "--env", "staging", "--out", out, "--if-exists"], exportStep);
      expect(exported.code, exported.stderr).toBe(0);
      const bundleSha = createHash("sha256").update(readFileSync(out)).digest("hex");
      expect(exportStep.outputs()).toEqual({ model_version: "1", bundle: out, sha256: bundleSha });
      // upload-artifact: the folder, as the run's artifact "staging-model-reviews".
      cpSync(path.dirname(out), artifactStore, { recursive: true });
      expect(readdirSync(artifactStore).sort()).toEqual(["reviews.tar.gz", "reviews.tar.gz.sha256"]);
      gh.workflowRuns.push(
        { id: MAIN_RUN, path: ".github/workflows/main.yml", head_sha: sha, run_number: 41, status: "completed", conclusion: "success", artifacts: [{ id: 8801, name: "staging-model-reviews" }] },
        { id: MAIN_RUN + 1, path: ".github/workflows/pull-request.yml", head_sha: sha, run_number: 42, status: "completed", conclusion: "success", artifacts: [{ id: 8802, name: "staging-model-reviews" }] },
      );

      // deploy-prod.yml, on the release: deploy, find main.yml's run for the commit, download, promote.
      const event = release();
      const deploy = await cliStep(ml.dir, ["github", "deploy", "--env", "prod", "--github-environment", "production"], prodStep(event));
      expect(deploy.code, deploy.stderr).toBe(0);
      const before = gh.requests.length;
      const findStep = prodStep(event);
      // inputs.staging_run_id is empty on a release: the workflow passes it anyway.
      const find = await cliStep(ml.dir, ["github", "find-artifact", "--workflow", "main.yml", "--name", "staging-model-reviews", "--run-id", ""], findStep);
      expect(find.code, find.stderr).toBe(0);
      expect(findStep.outputs()).toEqual({ workflow_run_id: String(MAIN_RUN), artifact_id: "8801" });
      expect(requestsSince(before)).toEqual(["GET /repos/acme/jobs/actions/workflows/main.yml/runs", "GET /repos/acme/jobs/actions/runs/N/artifacts"]);
      expect(gh.requests[before]!.query).toMatchObject({ head_sha: sha, status: "success" });

      const step = prodStep(event);
      const r = await actionStep(ml.dir, promoteInputs(download(step)), step);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain("dagship models promote --bundle ");
      expect(step.outputs()).toEqual({ run_id: "", state: "SUCCESS", model_version: "1", promoted: "true" });
      const summary = step.summary();
      expect(summary).toContain("## ✅ dagship promotion: reviews v1 of staging → prod v1");
      expect(summary).toContain(`Bundle sha256 \`${bundleSha}\``);
      expect(summary).toMatch(/\*\*Gate\*\* \(auc, min_delta 0\.001, on `eval`\): ✅ passed — bootstrap: no champion yet, v1 becomes the first \(auc 0\.\d+\)/);
      expect(summary).not.toContain(SECRET);

      // The gate decision is in prod's audit log, and prod's champion is staging's model, byte for byte.
      const entries = audit();
      expect(entries.map((e) => e.event)).toEqual(["register", "gate", "alias"]);
      expect(entries[0]).toMatchObject({ env: "prod", version: 1, who: "octocat (github actions)", source: { env: "staging", version: 1, bundle_sha256: bundleSha } });
      expect(entries[1]).toMatchObject({ event: "gate", env: "prod", version: 1, metric: "auc", dataset: "eval", bootstrap: true, passed: true, from: null, to: 1, git_sha: sha });
      expect(entries[2]).toMatchObject({ event: "alias", alias: "champion", from: null, to: 1 });
      expect(ml.aliases("prod")).toEqual({ champion: 1 });
      const prodMeta = metaOf("prod", 1);
      const stagingMeta = metaOf("staging", ml.aliases("staging").champion!);
      expect(prodMeta.onnx_sha256).toBe(stagingMeta.onnx_sha256);
      expect(createHash("sha256").update(readFileSync(path.join(ml.ws("prod"), "models", "reviews", "versions", "1", "model.onnx"))).digest("hex")).toBe(stagingMeta.onnx_sha256);
      expect(prodMeta.metrics).toEqual(stagingMeta.metrics);
      expect(prodMeta.lineage).toMatchObject({ env: "staging", job: "retrain", source: { env: "staging", version: 1 } });
    },
    SLOW,
  );

  test(
    "a tampered bundle is refused (DS2019, the step fails) and prod does not change; a dispatch naming another workflow's run is refused before anything is downloaded",
    async () => {
      const event = release();
      const before = prodState();
      expect(Object.keys(before).length).toBeGreaterThan(0);
      const step = prodStep(event);
      const dir = download(step);
      const bundle = readFileSync(path.join(dir, "reviews.tar.gz"));
      bundle[Math.floor(bundle.length / 2)]! ^= 0x01;
      writeFileSync(path.join(dir, "reviews.tar.gz"), bundle);
      const r = await actionStep(ml.dir, promoteInputs(dir), step);
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(/DS2019 .*sha256 is [0-9a-f]{64}, expected [0-9a-f]{64}.*nothing was imported/);
      expect(step.outputs()).toMatchObject({ state: "FAILED", model_version: "", promoted: "" });
      expect(prodState()).toEqual(before);

      // workflow_dispatch with staging_run_id = a pull request workflow's run: DS2032, exit 2.
      const dispatch: EventSpec = { name: "workflow_dispatch", payload: { ...eventFixture<Record<string, unknown>>("workflow_dispatch.json"), inputs: { staging_run_id: String(MAIN_RUN + 1) } }, ref: "refs/heads/main", sha };
      const findStep = prodStep(dispatch);
      const find = await cliStep(ml.dir, ["github", "find-artifact", "--workflow", "main.yml", "--name", "staging-model-reviews", "--run-id", String(MAIN_RUN + 1)], findStep);
      expect(find.code).toBe(2);
      expect(find.stderr).toContain(`DS2032 workflow run ${MAIN_RUN + 1} is a run of pull-request.yml, not of main.yml`);
      expect(findStep.outputs()).toEqual({});
      expect(prodState()).toEqual(before);
    },
    SLOW,
  );

  test(
    "no champion to export is not a failure of main.yml (empty outputs, so nothing is uploaded); a bundle from another environment than --from is refused (DS2031)",
    async () => {
      const push = eventFixture("push-main.json");
      const main: EventSpec = { name: "push", payload: push, ref: "refs/heads/main", sha };
      const step = stepEnv(tmp, gh.url, main);
      const out = path.join(step.env.RUNNER_TEMP!, "staging-model", "reviews.tar.gz");
      const none = await cliStep(ml.dir, ["models", "export", "reviews", "--alias", "challenger", "--env", "staging", "--out", out, "--if-exists"], step);
      expect(none.code, none.stderr).toBe(0);
      expect(none.stdout).toContain('nothing exported: model "reviews" has no alias "challenger" in environment staging');
      expect(step.outputs()).toEqual({ model_version: "", bundle: "", sha256: "" });
      expect(existsSync(out)).toBe(false);
      const strict = await cliStep(ml.dir, ["models", "export", "reviews", "--alias", "challenger", "--env", "staging", "--out", out], stepEnv(tmp, gh.url, main));
      expect(strict.code).toBe(2);
      expect(strict.stderr).toContain("DS2017");

      const before = prodState();
      const promoteStep = prodStep(release());
      const dir = download(promoteStep);
      const wrongSource = await cliStep(ml.dir, ["models", "promote", "--bundle", path.join(dir, "reviews.tar.gz"), "--from", "dev", "--to", "prod"], promoteStep);
      expect(wrongSource.code).toBe(1);
      expect(wrongSource.stderr).toContain("DS2031 bundle ");
      expect(wrongSource.stderr).toContain("holds reviews v1 of staging, not of dev; nothing was imported");
      expect(prodState()).toEqual(before);
    },
    SLOW,
  );
});
