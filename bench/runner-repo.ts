/**
 * Throw-away repositories for the runner figures (`dagship run`): their own `.git` (so each is
 * its own root and workspace), `environments/dev.yaml`, `node_modules` linked to this checkout's
 * (tasks import apache-arrow), and helpers to generate no-op DAGs and to run a job with the
 * built CLI, timing it and, on Linux, sampling the runner process's memory from /proc.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { RunRecord } from "../runner/workspace/records.js";
import { CLI, describeSample, FigureError, format, median, PACKAGE_ROOT, progress, seconds, type Context, type Sample, type Sampling } from "./harness.js";

/** A repository the runner can run jobs of. */
export interface RunnerRepo {
  root: string;
  /** The dev environment's workspace (`.dagship/dev`). */
  workspace: string;
}

/** The no-op task every generated DAG runs: one shared module, bundled once. */
export const NOOP_MODULE = "jobs/lib/noop.ts";

/** Creates a runner repository in `dir` (an empty folder, e.g. from `ctx.tempDir()`). */
export function runnerRepository(dir: string): RunnerRepo {
  mkdirSync(path.join(dir, ".git"), { recursive: true });
  writeFileSync(path.join(dir, ".git", "HEAD"), "ref: refs/heads/main\n");
  mkdirSync(path.join(dir, "environments"), { recursive: true });
  writeFileSync(path.join(dir, "environments", "dev.yaml"), "name: dev\nworkspace:\n  path: .dagship/dev\n");
  symlinkSync(path.join(PACKAGE_ROOT, "node_modules"), path.join(dir, "node_modules"));
  mkdirSync(path.join(dir, "jobs", "lib"), { recursive: true });
  writeFileSync(path.join(dir, NOOP_MODULE), "// A task that does nothing: what is left is the runner's own cost per task.\nexport default async (): Promise<void> => {};\n");
  return { root: dir, workspace: path.join(dir, ".dagship", "dev") };
}

/** Writes `jobs/<name>/job.json` and returns its path. */
export function writeRunnerJob(repo: RunnerRepo, name: string, job: unknown): string {
  const dir = path.join(repo.root, "jobs", name);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "job.json");
  writeFileSync(file, JSON.stringify(job, null, 2) + "\n");
  return file;
}

/**
 * A no-op DAG of `tasks` ts_tasks (≥ 3) shaped like a real pipeline: one `start` task fans out
 * to a first layer of `width` tasks; every task of the following layers depends on 1–3 tasks of
 * the layer before (fan-in and fan-out: positions p, p+1 and 7p+3 modulo the width); one
 * `finish` task depends on every task of the last layer. All tasks run {@link NOOP_MODULE}.
 * Deterministic: the same arguments give the same job.
 */
export function noopDag(name: string, tasks: number, width: number): { name: string; tasks: unknown[] } {
  if (tasks < 3) throw new Error("noopDag: at least 3 tasks");
  const module = `../lib/${path.basename(NOOP_MODULE)}`;
  const out: Array<{ task_key: string; depends_on?: Array<{ task_key: string }>; ts_task: { module: string } }> = [{ task_key: "start", ts_task: { module } }];
  const middle = tasks - 2;
  const key = (layer: number, pos: number) => `l${layer}_t${pos}`;
  for (let j = 0; j < middle; j++) {
    const layer = Math.floor(j / width);
    const pos = j % width;
    const deps = layer === 0 ? ["start"] : [...new Set([pos, (pos + 1) % width, (pos * 7 + 3) % width])].map((q) => key(layer - 1, q));
    out.push({ task_key: key(layer, pos), depends_on: deps.map((task_key) => ({ task_key })), ts_task: { module } });
  }
  const last = Math.floor((middle - 1) / width);
  const lastLayer = out.filter((t) => t.task_key.startsWith(`l${last}_`)).map((t) => ({ task_key: t.task_key }));
  out.push({ task_key: "finish", depends_on: lastLayer, ts_task: { module } });
  return { name, tasks: out };
}

/** Memory of a process as sampled from /proc/<pid>/status, in MB (10^6 bytes). */
export interface MemorySamples {
  /** The largest VmHWM (the kernel's peak-RSS high-water mark) read while the process ran. */
  peakMB: number;
  /** The largest VmRSS read. */
  maxRssMB: number;
  samples: number;
  /** How long before the exit the last sample was taken (ms). */
  lastSampleBeforeExitMs: number;
}

