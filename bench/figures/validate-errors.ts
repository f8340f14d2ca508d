import { emptyRepository, generateJob, writeJob } from "../generate-jobs.js";
import { describeSample, FigureError, sample, showErrors, timeValidate, type Benchmark } from "../harness.js";

const TASKS = 1000;

/**
 * validate_errors_1000: wall time of `dagship validate <job> --json` on one job of 1,000 tasks
 * where every task also depends on a task that does not exist (exactly 1,000 DS1004 errors,
 * checked on every run), against the same job without those dependencies (valid, exit 0) as
 * the floor. The ratio is the cost of finding, locating, explaining and printing 1,000 errors.
 */
export const validateErrors: Benchmark = {
  figures: ["validate_errors_1000"],
  async run(ctx) {
    const repo = emptyRepository(ctx.tempDir());
    writeJob(repo.jobsDir, "valid_1000", generateJob("valid_1000", { tasks: TASKS, seed: 7 }));
    writeJob(repo.jobsDir, "errors_1000", generateJob("errors_1000", { tasks: TASKS, seed: 7, unknownDependencies: true }));
    const valid = await sample("validate_errors_1000: valid 1,000-task job", ctx.sampling("slow"), () => timeValidate(repo.root, ["jobs/valid_1000"], 0).seconds);
    const errors = await sample("validate_errors_1000: 1,000 errors", ctx.sampling("slow"), () => {
      const { seconds, output } = timeValidate(repo.root, ["jobs/errors_1000"], 1);
      const unexpected = output.errors.filter((e) => e.code !== "DS1004");
      if (output.errors.length !== TASKS || unexpected.length > 0) {
        throw new FigureError(`expected exactly ${TASKS} DS1004 errors, got ${output.errors.length} (${unexpected.length} of other codes):\n${showErrors(unexpected.length ? unexpected : output.errors)}`);
      }
      return seconds;
    });
    return {
      validate_errors_1000: {
        value: errors.median,
        unit: "s",
        floor: valid.median,
        ratio: errors.median / valid.median,
        notes: [`1,000 errors: ${describeSample(errors)}`, `floor, the valid job: ${describeSample(valid)}`],
      },
    };
  },
};
