/**
 * `dagship validate` in GitHub Actions through the built CLI: with a token, the repository and the
 * commit its problems go on the commit as one check run (created with the first 50 annotations,
 * updated with the rest), against the local fake GitHub API; a token that may not write checks
 * (403) or no token at all gives `::error file=,line=,col=::` workflow commands instead.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeGitHub, type FakeGitHub } from "../integration/github/fake-github.js";
import { assertBuilt, type ValidateReport } from "./cli.js";
import { deployRepo, type DeployRepo } from "./deploy-repo.js";

const TASKS = 60;
let gh: FakeGitHub;
let repo: DeployRepo;
let actions: Record<string, string>;
let report: ValidateReport;

beforeAll(async () => {
  assertBuilt();
  gh = await startFakeGitHub();
  repo = deployRepo();
  // One job with 60 tasks that each depend on a task that does not exist: 60 located errors.
  const tasks = Array.from({ length: TASKS }, (_, i) => ({ task_key: `t${i}`, depends_on: [{ task_key: `missing${i}` }], ts_task: { module: "../etl/tasks/extract.ts" } }));
  repo.git("checkout", "-q", "-b", "feature/broken");
  writeFileSync(path.join(repo.dir, "jobs", "etl", "job.json"), JSON.stringify({ name: "etl", tasks }, null, 2));
  repo.commit("sixty broken tasks");
  const sha = repo.git("rev-parse", "HEAD").trim();
  actions = { GITHUB_ACTIONS: "true", GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: "acme/jobs", GITHUB_TOKEN: "ghs_validate", GITHUB_SHA: sha, GITHUB_RUN_ID: "7", GITHUB_EVENT_NAME: "push", GITHUB_EVENT_PATH: "" };
  report = (await repo.json<ValidateReport>(["validate"])).body;
}, 60_000);
afterAll(async () => {
  await gh?.close();
  repo?.remove();
});
beforeEach(() => {
  gh.requests.length = 0;
  gh.denyChecks = false;
});

describe("dagship validate in GitHub Actions", () => {
  it(`puts ${TASKS} problems on the commit as one check run: created with 50 annotations, updated with the other ${TASKS - 50}`, async () => {
    expect(report.errors.length).toBeGreaterThan(50);
    const r = await repo.cli(["validate"], actions);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/^::error /m);
    expect(r.stderr).toMatch(/annotated on [0-9a-f]{7} as check run \d+ \(2 request\(s\)\)/);
    const [create, update, ...rest] = gh.requests;
    expect(rest).toEqual([]);
    expect(`${create!.method} ${create!.path}`).toBe("POST /repos/acme/jobs/check-runs");
    expect(create!.body).toMatchObject({ name: "dagship validate", head_sha: actions.GITHUB_SHA, status: "completed", conclusion: "failure" });
    expect(`${update!.method} ${update!.path}`).toMatch(/^PATCH \/repos\/acme\/jobs\/check-runs\/\d+$/);
    type Annotation = { path: string; start_line: number; start_column: number; annotation_level: string; title: string; message: string };
    const sent = [create!, update!].flatMap((q) => (q.body!.output as { annotations: Annotation[] }).annotations);
    expect((create!.body!.output as { annotations: unknown[] }).annotations).toHaveLength(50);
    expect(sent).toHaveLength(report.errors.length);
    expect(sent).toEqual(report.errors.map((e) => expect.objectContaining({ path: e.file, start_line: e.line, start_column: e.column, annotation_level: "failure", title: e.code })));
    expect(create!.authorization).toBe("token ghs_validate");
  }, 60_000);

  it("falls back to ::error workflow commands when the token may not write checks (403)", async () => {
    gh.denyChecks = true;
    const r = await repo.cli(["validate", "--json"], actions);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false });
    const commands = r.stderr.split("\n").filter((l) => l.startsWith("::error "));
    expect(commands).toHaveLength(report.errors.length);
    const first = report.errors[0]!;
    expect(commands[0]).toBe(`::error file=${first.file},line=${first.line},col=${first.column},title=${first.code} ${first.file}::${first.message}${first.hint ? ` (hint: ${first.hint})` : ""}`);
    expect(r.stderr).toContain('add "checks: write"');
    expect(gh.requests.map((q) => q.method)).toEqual(["POST"]);
  }, 60_000);

  it("without a token writes the workflow commands and calls no API", async () => {
    const r = await repo.cli(["validate"], { ...actions, GITHUB_TOKEN: "" });
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n").filter((l) => l.startsWith("::error "))).toHaveLength(report.errors.length);
    expect(gh.requests).toEqual([]);
  }, 60_000);

  it("a valid repository creates no check run", async () => {
    const r = await repo.cli(["validate", "jobs/report/job.json"], actions);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(gh.requests).toEqual([]);
  }, 60_000);
});
