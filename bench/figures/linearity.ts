import { describeSample, FigureError, sample, seconds, timeCompile, type Benchmark, type CompileReport } from "../harness.js";

const TASKS = 50;
const SMALL = 1000;
const LARGE = 10_000;

/**
 * validate_linearity: time(10,000 jobs) / (10 × time(1,000 jobs)) of `compileJobs` (dist/), each
 * timed inside a fresh Node process (bench/workers/compile.ts) after a one-job priming compile.
 * In-process because the CLI's constant start-up would flatter the ratio; a fresh process per
 * run because one run's heap must not slow the next, and because a run that exhausts the heap
 * must fail the figure, not the harness. value = time(10,000), floor = 10 × time(1,000), ratio =
 * linearity; goal ≤ 1.2. A 10,000-job run is killed after max(60 s, 3 × floor).
 */
export const validateLinearity: Benchmark = {
  figures: ["validate_linearity"],
  async run(ctx) {
    const small = ctx.jobsRepo(SMALL, TASKS);
    let smallReport: CompileReport | undefined;
    const t1 = await sample(`validate_linearity: compileJobs × ${SMALL}`, ctx.sampling("slow"), async () => {
      smallReport = await timeCompile(small.root, small.jobsDir, SMALL, 600_000);
      return smallReport.seconds;
    });
    const floor = (LARGE / SMALL) * t1.median;
    const large = ctx.jobsRepo(LARGE, TASKS);
    const deadline = Math.max(60, 3 * floor);
    let largeReport: CompileReport | undefined;
    const t10 = await sample(`validate_linearity: compileJobs × ${LARGE.toLocaleString("en-US")}`, ctx.sampling("huge"), async () => {
      try {
        largeReport = await timeCompile(large.root, large.jobsDir, LARGE, deadline * 1000);
      } catch (error) {
        if (!(error instanceof FigureError)) throw error;
        throw new FigureError(`${error.message}\n(for comparison: compileJobs × ${SMALL} took ${seconds(t1.median)}, heap after ${smallReport?.heapUsedMB ?? "?"} MB; linear would be ${seconds(floor)})`);
      }
      return largeReport.seconds;
    });
    return {
      validate_linearity: {
        value: t10.median,
        unit: "s",
        floor,
        ratio: t10.median / floor,
        goal: { of: "ratio", op: "≤", limit: 1.2, text: "ratio ≤ 1.2" },
        notes: [
          `compileJobs × ${LARGE}: ${describeSample(t10)}; heap after: ${largeReport?.heapUsedMB ?? "?"} MB`,
          `compileJobs × ${SMALL}: ${describeSample(t1)}; heap after: ${smallReport?.heapUsedMB ?? "?"} MB; floor = 10 × ${seconds(t1.median)}`,
        ],
      },
    };
  },
};
