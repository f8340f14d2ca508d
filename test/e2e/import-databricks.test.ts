/**
 * `dagship import databricks` as a process, on the real Databricks job files in
 * ../shared/fixtures/databricks-jobs/ (Jobs API JSON, bundle YAML, a dbx deployment file): every
 * file with a job imports, the result validates with `dagship validate`, and the jobs keep their
 * graph, parameters, conditions and run_job_tasks. A file with no job, an empty file, an unknown
 * source kind and an existing job folder are refused with the documented exit codes.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, ROOT, runCli } from "./cli.js";

/**
 * The real Databricks job files, vendored byte for byte from shared/fixtures/databricks-jobs so the
 * suite needs nothing outside the checkout; a test below keeps the copy equal to shared/ when it is there.
 */
const FIXTURES: string | undefined = path.join(ROOT, "test", "fixtures", "databricks-jobs");
const SHARED = [path.join(ROOT, "..", "shared", "fixtures", "databricks-jobs"), path.join(ROOT, "shared", "fixtures", "databricks-jobs")].find((d) => existsSync(d));
const fixture = (name: string) => path.join(FIXTURES!, name);

/** What each fixture holds: the jobs it imports to (none: the file holds no job). */
const EXPECTED: Record<string, string[]> = {
  "koernigo__Pipeline_DL_Image_train.json": ["pipeline_dl_image_train"],
  "koernigo__Pipeline_DL_Image_score.json": ["pipeline_image_score"],
  "bundle-examples__default_python__sample_job.job.yml": ["sample_job"],
  "bundle-examples__job_with_run_job_tasks__databricks.yml": ["primary-job", "leaf-job-1", "leaf-job-2"],
  "bundle-examples__mlops_stacks__batch-inference-workflow-resource.yml": ["mlops_stacks-batch-inference-job"],
  "bundle-examples__mlops_stacks__databricks.yml": [],
  "bundle-examples__mlops_stacks__model-workflow-resource.yml": ["mlops_stacks-model-training-job"],
  "bundle-examples__mlops_stacks__monitoring-resource.yml": ["mlops_stacks-monitoring-retraining-job"],
  "dbx__python_basic__conf__deployment.yml": ["sample-tests", "sample-etl", "sample-multitask"],
};

const repos: string[] = [];
/** A throw-away repository (its own `.git`), optionally with a dev environment. */
function tempRepo(options: { env?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), "dagship-import-"));
  repos.push(dir);
  mkdirSync(path.join(dir, ".git"));
  if (options.env) {
    mkdirSync(path.join(dir, "environments"));
    writeFileSync(path.join(dir, "environments", "dev.yaml"), "name: dev\nworkspace:\n  path: .dagship/dev\n");
  }
  return dir;
}

async function importJson(repo: string, args: string[]): Promise<{ code: number | null; body: any; stderr: string }> {
  const r = await runCli(["import", "databricks", ...args, "--json"], { cwd: repo, timeoutMs: 60_000 });
  try {
    return { code: r.code, body: JSON.parse(r.stdout), stderr: r.stderr };
  } catch {
    throw new Error(`stdout is not JSON (exit ${String(r.code)}):\n${r.stdout}\n${r.stderr}`);
  }
}

const readJob = (repo: string, name: string) => JSON.parse(readFileSync(path.join(repo, "jobs", name, "job.json"), "utf8"));
const taskOf = (job: any, key: string) => job.tasks.find((t: any) => t.task_key === key);

