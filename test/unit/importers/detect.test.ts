import { describe, expect, it } from "vitest";
import { detectSource } from "../../../runner/importers/databricks/detect.js";
import { DagshipError } from "../../../runner/errors.js";

const job = { name: "j", tasks: [{ task_key: "a", notebook_task: { notebook_path: "/a" } }] };

function noJob(value: unknown): DagshipError {
  try {
    detectSource(value, "f.yml");
  } catch (error) {
    return error as DagshipError;
  }
  throw new Error("expected DS2008");
}

describe("detecting what a file holds", () => {
  it("Jobs API: job settings, jobs/get, jobs/list and a list of jobs", () => {
    expect(detectSource(job, "f.json")).toMatchObject({ kind: "jobs-api", detail: "job settings", jobs: [{ from: "(job settings)", settings: job }] });
    expect(detectSource({ job_id: 7, settings: job }, "f.json")).toMatchObject({ detail: "a jobs/get response", jobs: [{ from: "settings", jobId: "7" }] });
    expect(detectSource({ jobs: [{ job_id: 1, settings: job }, { job_id: 2, settings: job }], has_more: false }, "f.json").jobs.map((j) => [j.from, j.jobId])).toEqual([["jobs[0].settings", "1"], ["jobs[1].settings", "2"]]);
    expect(detectSource([job, job], "f.json").jobs).toHaveLength(2);
    expect(detectSource({ name: "old", spark_python_task: { python_file: "x.py" } }, "f.json").jobs).toHaveLength(1);
  });

  it("bundles: resources.jobs and targets.<t>.resources.jobs; a target override is reported, not imported", () => {
    const source = detectSource(
      {
        bundle: { name: "b" },
        variables: { catalog: { default: "main" } },
        resources: { jobs: { train: job } },
        targets: { prod: { variables: { catalog: "prod" }, resources: { jobs: { train: { max_concurrent_runs: 2 }, extra: job } } } },
      },
      "databricks.yml",
    );
    expect(source.kind).toBe("bundle");
    expect(source.jobs.map((j) => [j.from, j.key])).toEqual([["resources.jobs.train", "train"], ["targets.prod.resources.jobs.extra", "extra"]]);
    expect(source.jobs[0]!.notes[0]).toMatch(/targets\.prod\.resources\.jobs\.train overrides this job in target prod/);
    expect(source.jobs[1]!.notes).toEqual(["defined only in target prod"]);
    expect(source.variables.get("catalog")).toEqual({ default: "main", targets: { prod: "prod" } });
  });

  it("dbx: the workflows of the default environment; other environments are reported", () => {
    const source = detectSource({ environments: { default: { workflows: [job, job] }, prod: { workflows: [job] } } }, "deployment.yml");
    expect(source.kind).toBe("dbx");
    expect(source.jobs.map((j) => j.from)).toEqual(["environments.default.workflows[0]", "environments.default.workflows[1]"]);
    expect(source.notes[0]).toMatch(/"prod" \(1 workflow\) was not imported/);
  });

  it("a file with no job is DS2008 (exit 2), saying what it holds", () => {
    const root = noJob({ bundle: { name: "b" }, include: ["./resources/a.yml"], targets: { dev: { mode: "development" } } });
    expect(root).toMatchObject({ code: "DS2008", exitCode: 2 });
    expect(root.hint).toMatch(/\.\/resources\/a\.yml/);
    expect(noJob({ resources: { pipelines: { p: {} } } }).message).toMatch(/resources\.pipelines but no resources\.jobs/);
    expect(noJob({ hello: "world" }).message).toMatch(/its keys are hello/);
    expect(noJob("text").code).toBe("DS2008");
    expect(noJob([1, 2]).code).toBe("DS2008");
    expect(noJob({ environments: { default: { workflows: [{ name: "p", workflow_type: "pipeline" }] } } }).code).toBe("DS2008");
  });
});
