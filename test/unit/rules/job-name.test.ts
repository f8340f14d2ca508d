import path from "node:path";
import { describe, expect, it } from "vitest";
import { jobName } from "../../../runner/spec/rules/job-name.js";
import { FAKE_ROOT, jobOf, runRule, tsTask } from "./helpers.js";

const fileIn = (...segments: string[]) => path.join(FAKE_ROOT, ...segments);

describe("job-name rule (DS1024)", () => {
  it("reports nothing when the job is named after its folder", () => {
    expect(runRule(jobName, jobOf([tsTask("a")], { name: "train" }), { file: fileIn("jobs", "train", "job.json") })).toEqual([]);
  });

  it("reports a name that differs from the folder, with both ways to fix it", () => {
    expect(runRule(jobName, jobOf([tsTask("a")], { name: "train" }), { file: fileIn("jobs", "training", "job.json") })).toEqual([
      { pointer: "/name", code: "DS1024", message: 'job is named "train" but lives in the folder "training"', hint: 'rename the folder to "train" or set "name" to "training"' },
    ]);
  });

  it("does not check files that are not called job.json", () => {
    expect(runRule(jobName, jobOf([tsTask("a")], { name: "train" }), { file: fileIn("examples", "other.json") })).toEqual([]);
  });

  it("does not check a missing or non-string name (the schema reports it)", () => {
    expect(runRule(jobName, { tasks: [] }, { file: fileIn("jobs", "x", "job.json") })).toEqual([]);
    expect(runRule(jobName, { name: 12, tasks: [] }, { file: fileIn("jobs", "x", "job.json") })).toEqual([]);
  });

  it("does not suggest renaming the folder to a name that is not a valid job name", () => {
    const findings = runRule(jobName, jobOf([tsTask("a")], { name: "My Job" }), { file: path.join(FAKE_ROOT, "jobs", "my-job", "job.json") });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.hint).toBe('set "name" to "my-job"');
  });
});
