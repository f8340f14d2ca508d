import { describe, expect, it } from "vitest";
import { convertSource } from "../../../runner/importers/databricks/convert.js";
import { detectSource } from "../../../runner/importers/databricks/detect.js";

const nb = (key: string) => ({ task_key: key, notebook_task: { notebook_path: `/${key}` } });

describe("converting the jobs of a file", () => {
  it("names jobs validly and uniquely and reports the renaming", () => {
    const source = detectSource({ resources: { jobs: { a: { name: "My Job", tasks: [nb("t")] }, b: { name: "my job", tasks: [nb("t")] }, c: { tasks: [nb("t")] } } } }, "b.yml");
    const { jobs } = convertSource(source, {});
    expect(jobs.map((j) => j.name)).toEqual(["my-job", "my-job-2", "c"]);
    expect(jobs[0]!.report.renamed?.job).toEqual({ from: "My Job", to: "my-job" });
    expect(jobs[2]!.report.notes[0]).toBe('the job had no name: it is named "c" after its key');
  });

  it("does not give a job the name of a folder beside it that is not a job (jobs/lib)", () => {
    const source = detectSource({ resources: { jobs: { lib: { tasks: [nb("t")] }, r: { name: "r", tasks: [{ task_key: "x", run_job_task: { job_id: "${resources.jobs.shared.id}" } }] } } } }, "b.yml");
    const { jobs, placeholders } = convertSource(source, { reserved: ["lib", "shared"] });
    expect(jobs.map((j) => j.name)).toEqual(["lib-2", "r"]);
    expect(placeholders.map((p) => p.name)).toEqual(["shared-2"]);
  });

  it("names the one job after --out", () => {
    const { jobs } = convertSource(detectSource({ name: "Pipeline_DL_Image_Train", tasks: [nb("t")] }, "j.json"), { singleName: "train" });
    expect(jobs[0]!.report.renamed?.job).toEqual({ from: "Pipeline_DL_Image_Train", to: "train" });
  });

  it("resolves ${resources.jobs.<key>.id} to a job of the same file and pushes shared parameters down", () => {
    const source = detectSource(
      {
        resources: {
          jobs: {
            primary: { name: "primary job", parameters: [{ name: "input", default: "x" }], tasks: [{ task_key: "run", run_job_task: { job_id: "${resources.jobs.leaf.id}" } }] },
            leaf: { name: "leaf job", parameters: [{ name: "input", default: "" }], tasks: [nb("leaf")] },
          },
        },
      },
      "b.yml",
    );
    const { jobs, placeholders } = convertSource(source, {});
    expect((jobs[0]!.spec.tasks as object[])[0]).toEqual({ task_key: "run", run_job_task: { job: "leaf-job", job_parameters: { input: "{{job.parameters.input}}" } } });
    expect(placeholders).toEqual([]);
  });

  it("resolves numeric job ids within a jobs/list response", () => {
    const source = detectSource({ jobs: [{ job_id: 1, settings: { name: "a", tasks: [{ task_key: "r", run_job_task: { job_id: 2 } }] } }, { job_id: 2, settings: { name: "b", tasks: [nb("t")] } }] }, "list.json");
    expect((convertSource(source, {}).jobs[0]!.spec.tasks as object[])[0]).toEqual({ task_key: "r", run_job_task: { job: "b" } });
  });

  it("writes a placeholder job for a target the file does not define, named after the job another bundle file defines", () => {
    const source = detectSource({ resources: { jobs: { mon: { name: "mon", tasks: [{ task_key: "r", run_job_task: { job_id: "${resources.jobs.train.id}", job_parameters: { "a b": "1" } } }] } } } }, "b.yml");
    const { jobs, placeholders } = convertSource(source, { lookupBundleJob: (key) => (key === "train" ? { name: "mlops-train", file: "train.yml" } : undefined), folderOf: (n) => `jobs/${n}` });
    expect((jobs[0]!.spec.tasks as object[])[0]).toMatchObject({ run_job_task: { job: "mlops-train" } });
    expect(placeholders).toHaveLength(1);
    const p = placeholders[0]!;
    expect(p).toMatchObject({ name: "mlops-train", standsFor: "${resources.jobs.train.id}" });
    expect(p.notes[0]).toMatch(/dagship import databricks train\.yml --out jobs\/mlops-train/);
    const spec = JSON.parse(p.files.find((f) => f.path === "job.json")!.content);
    expect(spec).toMatchObject({ name: "mlops-train", tags: { dagship_import: "placeholder" }, parameters: [{ name: "a_b", default: "" }], tasks: [{ task_key: "port_me", ts_task: { module: "tasks/port_me.ts" } }] });
    expect(p.files.find((f) => f.path === "tasks/port_me.ts")!.content).toContain("port me: this job stands for ${resources.jobs.train.id}");
  });

  it("numeric job ids the file does not define get a databricks-job-<id> placeholder, shared by every task that runs it", () => {
    const source = detectSource({ name: "x", tasks: [{ task_key: "a", run_job_task: { job_id: 99 } }, { task_key: "b", run_job_task: { job_id: "99" } }] }, "x.json");
    const { placeholders, jobs } = convertSource(source, {});
    expect(placeholders.map((p) => p.name)).toEqual(["databricks-job-99"]);
    expect(jobs[0]!.report.tasks.map((t) => t.as)).toEqual(["run_job_task", "run_job_task"]);
  });

  it("skips jobs without tasks, and a file whose jobs all lack tasks is DS2008", () => {
    const some = convertSource(detectSource({ resources: { jobs: { a: { name: "a", tasks: [] }, b: { name: "b", tasks: [nb("t")] } } } }, "b.yml"), {});
    expect(some.skipped).toEqual([{ from: "resources.jobs.a", reason: expect.stringMatching(/no tasks/) }]);
    expect(() => convertSource(detectSource({ name: "a", tasks: [] }, "a.json"), {})).toThrow(expect.objectContaining({ code: "DS2008", exitCode: 2 }));
  });

  it("suggests environment vars from the bundle's variables", () => {
    const source = detectSource({ variables: { catalog: { default: "main" } }, targets: { prod: { variables: { catalog: "prod" } } }, resources: { jobs: { a: { name: "a", parameters: [{ name: "c", default: "${var.catalog}" }], tasks: [nb("t")] } } } }, "databricks.yml");
    expect(convertSource(source, {}).jobs[0]!.report.notes).toContain('bundle variable catalog (default "main"; target prod: "prod"): set vars.catalog in environments/<env>.yaml');
  });
});
