import { describe, expect, it } from "vitest";
import { isJobName, jobNameFrom, parameterNameFrom, segment, taskKeyFrom, unique } from "../../../runner/importers/databricks/names.js";

describe("job names", () => {
  it.each([
    ["Pipeline DL Image train", "pipeline-dl-image-train"],
    ["Pipeline_DL_Image_Train", "pipeline_dl_image_train"],
    ["${bundle.target}-my_job", "my_job"],
    ["${bundle.target}-mlops_stacks-model-training-job", "mlops_stacks-model-training-job"],
    ["{{project_name}}-sample-etl", "sample-etl"],
    ["[dev alice] Nightly ETL (prod)", "dev-alice-nightly-etl-prod"],
    ["Café Crème", "cafe-creme"],
    ["__private", "private"],
  ])("%s → %s", (from, to) => {
    expect(jobNameFrom(from)).toBe(to);
    expect(isJobName(to)).toBe(true);
  });

  it("falls back to the key, then to 'job', when nothing is left", () => {
    expect(jobNameFrom("${var.name}", "model_training_job")).toBe("model_training_job");
    expect(jobNameFrom(undefined, "Leaf 1")).toBe("leaf-1");
    expect(jobNameFrom("!!!", "???")).toBe("job");
  });

  it("keeps names at most 100 characters long, without a trailing dash", () => {
    const name = jobNameFrom("a".repeat(99) + " b");
    expect(name.length).toBeLessThanOrEqual(100);
    expect(isJobName(name)).toBe(true);
  });
});

describe("task keys and parameter names", () => {
  it("keeps valid task keys and replaces other characters with _", () => {
    expect(taskKeyFrom("Train_Images")).toBe("Train_Images");
    expect(taskKeyFrom("extract step")).toBe("extract_step");
    expect(taskKeyFrom("a.b/c")).toBe("a_b_c");
    expect(taskKeyFrom("")).toBe("task");
  });

  it("makes parameter names start with a letter or _", () => {
    expect(parameterNameFrom("catalog")).toBe("catalog");
    expect(parameterNameFrom("my.param-1")).toBe("my.param-1");
    expect(parameterNameFrom("run date")).toBe("run_date");
    expect(parameterNameFrom("1st")).toBe("_1st");
  });

  it("unique() suffixes repeats, case-insensitively for file names", () => {
    const taken = new Set<string>();
    expect([unique("a", taken), unique("a", taken), unique("a", taken)]).toEqual(["a", "a-2", "a-3"]);
    const files = new Set<string>();
    expect([unique("Train", files, "-", true), unique("train", files, "-", true)]).toEqual(["Train", "train-2"]);
  });

  it("segment() brackets names that are not plain", () => {
    expect(segment("rows")).toBe("rows");
    expect(segment("a.b")).toBe("[a.b]");
  });
});