export interface RunResult {
  /** Wall time from spawn to exit (and closed pipes) of `node bin/dagship.js run ...`. */
  seconds: number;
  record: RunRecord;
  memory?: MemorySamples;
  stderr: string;
}

/** The environment for the CLI: no GitHub Actions annotations, no colour, no live view. */
function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", DAGSHIP_NO_TTY: "1" };
  delete env.GITHUB_ACTIONS;
  return env;
}

const MB = 1e6;

/** VmHWM and VmRSS of a running process in bytes, or undefined once it is gone. */
function readStatus(pid: number): { hwm: number; rss: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const hwm = /^VmHWM:\s+(\d+) kB/m.exec(text);
  const rss = /^VmRSS:\s+(\d+) kB/m.exec(text);
  // A zombie (exited, not yet reaped) has no memory lines.
  if (!hwm || !rss) return undefined;
  return { hwm: Number(hwm[1]) * 1024, rss: Number(rss[1]) * 1024 };
}

/** Whether /proc/<pid>/status can be read here (Linux). */
export function canSampleMemory(): boolean {
  return readStatus(process.pid) !== undefined;
}

/**
 * Spawns `node <args>` in `cwd` and waits for it; with `sampleEveryMs`, reads the process's
 * /proc/<pid>/status that often while it runs (and once right after the spawn).
 */
export async function spawnNode(
  args: readonly string[],
  cwd: string,
  options: { sampleEveryMs?: number; timeoutMs?: number } = {},
): Promise<{ seconds: number; code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; timedOut: boolean; memory?: MemorySamples }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd, env: cliEnv(), stdio: ["ignore", "pipe", "pipe"] });
  const chunks: Buffer[] = [];
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => chunks.push(d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-20_000)));
  let peak = 0;
  let maxRss = 0;
  let samples = 0;
  let lastSampleAt = 0;
  const sampleNow = () => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const s = readStatus(child.pid);
    if (!s) return;
    peak = Math.max(peak, s.hwm);
    maxRss = Math.max(maxRss, s.rss);
    samples++;
    lastSampleAt = performance.now();
  };
  let poller: NodeJS.Timeout | undefined;
  if (options.sampleEveryMs !== undefined) {
    sampleNow();
    poller = setInterval(sampleNow, options.sampleEveryMs);
  }
  let timedOut = false;
  let kill: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    // SIGTERM first: `dagship run` cancels the run and ends its task processes' groups.
    child.kill("SIGTERM");
    kill = setTimeout(() => child.kill("SIGKILL"), 5000);
  }, options.timeoutMs ?? 600_000);
  let exitedAt = 0;
  child.once("exit", () => {
    exitedAt = performance.now();
    clearInterval(poller);
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (c, s) => resolve([c, s]));
  }).finally(() => {
    clearTimeout(timer);
    clearTimeout(kill);
    clearInterval(poller);
  });
  const seconds = (performance.now() - started) / 1000;
  const memory: MemorySamples | undefined =
    options.sampleEveryMs === undefined ? undefined : { peakMB: peak / MB, maxRssMB: maxRss / MB, samples, lastSampleBeforeExitMs: exitedAt - lastSampleAt };
  return { seconds, code, signal, stdout: Buffer.concat(chunks).toString("utf8"), stderr, timedOut, ...(memory ? { memory } : {}) };
}

/**
 * Runs `dagship run <job> --json [extra]` in the repository and checks the outcome: exit 0, a
 * run record on stdout with state SUCCESS and `expectTasks` tasks, each SUCCESS after exactly
 * one attempt. Anything else is a {@link FigureError}: a figure never times a failed run.
 */
