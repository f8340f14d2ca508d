/** `dagship render` and `validate --env` through the real CLI, on this repository and a temp one. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, parseReport, runCli } from "./cli.js";

beforeAll(assertBuilt);

describe("dagship render", () => {
  it("keeps the prod schedule UNPAUSED and pauses it in dev, merging each environment's override", async () => {
    const prod = await runCli(["render", "hello", "--env", "prod"]);
    expect(prod.code).toBe(0);
    const prodJob = JSON.parse(prod.stdout);
    expect(prodJob.schedule.pause_status).toBe("UNPAUSED");
    expect(prodJob.parameters).toContainEqual({ name: "rows", default: "100000" });
    const dev = JSON.parse((await runCli(["render", "hello", "--env", "dev"])).stdout);
    expect(dev.schedule.pause_status).toBe("PAUSED");
    expect(dev.parameters).toContainEqual({ name: "rows", default: "1000" });
    expect(dev.tasks.find((t: any) => t.task_key === "publish").ts_task.parameters.run).toBe("{{job.run_id}}");
  });

  it("needs --env and a known environment (exit 2)", async () => {
    expect((await runCli(["render", "hello"])).code).toBe(2);
    const r = await runCli(["render", "hello", "--env", "qa"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown environment "qa" (environments: dev, prod, staging)');
  });
});

describe("templates per environment", () => {
  let repo: string;
  beforeAll(() => {
    repo = mkdtempSync(path.join(tmpdir(), "dagship-render-"));
    mkdirSync(path.join(repo, ".git"));
    mkdirSync(path.join(repo, "environments"));
    mkdirSync(path.join(repo, "jobs", "etl", "tasks"), { recursive: true });
    writeFileSync(path.join(repo, "jobs", "etl", "tasks", "load.ts"), "export default async () => {};\n");
    const job = { name: "etl", tasks: [{ task_key: "load", ts_task: { module: "tasks/load.ts", parameters: { table: "{{vars.table}}", run: "{{job.run_id}}" } } }] };
    writeFileSync(path.join(repo, "jobs", "etl", "job.json"), JSON.stringify(job, null, 2));
    writeFileSync(path.join(repo, "environments", "dev.yaml"), "name: dev\nworkspace:\n  path: .dagship/dev\nisolation: branch\nvars:\n  table: dev_sales\n");
    writeFileSync(path.join(repo, "environments", "prod.yaml"), "name: prod\nworkspace:\n  path: .dagship/prod\nvars:\n  tabel: sales\noverrides:\n  jobs:\n    etl:\n      description: \"{{vars.owner}}\"\n");
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it("reports an unknown name where it is written, for the environments it fails in", async () => {
    const report = parseReport(await runCli(["validate", "--json"], { cwd: repo }));
    expect(report.ok).toBe(false);
    const [inJob, inOverride] = [...report.errors].sort((a, b) => a.file.localeCompare(b.file)).reverse();
    expect(inJob).toMatchObject({ file: "jobs/etl/job.json", code: "DS1029", pointer: "/tasks/0/ts_task/parameters/table" });
    expect(inJob!.message).toBe('cannot render "{{vars.table}}": unknown name "vars.table": vars has tabel (in prod)');
    expect(inOverride).toMatchObject({ file: "environments/prod.yaml", code: "DS1029", line: 9, column: 20 });
    expect(report.errors).toHaveLength(2);
  });

  it("validates only what --env gets", async () => {
    expect((await runCli(["validate", "--env", "dev"], { cwd: repo })).code).toBe(0);
    expect((await runCli(["validate", "--env", "prod"], { cwd: repo })).code).toBe(1);
  });
});
