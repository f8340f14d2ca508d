import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { annotate, ArtifactNotFoundError, ArtifactRunRefusedError, createClient, findArtifact, finishDeployment, GitHubApiError, GitHubConfigError, PR_REPORT_MARKER, runContext, startDeployment, upsertPrComment, type RunContext } from "../../../runner/github/index.js";
import type { Diagnostic } from "../../../runner/spec/diagnostics.js";
import { startFakeGitHub, type FakeGitHub } from "./fake-github.js";

let gh: FakeGitHub;
let ctx: RunContext;
beforeAll(async () => {
  gh = await startFakeGitHub();
  ctx = runContext({ GITHUB_REPOSITORY: "acme/jobs", GITHUB_API_URL: gh.url, GITHUB_SERVER_URL: "https://github.example/", GITHUB_RUN_ID: "4242", GITHUB_SHA: "a".repeat(40) });
});
afterAll(() => gh.close());
beforeEach(() => {
  gh.requests.length = 0;
  gh.comments.clear();
  gh.denyChecks = false;
  gh.workflowRuns.length = 0;
});
const client = () => createClient("ghs_test", ctx);
const calls = () => gh.requests.map((r) => `${r.method} ${r.path}`);

describe("runContext and createClient", () => {
  it("reads the run from the environment and refuses a bad repository or an empty token", () => {
    expect(ctx).toMatchObject({ owner: "acme", repo: "jobs", apiUrl: gh.url, serverUrl: "https://github.example", runId: "4242" });
    expect(() => runContext({ GITHUB_REPOSITORY: "acme" })).toThrow(GitHubConfigError);
    expect(() => createClient("", ctx)).toThrow(/no GitHub token/);
  });
});

