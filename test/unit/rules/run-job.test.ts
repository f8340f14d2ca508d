import { describe, expect, it } from "vitest";
import { runJob } from "../../../runner/spec/rules/run-job.js";
import { jobOf, runRule, tsTask } from "./helpers.js";

const runs = (task_key: string, job: unknown) => ({ task_key, run_job_task: { job } });
const siblings = ["ingest", "report", "test-job", "train"];

describe("run-job rule (DS1022, DS1023)", () => {
  it("reports nothing for run_job_task targets that live beside the job", () => {
    expect(runRule(runJob, jobOf([runs("a", "ingest"), runs("b", "train"), tsTask("c")]), { siblingJobs: siblings })).toEqual([]);
  });

  it("DS1022: an unknown job suggests the closest sibling", () => {
    expect(runRule(runJob, jobOf([tsTask("a"), runs("b", "trian")]), { siblingJobs: siblings })).toEqual([
      { pointer: "/tasks/1/run_job_task/job", code: "DS1022", message: 'task "b" runs unknown job "trian"', hint: 'did you mean "train"?' },
    ]);
  });

  it("DS1022: without a close name the hint lists the other jobs, sorted, leaving out this one", () => {
    const [f] = runRule(runJob, jobOf([runs("b", "zzzzzzzzzz")]), { siblingJobs: ["train", "ingest", "test-job"] });
    expect(f).toMatchObject({ code: "DS1022", hint: "known jobs: ingest, train" });
  });

  it("DS1022: with no other jobs the hint says so", () => {
    const [f] = runRule(runJob, jobOf([runs("b", "zzzzzzzzzz")]), { siblingJobs: ["test-job"] });
    expect(f!.hint).toBe("there are no known jobs");
  });

  it("DS1023: a job that runs itself", () => {
    const [f] = runRule(runJob, jobOf([runs("again", "test-job")]), { siblingJobs: siblings });
    expect(f).toMatchObject({ pointer: "/tasks/0/run_job_task/job", code: "DS1023", message: 'task "again" runs its own job "test-job"' });
    expect(f!.hint).toContain("a job cannot run itself");
  });

  it("skips an empty or missing job name (the schema reports it)", () => {
    expect(runRule(runJob, jobOf([runs("a", ""), runs("b", 5), { task_key: "c", run_job_task: {} }]), { siblingJobs: siblings })).toEqual([]);
  });
});
