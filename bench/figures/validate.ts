import { describeSample, FigureError, format, readAndParse, sample, seconds, timeValidate, type Benchmark } from "../harness.js";

const JOBS = 1000;
const TASKS = 50;

/**
 * validate_1000x50: wall time of the real CLI, `node bin/dagship.js validate jobs --json`, on a
 * generated repository of 1,000 valid jobs of 50 tasks (exit 0 and no errors checked on every
 * run). Floor: a bare `node -e 0` spawn plus reading and JSON.parse-ing the same 1,000 files
 * in-process — what any validator has to pay at least. Goal (on this machine): under 2 s.
 *
 * validate_throughput: the same measurement as tasks validated per second.
 */
export const validate1000x50: Benchmark = {
  figures: ["validate_1000x50", "validate_throughput"],
  async run(ctx) {
    const repo = ctx.jobsRepo(JOBS, TASKS);
    const spawnFloor = await ctx.nodeSpawn();
    const parse = await sample(`floor: read + JSON.parse ${repo.files.length} files`, ctx.sampling("slow"), () => readAndParse(repo.files));
    const cli = await sample("validate_1000x50: dagship validate jobs --json", ctx.sampling("slow"), () => {
      const { seconds, output } = timeValidate(repo.root, ["jobs"], 0);
      if (output.checked.jobs.length !== JOBS) throw new FigureError(`dagship validate checked ${output.checked.jobs.length} jobs, expected ${JOBS}`);
      return seconds;
    });
    const floor = spawnFloor.median + parse.median;
    const tasksPerSecond = repo.tasks / cli.median;
    return {
      validate_1000x50: {
        value: cli.median,
        unit: "s",
        floor,
        ratio: cli.median / floor,
        goal: { of: "value", op: "<", limit: 2, text: "< 2 s" },
        notes: [
          `dagship validate: ${describeSample(cli)}`,
          `floor ${seconds(floor)} = node -e 0 ${seconds(spawnFloor.median)} + read and JSON.parse ${seconds(parse.median)} (${describeSample(parse)})`,
        ],
      },
      validate_throughput: {
        value: tasksPerSecond,
        unit: "tasks/s",
        goal: { of: "value", op: ">", limit: (JOBS * TASKS) / 2, text: `> ${format((JOBS * TASKS) / 2)} tasks/s` },
        notes: [`${format(repo.tasks)} tasks in ${JOBS} jobs / ${seconds(cli.median)} = ${format(JOBS / cli.median)} jobs/s`],
      },
    };
  },
};