beforeAll(() => {
  assertBuilt();
  if (!existsSync(FIXTURES!)) throw new Error(`the Databricks fixtures are missing: expected ${FIXTURES}`);
});
afterAll(() => repos.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("every fixture file", () => {
  it.runIf(SHARED !== undefined)("is a byte-for-byte copy of shared/fixtures/databricks-jobs", () => {
    const names = readdirSync(SHARED!).sort();
    expect(readdirSync(FIXTURES!).sort()).toEqual(names);
    for (const name of names) expect(readFileSync(path.join(FIXTURES!, name)).equals(readFileSync(path.join(SHARED!, name))), name).toBe(true);
  });

  const files = FIXTURES ? readdirSync(FIXTURES).filter((f) => /\.(json|ya?ml)$/.test(f)).sort() : [];

  it("is known to this test (a new fixture gets an expectation)", () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !(f in EXPECTED))).toEqual([]);
  });

  it.each(files.filter((f) => EXPECTED[f]?.length !== 0))("%s imports and the result validates", async (file) => {
    const repo = tempRepo();
    const names = EXPECTED[file] ?? [];
    // With one job, --out is the job's folder; with several, the folder of job folders.
    const out = names.length === 1 ? path.join(repo, "jobs", names[0]!) : path.join(repo, "jobs");
    const r = await importJson(repo, [fixture(file), "--out", out]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.body.ok).toBe(true);
    expect(r.body.validation).toEqual({ ok: true, errors: [] });
    expect(r.body.jobs.map((j: any) => j.name)).toEqual(names);
    for (const job of r.body.jobs) {
      expect(job.folder).toBe(`jobs/${job.name}`);
      expect(readJob(repo, job.name).name).toBe(job.name);
      for (const t of job.tasks) if (t.port) expect(readFileSync(path.join(repo, "jobs", job.name, t.port.module), "utf8")).toContain("port me: this task replaces ");
    }
    expect(readdirSync(path.join(repo, "jobs")).filter((d) => d.startsWith("."))).toEqual([]);
    const v = await runCli(["validate", "jobs", "--json"], { cwd: repo });
    expect({ code: v.code, errors: JSON.parse(v.stdout).errors }).toEqual({ code: 0, errors: [] });
  });
});

