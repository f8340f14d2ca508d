import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { describeSample, FigureError, format, median, sample, timeSpawn, type Benchmark, type Sample } from "../harness.js";
import { NOOP_JOBS, runJob, sharedRunnerRepo, spawnNode } from "../runner-repo.js";

const CONCURRENCY = 2;
/** Bare `node -e 0` spawns (one at a time) timed right before each run: the floor. */
const FLOOR_SPAWNS = 3;
/** Bare `node -e 0` spawns, CONCURRENCY at a time, timed right before each run: the notes' second floor. */
const PARALLEL_SPAWNS = 10;

/**
 * run_task_overhead: what the runner costs per task. `dagship run noop_200 --concurrency 2
 * --json` runs a 200-task no-op DAG (layers with fan-out and fan-in, one shared no-op module,
 * every attempt in its own process); per-task cost = wall time of the whole command (spawn to
 * exit) × 2 (concurrency) / 200, in ms. Floor: a bare `node -e 0` spawn (spawnSync, one at a
 * time), timed 3 times right before every run so that it sees the same machine load as the run
 * (the median of those of the measured runs); the ratio is the goal's (≤ 1.3). The bundle cache
 * is warm before anything is timed (a one-task run of the same module, then the sampling's own
 * warm-up run), so no bundling is timed. The notes add the same cost seen from the run record
 * (the engine's own time, no CLI start-up or job compile; the median attempt as the executor
 * measures it) and the floor at the run's concurrency (bare spawns, 2 at a time).
 */
export const runTaskOverhead: Benchmark = {
  figures: ["run_task_overhead"],
  async run(ctx) {
    const repo = await sharedRunnerRepo(ctx);
    const { tasks, width } = NOOP_JOBS.noop_200;
    const sampling = ctx.sampling("slow");
    const engineMs: number[] = [];
    const attemptMs: number[] = [];
    const floorS: number[][] = [];
    const parallelS: number[] = [];
    const runs = await sample(`run_task_overhead: ${tasks} no-op tasks at concurrency ${CONCURRENCY}`, sampling, async () => {
      floorS.push(Array.from({ length: FLOOR_SPAWNS }, () => bareSpawn(repo.root)));
      parallelS.push(await parallelSpawns(repo.root));
      const r = await runJob(repo, "noop_200", tasks, { extra: ["--concurrency", String(CONCURRENCY)] });
      engineMs.push(((r.record.duration_ms ?? Number.NaN) * CONCURRENCY) / tasks);
      attemptMs.push(median(Object.values(r.record.tasks).map((t) => t.attempts[0]?.duration_ms ?? Number.NaN)));
      return r.seconds;
    });
    const measuredRuns = <T>(xs: T[]) => xs.slice(sampling.warmup);
    const floor: Sample = { median: median(measuredRuns(floorS).flat()), samples: measuredRuns(floorS).flat(), sampling: { warmup: 0, runs: sampling.runs * FLOOR_SPAWNS } };
    const parallel: Sample = { median: median(measuredRuns(parallelS)), samples: measuredRuns(parallelS), sampling: { warmup: 0, runs: sampling.runs } };
    const perTask = (runs.median * 1000 * CONCURRENCY) / tasks;
    const floorMs = floor.median * 1000;
    const parallelMs = parallel.median * 1000;
    const engine = median(measuredRuns(engineMs));
    const attempt = median(measuredRuns(attemptMs));
    return {
      run_task_overhead: {
        value: perTask,
        unit: "ms",
        floor: floorMs,
        ratio: perTask / floorMs,
        goal: { of: "ratio", op: "≤", limit: 1.3, text: "ratio ≤ 1.3" },
        notes: [
          `per task = wall time of \`dagship run noop_200 --concurrency ${CONCURRENCY} --json\` × ${CONCURRENCY} / ${tasks}; the run: ${describeSample(runs)}`,
          `engine only (run record duration_ms × ${CONCURRENCY} / ${tasks}: no CLI start-up, no job compile): ${format(engine)} ms, ratio ${(engine / floorMs).toFixed(2)}`,
          `one attempt as the executor times it (median attempt duration_ms: bundle-cache check, spawn, task, exit): ${format(attempt)} ms, ratio ${(attempt / floorMs).toFixed(2)}`,
          `floor node -e 0 (spawnSync, one at a time, ${FLOOR_SPAWNS} right before each run): ${describeSample(floor)}`,
          `node -e 0 ${CONCURRENCY} at a time, as the run spawns its tasks (${PARALLEL_SPAWNS} spawns before each run, wall × ${CONCURRENCY} / ${PARALLEL_SPAWNS}; ${availableParallelism()} CPUs here): ${format(parallelMs)} ms, ${describeSample(parallel)}; the run against it: ratio ${(perTask / parallelMs).toFixed(2)}`,
          `DAG: start → ${Math.ceil((tasks - 2) / width)} layers of ≤ ${width} tasks (each on 1–3 of the layer before) → finish; bundle cache warm, nothing bundled while timed`,
        ],
      },
    };
  },
};

/** One bare `node -e 0` (spawnSync), in seconds. */
function bareSpawn(cwd: string): number {
  const r = timeSpawn(["-e", "0"], cwd);
  if (r.status !== 0) throw new FigureError(`node -e 0 exited ${r.status ?? r.signal}`);
  return r.seconds;
}

/** PARALLEL_SPAWNS bare `node -e 0`, CONCURRENCY at a time: wall × CONCURRENCY / PARALLEL_SPAWNS, in seconds. */
async function parallelSpawns(cwd: string): Promise<number> {
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = 0; i < PARALLEL_SPAWNS / CONCURRENCY; i++) {
        const r = await spawnNode(["-e", "0"], cwd);
        if (r.code !== 0) throw new FigureError(`node -e 0 exited ${r.code ?? r.signal}`);
      }
    }),
  );
  return ((performance.now() - start) / 1000) * (CONCURRENCY / PARALLEL_SPAWNS);
}