describe("upsertPrComment", () => {
  it("creates the comment once, then updates it in place on the next run", async () => {
    const first = await upsertPrComment(client(), ctx, 7, "## plan\none change");
    expect(first.action).toBe("created");
    const second = await upsertPrComment(client(), ctx, 7, "## plan\ntwo changes");
    expect(second).toMatchObject({ action: "updated", id: first.id });
    expect(calls()).toEqual(["GET /repos/acme/jobs/issues/7/comments", "POST /repos/acme/jobs/issues/7/comments", "GET /repos/acme/jobs/issues/7/comments", `PATCH /repos/acme/jobs/issues/comments/${first.id}`]);
    expect(gh.comments.get(7)).toEqual([expect.objectContaining({ body: `${PR_REPORT_MARKER}\n## plan\ntwo changes` })]);
    expect(gh.requests[0]!.authorization).toBe("token ghs_test");
  });

  it("finds its comment on a later page of a long discussion", async () => {
    gh.comments.set(9, Array.from({ length: 230 }, (_, i) => ({ id: i + 1, body: i === 215 ? `${PR_REPORT_MARKER}\nold` : `comment ${i}`, html_url: "" })));
    const r = await upsertPrComment(client(), ctx, 9, "new");
    expect(r).toMatchObject({ action: "updated", id: 216 });
    expect(gh.requests.filter((q) => q.method === "GET").map((q) => q.query.page ?? "1")).toEqual(["1", "2", "3"]);
    expect(gh.comments.get(9)!.length).toBe(230);
  });

  it("turns an API failure into a GitHubApiError with the status", async () => {
    const err = await upsertPrComment(createClient("t", { apiUrl: `${gh.url}/nowhere` }), ctx, 1, "x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect(err).toMatchObject({ code: "DS2024", status: 404 });
  });
});

describe("deployments", () => {
  it("creates the deployment, then in_progress, then the final status, each linking to the workflow run", async () => {
    const d = await startDeployment(client(), ctx, "staging", { description: "dagship deploy --env staging" });
    await finishDeployment(client(), ctx, d, "success");
    const d2 = await startDeployment(client(), ctx, "production");
    await finishDeployment(client(), ctx, d2, "failure");
    expect(calls()).toEqual([
      "POST /repos/acme/jobs/deployments",
      `POST /repos/acme/jobs/deployments/${d.id}/statuses`,
      `POST /repos/acme/jobs/deployments/${d.id}/statuses`,
      "POST /repos/acme/jobs/deployments",
      `POST /repos/acme/jobs/deployments/${d2.id}/statuses`,
      `POST /repos/acme/jobs/deployments/${d2.id}/statuses`,
    ]);
    expect(gh.requests[0]!.body).toMatchObject({ ref: "a".repeat(40), environment: "staging", auto_merge: false, required_contexts: [], production_environment: false });
    expect(gh.requests[3]!.body).toMatchObject({ environment: "production", production_environment: true });
    const statuses = gh.requests.filter((r) => r.path.endsWith("/statuses")).map((r) => r.body);
    expect(statuses.map((s) => s!.state)).toEqual(["in_progress", "success", "in_progress", "failure"]);
    for (const s of statuses) expect(s!.log_url).toBe("https://github.example/acme/jobs/actions/runs/4242");
  });
});

describe("annotate", () => {
  const diagnostics: Diagnostic[] = Array.from({ length: 120 }, (_, i) => ({ file: `jobs/j${i}/job.json`, pointer: "/tasks", line: i + 1, column: 3, code: "DS1004", severity: i % 2 ? "warning" : "error", message: `problem ${i}` }));

  it("sends 120 annotations as a check run in 3 batches of at most 50", async () => {
    const lines: string[] = [];
    const r = await annotate(client(), ctx, diagnostics, { write: (l) => lines.push(l) });
    expect(r).toMatchObject({ via: "check-run", batches: 3 });
    expect(lines).toEqual([]);
    expect(calls()).toEqual(["POST /repos/acme/jobs/check-runs", `PATCH /repos/acme/jobs/check-runs/${(r as { checkRunId: number }).checkRunId}`, `PATCH /repos/acme/jobs/check-runs/${(r as { checkRunId: number }).checkRunId}`]);
    const sizes = gh.requests.map((q) => ((q.body!.output as { annotations: unknown[] }).annotations).length);
    expect(sizes).toEqual([50, 50, 20]);
    expect(gh.requests[0]!.body).toMatchObject({ head_sha: "a".repeat(40), status: "completed", conclusion: "failure" });
    expect((gh.requests[0]!.body!.output as { annotations: unknown[] }).annotations[0]).toEqual({ path: "jobs/j0/job.json", start_line: 1, end_line: 1, start_column: 3, end_column: 3, annotation_level: "failure", title: "DS1004", message: "problem 0" });
  });

  it("falls back to workflow ::error/::warning commands on 403", async () => {
    gh.denyChecks = true;
    const lines: string[] = [];
    const r = await annotate(client(), ctx, diagnostics.slice(0, 3), { write: (l) => lines.push(l) });
    expect(r.via).toBe("workflow-commands");
    expect(lines).toEqual([
      "::error file=jobs/j0/job.json,line=1,col=3,title=DS1004 jobs/j0/job.json::problem 0\n",
      "::warning file=jobs/j1/job.json,line=2,col=3,title=DS1004 jobs/j1/job.json::problem 1\n",
      "::error file=jobs/j2/job.json,line=3,col=3,title=DS1004 jobs/j2/job.json::problem 2\n",
    ]);
  });
});

describe("findArtifact", () => {
  const sha = "b".repeat(40);
  const main = ".github/workflows/main.yml";
  const seed = () =>
    gh.workflowRuns.push(
      { id: 501, path: main, head_sha: sha, run_number: 7, status: "completed", conclusion: "success", artifacts: [{ id: 9001, name: "staging-model-reviews" }] },
      { id: 502, path: main, head_sha: sha, run_number: 8, status: "completed", conclusion: "success", artifacts: [] },
      { id: 503, path: main, head_sha: sha, run_number: 9, status: "completed", conclusion: "failure", artifacts: [{ id: 9003, name: "staging-model-reviews" }] },
      { id: 504, path: main, head_sha: "c".repeat(40), run_number: 10, status: "completed", conclusion: "success", artifacts: [{ id: 9004, name: "staging-model-reviews" }] },
      { id: 600, path: ".github/workflows/pull-request.yml", head_sha: sha, run_number: 3, status: "completed", conclusion: "success", artifacts: [{ id: 9600, name: "staging-model-reviews" }] },
      { id: 505, path: main, head_sha: "d".repeat(40), run_number: 11, status: "completed", conclusion: "success", artifacts: [{ id: 9005, name: "staging-model-reviews", expired: true }] },
    );
  const query = { workflow: "main.yml", artifact: "staging-model-reviews" };

  it("for a commit: the newest successful run of the workflow that holds the artifact (a newer one without it, a failed one and other workflows' runs do not count)", async () => {
    seed();
    const found = await findArtifact(client(), ctx, { ...query, sha });
    expect(found).toEqual({ workflow_run_id: 501, artifact_id: 9001, artifact: "staging-model-reviews", head_sha: sha, run_url: "https://github.example/acme/jobs/actions/runs/501", expires_at: "2099-01-01T00:00:00Z" });
    expect(calls()).toEqual(["GET /repos/acme/jobs/actions/workflows/main.yml/runs", "GET /repos/acme/jobs/actions/runs/502/artifacts", "GET /repos/acme/jobs/actions/runs/501/artifacts"]);
    expect(gh.requests[0]!.query).toMatchObject({ head_sha: sha, status: "success" });
    expect(gh.requests[1]!.query).toMatchObject({ name: "staging-model-reviews" });
  });

  it("for a commit without one (or only an expired one): null", async () => {
    seed();
    expect(await findArtifact(client(), ctx, { ...query, sha: "d".repeat(40) })).toBeNull();
    expect(await findArtifact(client(), ctx, { ...query, sha: "e".repeat(40) })).toBeNull();
  });

  it("by run id: that run, only if it is a successful run of the workflow that holds the artifact", async () => {
    seed();
    expect(await findArtifact(client(), ctx, { ...query, runId: 504 })).toMatchObject({ workflow_run_id: 504, artifact_id: 9004, head_sha: "c".repeat(40) });
    await expect(findArtifact(client(), ctx, { ...query, runId: 600 })).rejects.toThrow(ArtifactRunRefusedError);
    await expect(findArtifact(client(), ctx, { ...query, runId: 600 })).rejects.toThrow(/run 600 is a run of pull-request.yml, not of main.yml/);
    await expect(findArtifact(client(), ctx, { ...query, runId: 503 })).rejects.toMatchObject({ code: "DS2032", exitCode: 2, message: expect.stringContaining("ended failure") });
    await expect(findArtifact(client(), ctx, { ...query, runId: 502 })).rejects.toThrow(ArtifactNotFoundError);
    await expect(findArtifact(client(), ctx, { ...query, runId: 505 })).rejects.toMatchObject({ code: "DS2033", exitCode: 1 });
    await expect(findArtifact(client(), ctx, { ...query, runId: 999 })).rejects.toMatchObject({ code: "DS2024", status: 404 });
  });
});