describe("what the imported jobs keep", () => {
  it("the koernigo training pipeline keeps its three-task chain, base parameters and the kind of file", async () => {
    const repo = tempRepo();
    const r = await importJson(repo, [fixture("koernigo__Pipeline_DL_Image_train.json"), "--out", "jobs/train"]);
    expect(r.code).toBe(0);
    expect(r.body.source).toMatchObject({ kind: "jobs-api" });
    expect(r.body.jobs[0]).toMatchObject({ name: "train", folder: "jobs/train", renamed: { job: { from: "Pipeline_DL_Image_Train", to: "train" } } });
    const job = readJob(repo, "train");
    expect(job.max_concurrent_runs).toBe(1);
    expect(job.tasks.map((t: any) => [t.task_key, t.depends_on])).toEqual([
      ["Load_Images_for_Training", undefined],
      ["Train_Images", [{ task_key: "Load_Images_for_Training" }]],
      ["Register_Model", [{ task_key: "Train_Images" }]],
    ]);
    expect(job.tasks.map((t: any) => t.ts_task.parameters)).toEqual([
      { image_path: "/tmp/256_ObjectCategories/" },
      { experiment_name: "DL_Image_Classifaction", job_user: "oliver.koernig@databricks.com" },
      { experiment_name: "DL_Image_Classification" },
    ]);
    const module = readFileSync(path.join(repo, "jobs", "train", job.tasks[1].ts_task.module), "utf8");
    expect(module).toContain('port me: this task replaces notebook \\"/Repos/oliver.koernig@databricks.com/databricks_dl_demo/Deep Learning Image Demo - Train\\"');
    for (const t of r.body.jobs[0].tasks) {
      expect(t).toMatchObject({ kind: "notebook_task", as: "ts_task", dropped: [{ field: "existing_cluster_id" }] });
    }
  });

  it("the ported tasks fail with 'port me' when the job runs", async () => {
    const repo = tempRepo({ env: true });
    expect((await importJson(repo, [fixture("koernigo__Pipeline_DL_Image_train.json"), "--out", "jobs/train"])).code).toBe(0);
    const r = await runCli(["run", "train", "--json"], { cwd: repo, env: { DAGSHIP_NO_TTY: "1" }, timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    const run = JSON.parse(r.stdout);
    expect(run.tasks.Load_Images_for_Training.attempts[0].error.message).toMatch(/^port me: this task replaces notebook ".*Deep Learning Image Prep - Training"$/);
    expect(run.tasks.Train_Images.state).toBe("UPSTREAM_FAILED");
  });

  it("keeps the dependencies of tasks listed out of topological order", async () => {
    const repo = tempRepo();
    await importJson(repo, [fixture("koernigo__Pipeline_DL_Image_score.json")]);
    const job = readJob(repo, "pipeline_image_score");
    expect(taskOf(job, "Manual_Image_Labeling").depends_on).toEqual([{ task_key: "Score_Images" }]);
    expect(taskOf(job, "Score_Images").depends_on).toEqual([{ task_key: "Load_New_Images" }]);
  });

  it("the monitoring job keeps its condition_task, the outcome \"true\" dependency and the run_job_task", async () => {
    const repo = tempRepo();
    const r = await importJson(repo, [fixture("bundle-examples__mlops_stacks__monitoring-resource.yml")]);
    expect(r.code).toBe(0);
    const job = readJob(repo, "mlops_stacks-monitoring-retraining-job");
    expect(taskOf(job, "is_metric_violated")).toEqual({
      task_key: "is_metric_violated",
      depends_on: [{ task_key: "monitored_metric_violation_check" }],
      condition_task: { op: "EQUAL_TO", left: "{{tasks.monitored_metric_violation_check.values.is_metric_violated}}", right: "true" },
    });
    expect(taskOf(job, "trigger_retraining")).toEqual({
      task_key: "trigger_retraining",
      depends_on: [{ task_key: "is_metric_violated", outcome: "true" }],
      run_job_task: { job: "mlops_stacks-model-training-job" },
    });
    expect(job.schedule).toEqual({ quartz_cron_expression: "0 0 18 * * ?", timezone_id: "UTC" });
    const tasks = r.body.jobs[0].tasks;
    expect(tasks.find((t: any) => t.task_key === "is_metric_violated").dropped).toEqual([{ field: "git_source_info", reason: "not a Databricks Jobs API task field" }]);
    expect(tasks.find((t: any) => t.task_key === "trigger_retraining").dropped).toEqual([{ field: "run_job_task.git_source_info", reason: "not a Databricks Jobs API field" }]);
    // The training job is defined in another file of the bundle: a placeholder stands for it until it is imported.
    expect(r.body.placeholders).toEqual([expect.objectContaining({ name: "mlops_stacks-model-training-job", stands_for: "${resources.jobs.model_training_job.id}", written: true })]);
    expect(readJob(repo, "mlops_stacks-model-training-job").tags).toEqual({ dagship_import: "placeholder" });

    // Importing that file replaces the placeholder without --force; the pair validates.
    const train = await importJson(repo, [fixture("bundle-examples__mlops_stacks__model-workflow-resource.yml")]);
    expect(train.code).toBe(0);
    const model = readJob(repo, "mlops_stacks-model-training-job");
    expect(model.tasks.map((t: any) => [t.task_key, t.depends_on?.[0]?.task_key])).toEqual([["Train", undefined], ["ModelValidation", "Train"], ["ModelDeployment", "ModelValidation"]]);
    expect(model.schedule).toEqual({ quartz_cron_expression: "0 0 9 * * ?", timezone_id: "UTC" });
    expect(taskOf(model, "Train").ts_task.parameters).toMatchObject({ env: "{{env.name}}", experiment_name: "{{vars.experiment_name}}", model_name: "{{vars.catalog_name}}.mlops_stacks.{{vars.model_name}}" });
    expect(train.body.jobs[0].vars).toEqual(["catalog_name", "experiment_name", "model_name"]);
    expect((await runCli(["validate"], { cwd: repo })).code).toBe(0);
  });

  it("run_job_tasks of one bundle run its other jobs, passing the shared parameter down", async () => {
    const repo = tempRepo();
    const r = await importJson(repo, [fixture("bundle-examples__job_with_run_job_tasks__databricks.yml")]);
    expect(r.code).toBe(0);
    const primary = readJob(repo, "primary-job");
    expect(primary.parameters).toEqual([{ name: "input", default: "test_propagation" }]);
    expect(taskOf(primary, "run_leaf1").run_job_task).toEqual({ job: "leaf-job-1", job_parameters: { input: "{{job.parameters.input}}" } });
    expect(taskOf(primary, "run_leaf2")).toMatchObject({ depends_on: [{ task_key: "run_leaf1" }], run_job_task: { job: "leaf-job-2" } });
    expect(taskOf(readJob(repo, "leaf-job-1"), "leaf").ts_task.parameters).toEqual({ args: ["leaf1", "{{job.parameters.input}}"] });
    expect(r.body.placeholders).toEqual([]);
  });

  it("the periodic trigger of the default_python job becomes a daily schedule, reported", async () => {
    const repo = tempRepo();
    const r = await importJson(repo, [fixture("bundle-examples__default_python__sample_job.job.yml")]);
    const job = readJob(repo, "sample_job");
    expect(job.schedule).toEqual({ quartz_cron_expression: "0 0 0 * * ?", timezone_id: "UTC", pause_status: "UNPAUSED" });
    expect(job.parameters).toEqual([{ name: "catalog", default: "{{vars.catalog}}" }, { name: "schema", default: "{{vars.schema}}" }]);
    expect(taskOf(job, "python_wheel_task").depends_on).toEqual([{ task_key: "notebook_task" }]);
    expect(r.body.jobs[0].notes.join("\n")).toMatch(/periodic trigger/);
    expect(r.body.jobs[0].dropped).toEqual([expect.objectContaining({ field: "environments" })]);
  });

  it("names the environment files that lack the deploy-time vars a job now uses; once defined, the repository validates", async () => {
    const repo = tempRepo({ env: true });
    const r = await importJson(repo, [fixture("bundle-examples__default_python__sample_job.job.yml")]);
    expect(r.code).toBe(0);
    expect(r.body.jobs[0].vars).toEqual(["catalog", "schema"]);
    expect(r.body.jobs[0].notes).toContain("vars.catalog is not defined in environments/dev.yaml: add it before rendering or deploying for that environment");
    expect((await runCli(["validate"], { cwd: repo })).code).toBe(1);
    writeFileSync(path.join(repo, "environments", "dev.yaml"), "name: dev\nworkspace:\n  path: .dagship/dev\nvars:\n  catalog: main\n  schema: dev\n");
    expect((await runCli(["validate"], { cwd: repo })).code).toBe(0);
  });

  it("dbx: the workflows of the default environment, placeholders as deploy-time vars, clusters dropped", async () => {
    const repo = tempRepo();
    const r = await importJson(repo, [fixture("dbx__python_basic__conf__deployment.yml")]);
    expect(r.body.source.kind).toBe("dbx");
    const multi = readJob(repo, "sample-multitask");
    expect(multi.tasks.map((t: any) => [t.task_key, t.depends_on?.[0]?.task_key])).toEqual([["etl", undefined], ["ml", "etl"], ["notebook", "ml"]]);
    expect(taskOf(readJob(repo, "sample-tests"), "main").ts_task.parameters.args).toEqual(["file:fuse://tests/integration", "--cov={{vars.project_slug}}"]);
    expect(r.body.jobs[2].dropped).toEqual([expect.objectContaining({ field: "job_clusters" })]);
    expect(r.body.jobs[2].tasks[2].dropped.map((d: any) => d.field)).toEqual(["deployment_config", "job_cluster_key"]);
  });

  it("prints, per task, what is left to port and what was dropped", async () => {
    const repo = tempRepo();
    const r = await runCli(["import", "databricks", fixture("koernigo__Pipeline_DL_Image_train.json")], { cwd: repo });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("(Databricks Jobs API JSON: job settings)");
    expect(r.stdout).toMatch(/Train_Images {2}notebook_task → ts_task\n {6}to port: tasks\/Train_Images\.ts replaces notebook "[^"]+"\n {6}dropped: existing_cluster_id/);
    expect(r.stdout).toMatch(/✓ 1 job written and valid; 3 tasks to port: /);
  });
});

describe("refusals", () => {
  it("a bundle root without jobs is DS2008 (exit 2), pointing at the files it includes", async () => {
    const repo = tempRepo();
    const r = await runCli(["import", "databricks", fixture("bundle-examples__mlops_stacks__databricks.yml")], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^dagship: error DS2008 nothing to import: .* holds no job \(a bundle file without resources\.jobs\) \(the bundle's jobs live in the files it includes: \.\/resources\/batch-inference-workflow-resource\.yml, /);
    expect(existsSync(path.join(repo, "jobs"))).toBe(false);
  });

  it("an empty file is DS2008 (exit 2), in --json too", async () => {
    const repo = tempRepo();
    writeFileSync(path.join(repo, "empty.json"), "");
    const r = await importJson(repo, ["empty.json"]);
    expect(r.code).toBe(2);
    expect(r.body).toMatchObject({ ok: false, error: { code: "DS2008" } });
  });

  it("a syntax error is DS1001 (exit 1) at file:line:column; a missing file DS2002 (exit 2)", async () => {
    const repo = tempRepo();
    writeFileSync(path.join(repo, "bad.yml"), "resources:\n  jobs: [1, 2\n");
    const bad = await runCli(["import", "databricks", "bad.yml"], { cwd: repo });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^dagship: error DS1001 bad\.yml:\d+:\d+ /);
    const missing = await runCli(["import", "databricks", "nope.json"], { cwd: repo });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/DS2002 cannot read "nope\.json": it does not exist/);
  });

  it("refuses to overwrite an existing job folder without --force, and replaces it with --force", async () => {
    const repo = tempRepo();
    const args = ["import", "databricks", fixture("koernigo__Pipeline_DL_Image_train.json"), "--out", "jobs/train"];
    expect((await runCli(args, { cwd: repo })).code).toBe(0);
    writeFileSync(path.join(repo, "jobs", "train", "tasks", "Train_Images.ts"), "// ported\nexport default async () => {};\n");
    const again = await runCli(args, { cwd: repo });
    expect(again.code).toBe(2);
    expect(again.stderr).toBe("dagship: error DS2001 refusing to overwrite existing job folder jobs/train (pass --force to replace it, or choose another --out)\n");
    expect(readFileSync(path.join(repo, "jobs", "train", "tasks", "Train_Images.ts"), "utf8")).toContain("// ported");
    expect((await runCli([...args, "--force"], { cwd: repo })).code).toBe(0);
    expect(readFileSync(path.join(repo, "jobs", "train", "tasks", "Train_Images.ts"), "utf8")).toContain("port me");
  });

  it("--out that is a folder of jobs is refused for one job, even with --force", async () => {
    const repo = tempRepo();
    const score = fixture("koernigo__Pipeline_DL_Image_score.json");
    const root = await runCli(["import", "databricks", score, "--out", "jobs", "--force"], { cwd: repo });
    expect(root.code).toBe(2);
    expect(root.stderr).toMatch(/--out jobs is the repository's jobs folder: with one job, --out is the job's own folder/);
    await runCli(["import", "databricks", fixture("koernigo__Pipeline_DL_Image_train.json"), "--out", "team/jobs/train"], { cwd: repo });
    const r = await runCli(["import", "databricks", score, "--out", "team/jobs", "--force"], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/team\/jobs is not empty and holds no job\.json .*with one imported job, --out is the job's own folder/);
    expect(readJob(path.join(repo, "team"), "train").name).toBe("train");
  });

  it("an unknown source kind is a usage error listing databricks; a missing file argument too", async () => {
    const r = await runCli(["import", "airflow", "x.py"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('dagship: error DS2001 unknown source kind "airflow" for dagship import (known source kinds: databricks)\n');
    const close = await runCli(["import", "databrick", "x.json"]);
    expect(close.stderr).toMatch(/did you mean "databricks"\?/);
    expect((await runCli(["import", "databricks"])).code).toBe(2);
    expect((await runCli(["import", "databricks", "a.json", "--out", "x", "--bogus"])).stderr).toMatch(/unknown flag "--bogus"/);
  });
});