export async function runJob(
  repo: RunnerRepo,
  job: string,
  expectTasks: number,
  options: { extra?: readonly string[]; sampleEveryMs?: number; timeoutMs?: number } = {},
): Promise<RunResult> {
  const args = [CLI, "run", job, "--json", ...(options.extra ?? [])];
  const r = await spawnNode(args, repo.root, options);
  const what = `dagship run ${job} ${(options.extra ?? []).join(" ")}`.trimEnd();
  const tail = (s: string) => s.trimEnd().split("\n").slice(-15).join("\n");
  if (r.timedOut) throw new FigureError(`${what} did not finish within ${Math.round((options.timeoutMs ?? 600_000) / 1000)} s (killed)`);
  let record: RunRecord | undefined;
  try {
    record = JSON.parse(r.stdout) as RunRecord;
  } catch {
    record = undefined;
  }
  if (r.code !== 0 || !record || record.state !== "SUCCESS") {
    const failed = record ? Object.entries(record.tasks).filter(([, t]) => t.state !== "SUCCESS") : [];
    // The tasks that failed themselves first (not UPSTREAM_FAILED), with what their attempt left.
    const own = failed.filter(([, t]) => t.attempts.length > 0);
    const detail = own
      .slice(0, 3)
      .map(([key, t]) => {
        const a = t.attempts.at(-1);
        const e = a?.error;
        const head = `  ${key}: ${t.state} attempt ${a?.n ?? "?"} (pid ${a?.pid ?? "?"}, ${a?.duration_ms ?? "?"} ms): ${e ? `${e.reason}: ${e.message} (exit ${e.exit_code}, signal ${e.signal})` : "no error recorded"}`;
        const stderrTail = e?.stderr_tail ? `\n    stderr: ${e.stderr_tail.split("\n").join("\n    ")}` : "";
        let log = "";
        try {
          if (a?.log) log = `\n    log:\n${readFileSync(path.join(runDir(repo, record!.run_id), a.log), "utf8").trimEnd().split("\n").slice(-10).map((l) => `      ${l}`).join("\n")}`;
        } catch {
          // no log file
        }
        return head + stderrTail + log;
      })
      .join("\n");
    const counts = failed.reduce<Record<string, number>>((c, [, t]) => ((c[t.state] = (c[t.state] ?? 0) + 1), c), {});
    throw new FigureError(
      `${what} exited ${r.code ?? r.signal} with run state ${record?.state ?? "(no record)"}` +
        `${failed.length ? ` (tasks not SUCCESS: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(", ")}):\n${detail}` : ""}\n${tail(r.stderr)}`,
    );
  }
  const tasks = Object.values(record.tasks);
  if (tasks.length !== expectTasks) throw new FigureError(`${what}: expected ${expectTasks} tasks in the run record, got ${tasks.length}`);
  const odd = Object.entries(record.tasks).find(([, t]) => t.state !== "SUCCESS" || t.attempts.length !== 1);
  if (odd) throw new FigureError(`${what}: task ${odd[0]} ended ${odd[1].state} after ${odd[1].attempts.length} attempts (expected SUCCESS after 1)`);
  return { seconds: r.seconds, record, stderr: r.stderr, ...(r.memory ? { memory: r.memory } : {}) };
}

/** The folder of a run in the repository's dev workspace. */
export function runDir(repo: RunnerRepo, runId: string): string {
  return path.join(repo.workspace, "runs", runId);
}

/** The no-op DAGs of the runner figures, by name: tasks and layer width. */
export const NOOP_JOBS = {
  noop_200: { tasks: 200, width: 11 },
  noop_1000: { tasks: 1000, width: 25 },
} as const;

/**
 * The runner repository shared by the runner figures of one `npm run bench`: the no-op DAGs of
 * {@link NOOP_JOBS} plus a one-task `warm` job, which is run once here so that the shared no-op
 * module is bundled (and esbuild's one-off start-up paid) before anything is measured.
 */
export function sharedRunnerRepo(ctx: Context): Promise<RunnerRepo> {
  return ctx.once("runner repository", async () => {
    const repo = runnerRepository(ctx.tempDir());
    for (const [name, shape] of Object.entries(NOOP_JOBS)) writeRunnerJob(repo, name, noopDag(name, shape.tasks, shape.width));
    writeRunnerJob(repo, "warm", { name: "warm", tasks: [{ task_key: "noop", ts_task: { module: `../lib/${path.basename(NOOP_MODULE)}` } }] });
    const warm = await runJob(repo, "warm", 1);
    progress(`runner repository at ${repo.root}; bundle cache warmed (one-task run: ${seconds(warm.seconds)})`);
    return repo;
  });
}

/**
 * Like the harness's `sample`, for figures that are not times (e.g. MB): warm-ups discarded,
 * the median of the runs; progress printed in `unit`, every run.
 */
export async function sampleIn(unit: string, label: string, sampling: Sampling, run: () => Promise<number>): Promise<Sample> {
  for (let i = 0; i < sampling.warmup; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < sampling.runs; i++) samples.push(await run());
  const result = { median: median(samples), samples, sampling };
  progress(`  ${label}: ${format(result.median)} ${unit}, ${describeSample(result, unit)}`);
  return result;
}
