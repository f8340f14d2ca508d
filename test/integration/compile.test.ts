import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileJobFile, compileJobs, JobInvalidError } from "../../runner/spec/compile.js";

let root: string;

function write(rel: string, text: string): void {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

// Tasks are listed out of order on purpose: publish → score → fit.
const TRAIN = {
  name: "train",
  parameters: [{ name: "rows", default: "100" }],
  schedule: { quartz_cron_expression: "0 0 3 * * ?", timezone_id: "Europe/Amsterdam" },
  tasks: [
    { task_key: "publish", depends_on: [{ task_key: "gate", outcome: "true" }], run_job_task: { job: "report", job_parameters: { auc: "{{tasks.score.values.auc}}" } } },
    { task_key: "gate", depends_on: [{ task_key: "score" }], condition_task: { op: "GREATER_THAN", left: "{{tasks.score.values.auc}}", right: "0.8" } },
    { task_key: "score", depends_on: [{ task_key: "fit" }], ts_task: { module: "tasks/score.ts", export: "score" } },
    { task_key: "fit", ts_task: { module: "../lib/fit.ts", parameters: { rows: "{{job.parameters.rows}}" } }, max_retries: 2 },
  ],
};

// Each error sits on its own line so the sorted order is predictable.
const BROKEN = `{
  "name": "broken",
  "max_concurrent_runs": 0,
  "tasks": [
    { "task_key": "a", "ts_task": { "module": "tasks/missing.ts" } },
    { "task_key": "b", "depends_on": [{ "task_key": "c" }], "ts_task": { "module": "tasks/bad.ts" } },
    { "task_key": "c", "depends_on": [{ "task_key": "b" }], "ts_task": { "module": "tasks/ok.ts", "exprt": "x" } }
  ]
}
`;

const PING = JSON.stringify({ name: "ping", tasks: [{ task_key: "call", run_job_task: { job: "pong" } }] });

/** The 1-based column of `needle` on a 1-based line of `text`. */
function columnOf(text: string, line: number, needle: string): number {
  const column = text.split("\n")[line - 1]!.indexOf(needle);
  if (column === -1) throw new Error(`"${needle}" is not on line ${line}`);
  return column + 1;
}

beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "dagship-compile-")));
  write("jobs/train/job.json", JSON.stringify(TRAIN, null, 2));
  write("jobs/train/tasks/score.ts", "export async function score() {}\n");
  write("jobs/lib/fit.ts", "export default async function fit() {}\n");
  write("jobs/report/job.json", JSON.stringify({ name: "report", tasks: [{ task_key: "r", ts_task: { module: "r.ts" } }] }));
  write("jobs/report/r.ts", "export default 1;\n");
  write("jobs/broken/job.json", BROKEN);
  write("jobs/broken/tasks/bad.ts", "export default function () {\n  return ;;)\n}\n");
  write("jobs/broken/tasks/ok.ts", "export default 1;\n");
  write("jobs/ping/job.json", PING);
  write("jobs/pong/job.json", JSON.stringify({ name: "pong", tasks: [{ task_key: "first", ts_task: { module: "x.ts" } }, { task_key: "call", run_job_task: { job: "ping" } }] }));
  write("jobs/pong/x.ts", "export default 1;\n");
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("compileJobs", () => {
  it("compiles a valid job into a CompiledJob with a topological order, resolved modules and defaults", async () => {
    const { jobs, diagnostics } = await compileJobs(["jobs/train/job.json"], { root, cwd: root });
    expect(diagnostics).toEqual([]);
    const job = jobs[0]!.job!;
    expect(jobs[0]!.path).toBe(path.join(root, "jobs/train/job.json"));
    expect(job.order).toEqual(["fit", "score", "gate", "publish"]);
    expect(job.source).toEqual({ file: path.join(root, "jobs/train/job.json"), dir: path.join(root, "jobs/train"), root });
    expect(job.parameters).toEqual([{ name: "rows", default: "100" }]);
    expect(job).toMatchObject({ name: "train", tags: {}, max_concurrent_runs: 1, timeout_seconds: 0 });
    expect(job.schedule).toEqual({ quartz_cron_expression: "0 0 3 * * ?", timezone_id: "Europe/Amsterdam", pause_status: "UNPAUSED" });

    const fit = job.tasks.find((t) => t.task_key === "fit")!;
    expect(fit).toEqual({
      task_key: "fit",
      index: 3,
      type: "ts_task",
      depends_on: [],
      run_if: "ALL_SUCCESS",
      max_retries: 2,
      min_retry_interval_millis: 0,
      retry_on_timeout: false,
      timeout_seconds: 0,
      compute: {},
      ts_task: { module: "../lib/fit.ts", path: path.join(root, "jobs/lib/fit.ts"), export: "default", parameters: { rows: "{{job.parameters.rows}}" } },
    });
    expect(job.tasks.map((t) => t.type)).toEqual(["run_job_task", "condition_task", "ts_task", "ts_task"]);
    expect(job.tasks[0]!.depends_on).toEqual([{ task_key: "gate", outcome: "true" }]);
  });

  it("reports every problem of an invalid job, located and sorted, and yields no job", async () => {
    const { jobs, diagnostics } = await compileJobs(["jobs/broken/job.json"], { root, cwd: root });
    expect(jobs[0]!.job).toBeUndefined();
    expect(jobs[0]!.diagnostics).toHaveLength(diagnostics.length);
    const shown = path.join("jobs", "broken", "job.json");
    expect(diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual([
      `${shown}:3:${columnOf(BROKEN, 3, "0")} DS1002`,
      `${shown}:5:${columnOf(BROKEN, 5, '"tasks/missing.ts"')} DS1010`,
      `${shown}:6:${columnOf(BROKEN, 6, '"c"')} DS1006`,
      `${shown}:7:${columnOf(BROKEN, 7, '"exprt"')} DS1003`,
      // esbuild stops at the stray ")".
      `${path.join("jobs", "broken", "tasks", "bad.ts")}:2:12 DS1027`,
    ]);
    expect(diagnostics.every((d) => d.severity === "error" && d.message.length > 0)).toBe(true);
    expect(diagnostics.find((d) => d.code === "DS1006")).toMatchObject({ pointer: "/tasks/1/depends_on/0/task_key", message: "dependency cycle: b → c → b" });
    expect(diagnostics.find((d) => d.code === "DS1003")).toMatchObject({ pointer: "/tasks/2/ts_task/exprt", hint: 'did you mean "export"?' });
    expect(diagnostics.find((d) => d.code === "DS1027")!.pointer).toBe("/tasks/1/ts_task/module");
  });

  it("reports a run_job_task cycle between two jobs on each of them (DS1023)", async () => {
    const { jobs, diagnostics } = await compileJobs(["jobs/ping/job.json", "jobs/pong/job.json"], { root, cwd: root });
    expect(diagnostics.map((d) => [d.file, d.pointer, d.code, d.message])).toEqual([
      [path.join("jobs", "ping", "job.json"), "/tasks/0/run_job_task/job", "DS1023", "run_job_task cycle between jobs: ping → pong → ping"],
      [path.join("jobs", "pong", "job.json"), "/tasks/1/run_job_task/job", "DS1023", "run_job_task cycle between jobs: pong → ping → pong"],
    ]);
    expect(diagnostics[0]).toMatchObject({ line: 1, column: columnOf(PING, 1, '"pong"'), hint: "each run would start child runs forever; break the cycle" });
    expect(jobs.map((j) => j.job)).toEqual([undefined, undefined]);
  });

  it("finds a run_job_task cycle through a job that is not being compiled", async () => {
    const { jobs, diagnostics } = await compileJobs(["jobs/ping/job.json"], { root, cwd: root });
    expect(diagnostics.map((d) => [d.pointer, d.code, d.message])).toEqual([["/tasks/0/run_job_task/job", "DS1023", "run_job_task cycle between jobs: ping → pong → ping"]]);
    expect(jobs[0]!.job).toBeUndefined();
  });

  it("compiles several files at once, each on its own", async () => {
    const { jobs, diagnostics } = await compileJobs(["jobs/train/job.json", "jobs/broken/job.json", "jobs/report/job.json"], { root, cwd: root });
    expect(jobs.map((j) => j.job?.name)).toEqual(["train", undefined, "report"]);
    expect(new Set(diagnostics.map((d) => d.file.split(path.sep)[1]))).toEqual(new Set(["broken"]));
  });

  it("shows paths relative to cwd", async () => {
    const { diagnostics } = await compileJobs([path.join(root, "jobs/broken/job.json")], { root, cwd: path.join(root, "jobs") });
    expect(diagnostics[0]!.file).toBe(path.join("broken", "job.json"));
  });
});

describe("compileJobFile", () => {
  it("returns the compiled job", async () => {
    expect((await compileJobFile("jobs/train/job.json", { root, cwd: root })).order).toEqual(["fit", "score", "gate", "publish"]);
  });

  it("throws JobInvalidError carrying every diagnostic", async () => {
    const error = await compileJobFile("jobs/broken/job.json", { root, cwd: root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobInvalidError);
    const invalid = error as JobInvalidError;
    expect(invalid).toMatchObject({ code: "DS1000", exitCode: 1, file: "jobs/broken/job.json", message: "jobs/broken/job.json has 5 errors", hint: "run: dagship validate jobs/broken/job.json" });
    expect(invalid.diagnostics.map((d) => d.code)).toEqual(["DS1002", "DS1010", "DS1006", "DS1003", "DS1027"]);
  });
});
