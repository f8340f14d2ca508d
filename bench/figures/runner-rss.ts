import { statSync } from "node:fs";
import path from "node:path";
import { describeSample, FigureError, format, progress, seconds, type Benchmark, type Sampling } from "../harness.js";
import { canSampleMemory, NOOP_JOBS, runDir, runJob, sampleIn, sharedRunnerRepo, spawnNode } from "../runner-repo.js";

const CONCURRENCY = 2;
const EVERY_MS = 50;

/**
 * runner_rss_1000: the runner's own peak memory while it runs a 1,000-task no-op DAG at
 * concurrency 2: the largest VmHWM (peak RSS) of the `node bin/dagship.js run` process, read from
 * /proc/<pid>/status every 50 ms while it runs (task processes are not counted: they are other
 * processes). Floor: a bare `node -e "setTimeout(()=>{},300)"` measured the same way. One run:
 * a 1,000-task run takes a minute or more, and a memory peak varies far less than a time.
 */
export const runnerRss: Benchmark = {
  figures: ["runner_rss_1000"],
  async run(ctx) {
    if (!canSampleMemory()) throw new FigureError("runner_rss_1000 reads /proc/<pid>/status: Linux only");
    const repo = await sharedRunnerRepo(ctx);
    const { tasks } = NOOP_JOBS.noop_1000;
    const floor = await sampleIn("MB", "runner_rss_1000: floor node -e setTimeout 300 ms, peak RSS", ctx.sampling("fast"), async () => {
      const r = await spawnNode(["-e", "setTimeout(()=>{},300)"], repo.root, { sampleEveryMs: EVERY_MS });
      if (r.code !== 0 || !r.memory || r.memory.samples === 0) throw new FigureError(`the floor process exited ${r.code ?? r.signal} after ${r.memory?.samples ?? 0} memory samples`);
      return r.memory.peakMB;
    });
    const sampling: Sampling = { warmup: 0, runs: 1 };
    let last: Awaited<ReturnType<typeof runJob>> | undefined;
    progress(`  runner_rss_1000: running ${tasks} no-op tasks at concurrency ${CONCURRENCY} (a minute or more)...`);
    const peak = await sampleIn("MB", `runner_rss_1000: ${tasks} no-op tasks at concurrency ${CONCURRENCY}, peak RSS`, sampling, async () => {
      last = await runJob(repo, "noop_1000", tasks, { extra: ["--concurrency", String(CONCURRENCY)], sampleEveryMs: EVERY_MS, timeoutMs: 900_000 });
      if (!last.memory || last.memory.samples === 0) throw new FigureError("no memory sample of the runner process");
      return last.memory.peakMB;
    });
    const m = last!.memory!;
    const record = statSync(path.join(runDir(repo, last!.record.run_id), "run.json")).size;
    return {
      runner_rss_1000: {
        value: peak.median,
        unit: "MB",
        floor: floor.median,
        ratio: peak.median / floor.median,
        goal: { of: "value", op: "<", limit: 200, text: "< 200 MB" },
        notes: [
          `peak RSS = largest VmHWM of \`dagship run noop_1000 --concurrency ${CONCURRENCY} --json\`, /proc/<pid>/status read every ${EVERY_MS} ms (${m.samples} samples, the last ${format(m.lastSampleBeforeExitMs)} ms before exit); ${describeSample(peak, "MB")}; largest VmRSS read ${format(m.maxRssMB)} MB`,
          `floor node -e "setTimeout(()=>{},300)", the same way: ${describeSample(floor, "MB")}`,
          `the run took ${seconds(last!.seconds)} (${format((last!.seconds * 1000 * CONCURRENCY) / tasks)} ms per task, wall × ${CONCURRENCY} / ${tasks}); its run.json is ${format(record / 1e3)} KB`,
        ],
      },
    };
  },
};
