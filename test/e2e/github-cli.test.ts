/**
 * `dagship github pr-report` and `dagship github deploy` through the built CLI, against the local
 * fake GitHub API (GITHUB_API_URL) and a throw-away git repository.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGitHub, type FakeGitHub } from "../integration/github/fake-github.js";
import { deployRepo, type DeployRepo } from "./deploy-repo.js";

let gh: FakeGitHub;
let repo: DeployRepo;
let actions: Record<string, string>;

beforeAll(async () => {
  gh = await startFakeGitHub();
  repo = deployRepo();
  const event = path.join(repo.dir, "event.json");
  writeFileSync(event, JSON.stringify({ action: "synchronize", number: 7, pull_request: { number: 7, head: { ref: "feature" } } }));
  actions = { GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: "acme/jobs", GITHUB_TOKEN: "t0ken", GITHUB_RUN_ID: "99", GITHUB_SERVER_URL: "https://github.example", GITHUB_SHA: repo.git("rev-parse", "HEAD").trim(), GITHUB_EVENT_PATH: event };
});
afterAll(async () => {
  await gh?.close();
  repo?.remove();
});

describe("dagship github pr-report", () => {
  it("creates the sticky comment once, then updates it", async () => {
    const first = await repo.cli(["github", "pr-report", "--env", "staging"], actions);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("created the dagship report on #7");
    const second = await repo.cli(["github", "pr-report", "--env", "staging", "--pr", "7"], actions);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("updated the dagship report on #7");
    const comments = gh.comments.get(7)!;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("<!-- dagship:pr-report -->");
    expect(comments[0]!.body).toContain("## dagship plan for staging");
    expect(comments[0]!.body).toContain("Validation");
    expect(comments[0]!.body).toContain("## Model evaluation");
    expect(gh.requests.filter((r) => r.method === "POST" && r.path.endsWith("/issues/7/comments"))).toHaveLength(1);
    expect(gh.requests.filter((r) => r.method === "PATCH")).toHaveLength(1);
    expect(gh.requests.every((r) => r.authorization === "token t0ken")).toBe(true);
  }, 120_000);

  it("without a token prints the report and says why it was not posted (exit 0, 2 with --require)", async () => {
    const env = { ...actions, GITHUB_TOKEN: "" };
    const r = await repo.cli(["github", "pr-report", "--env", "staging"], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("## dagship plan for staging");
    expect(r.stderr).toContain("not posted: GITHUB_TOKEN is not set");
    expect((await repo.cli(["github", "pr-report", "--env", "staging", "--require"], env)).code).toBe(2);
  }, 120_000);
});

describe("dagship github deploy", () => {
  it("posts the deployment, in_progress, runs the deploy, then success with log_url", async () => {
    const before = gh.requests.length;
    const r = await repo.cli(["github", "deploy", "--env", "staging", "--github-environment", "staging"], actions);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/staging/);
    const reqs = gh.requests.slice(before);
    expect(reqs.map((q) => `${q.method} ${q.path.replace(/\d+/g, "N")} ${String(q.body?.state ?? "")}`.trim())).toEqual([
      "POST /repos/acme/jobs/deployments",
      "POST /repos/acme/jobs/deployments/N/statuses in_progress",
      "POST /repos/acme/jobs/deployments/N/statuses success",
    ]);
    expect(reqs[0]!.body).toMatchObject({ environment: "staging", ref: actions.GITHUB_SHA });
    expect(reqs[2]!.body).toMatchObject({ log_url: "https://github.example/acme/jobs/actions/runs/99" });
  }, 120_000);

  it("a deploy that fails sets the deployment to failure and exits as deploy does", async () => {
    const before = gh.requests.length;
    const r = await repo.cli(["github", "deploy", "--env", "nope"], actions);
    // The deploy itself fails (no such environment file), after the deployment was started.
    expect(r.code).toBe(2);
    expect(gh.requests.slice(before).map((q) => q.body?.state ?? q.body?.environment)).toEqual(["nope", "in_progress", "failure"]);
  }, 120_000);

  it("without a token refuses before deploying (DS2025, exit 2)", async () => {
    const r = await repo.cli(["github", "deploy", "--env", "staging"], { ...actions, GITHUB_TOKEN: "" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("DS2025");
  }, 60_000);
});
