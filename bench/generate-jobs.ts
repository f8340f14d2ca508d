/**
 * Generates realistic, valid dagship jobs for the benchmarks: a throw-away repository (its own
 * `.git`, so it is its own root) with `jobs/lib/` holding shared task modules and
 * `jobs/<name>/job.json` DAGs that use them. Seeded and deterministic: job `i` depends only on
 * the seed and `i`, so the first 1,000 jobs of a 10,000-job repository are the 1,000 jobs of a
 * 1,000-job one.
 *
 * Each job has parameters, a schedule, tags, and `tasks` that form a DAG with fan-in and
 * fan-out (every task after the first depends on 1–3 earlier tasks), ts_tasks that reference
 * `../lib/*.ts` with various exports and `{{job.parameters.x}}` / `{{tasks.<upstream>.values.v}}`
 * parameters, a condition_task whose "true" and "false" outcomes lead to different tasks, and,
 * in some jobs, a run_job_task that runs an earlier job (never a cycle).
 *
 * Usage from the command line (for poking at the data by hand):
 *   npx tsx bench/generate-jobs.ts --jobs 10 --tasks 50 [--seed 1] [--out <dir>]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { seededRandom } from "../jobs/lib/random.js";

/** A shared task module of `jobs/lib/`: its file name and the exports it has. */
interface LibModule {
  file: string;
  exports: readonly string[];
  /** Verbs for task keys of tasks that run this module. */
  verbs: readonly string[];
}

/** The modules of `jobs/lib/` (util.ts is imported by the others, never run directly). */
export const LIB_MODULES: readonly LibModule[] = [
  { file: "extract.ts", exports: ["default", "extractIncremental", "extractSnapshot"], verbs: ["extract", "ingest", "pull"] },
  { file: "clean.ts", exports: ["default", "dropNulls", "normaliseText"], verbs: ["clean", "tidy"] },
  { file: "transform.ts", exports: ["default", "aggregate", "pivot", "join"], verbs: ["transform", "aggregate", "join", "pivot"] },
  { file: "dedupe.ts", exports: ["default", "dedupeByKey"], verbs: ["dedupe"] },
  { file: "features.ts", exports: ["default", "buildFeatures", "scaleFeatures"], verbs: ["featurise", "scale"] },
  { file: "train.ts", exports: ["default", "trainModel", "tune"], verbs: ["train", "tune"] },
  { file: "evaluate.ts", exports: ["default", "evaluateModel", "compare"], verbs: ["evaluate", "score", "compare"] },
  { file: "quality.ts", exports: ["default", "checkSchema", "checkFreshness", "checkVolume"], verbs: ["check", "validate"] },
  { file: "load.ts", exports: ["default", "upsert", "publish"], verbs: ["load", "upsert", "publish"] },
  { file: "notify.ts", exports: ["default", "alert", "summary"], verbs: ["notify", "alert", "report"] },
];

const NOUNS = ["orders", "customers", "events", "sessions", "invoices", "products", "clicks", "payments", "users", "inventory", "shipments", "reviews"];
const REGIONS = ["eu-west", "us-east", "ap-south", "global"];
const SCHEDULES: ReadonlyArray<{ cron: string; zone: string }> = [
  { cron: "0 0 3 * * ?", zone: "UTC" },
  { cron: "0 30 6 ? * MON-FRI", zone: "Europe/Amsterdam" },
  { cron: "0 0/15 8-18 ? * MON-FRI", zone: "America/New_York" },
  { cron: "0 0 */4 * * ?", zone: "Asia/Tokyo" },
  { cron: "0 15 1 1 * ?", zone: "Europe/London" },
  { cron: "0 0 12 ? * SUN", zone: "Australia/Sydney" },
];
const RUN_IF = ["ALL_SUCCESS", "ALL_SUCCESS", "ALL_SUCCESS", "NONE_FAILED", "ALL_DONE", "AT_LEAST_ONE_SUCCESS"] as const;
const OPS = ["GREATER_THAN_OR_EQUAL", "GREATER_THAN", "LESS_THAN", "EQUAL_TO", "NOT_EQUAL"] as const;

/** Helpers over one seeded stream. */
function rng(seed: number) {
  const next = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, int, pick };
}

/** The name of generated job `i` (0-based): `job_00001`, ... (sorted like its index). */
export function jobName(i: number): string {
  return `job_${String(i + 1).padStart(5, "0")}`;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Options of {@link generateJob}. */
export interface JobOptions {
  /** Number of tasks (≥ 4 so the DAG has a condition and both of its branches). */
  tasks: number;
  seed: number;
  /** Names of earlier jobs this one may run through a run_job_task. */
  earlierJobs?: readonly string[];
  /** Unknown task keys to add as one extra dependency of each task (for the error benchmark). */
  unknownDependencies?: boolean;
}

/**
 * One job as a JSON value. Valid unless `unknownDependencies` is set, in which case every task
 * has exactly one extra dependency on a task that does not exist (one DS1004 error per task)
 * and is otherwise unchanged.
 */
export function generateJob(name: string, options: JobOptions): Json {
  const { int, pick, next } = rng(options.seed);
  const n = Math.max(4, options.tasks);
  const params = [
    { name: "date", default: "2024-01-01" },
    { name: "region", default: pick(REGIONS) },
    { name: "threshold", default: String(int(50, 95) / 100) },
    { name: "batch_size", default: String(pick([500, 1000, 5000])) },
  ].slice(0, int(3, 4));
  const paramNames = params.map((p) => p.name);

  // Keys: verb_noun_index, unique by the index suffix.
  const keys: string[] = [];
  const kinds: Array<"ts" | "condition" | "run_job"> = [];
  const modules: LibModule[] = [];
  const condition = Math.floor(n / 2);
  const runJob = options.earlierJobs && options.earlierJobs.length > 0 && next() < 0.2 ? n - 1 : -1;
  for (let i = 0; i < n; i++) {
    const module = i === 0 ? LIB_MODULES[0]! : pick(LIB_MODULES);
    modules.push(module);
    kinds.push(i === condition ? "condition" : i === runJob ? "run_job" : "ts");
    keys.push(i === condition ? `gate_${pick(NOUNS)}_${i}` : i === runJob ? `trigger_${pick(NOUNS)}_${i}` : `${pick(module.verbs)}_${pick(NOUNS)}_${i}`);
  }

  const tasks: Json[] = [];
  for (let i = 0; i < n; i++) {
    const deps: Array<{ task_key: string; outcome?: "true" | "false" }> = [];
    if (i > 0) {
      // 1–3 distinct earlier tasks: mostly recent ones (chains, fan-in), sometimes far back (fan-out).
      const want = Math.min(i, int(1, 3));
      const chosen = new Set<number>();
      if (i === condition + 1 || i === condition + 2) chosen.add(condition);
      while (chosen.size < want) chosen.add(next() < 0.7 ? Math.max(0, i - int(1, 4)) : int(0, i - 1));
      for (const d of [...chosen].sort((a, b) => a - b)) {
        // A dependant of the condition names an outcome: the two tasks right after it take the
        // "true" and "false" branches; later dependants alternate.
        if (d === condition) deps.push({ task_key: keys[d]!, outcome: i === condition + 1 ? "true" : i === condition + 2 ? "false" : next() < 0.5 ? "true" : "false" });
        else deps.push({ task_key: keys[d]! });
      }
    }
    if (options.unknownDependencies) deps.push({ task_key: `missing_upstream_${i}` });
    // References read values of direct dependencies that are ts_tasks.
    const readable = deps.filter((d) => keys.indexOf(d.task_key) >= 0 && kinds[keys.indexOf(d.task_key)] === "ts").map((d) => d.task_key);
    const task: { [key: string]: Json } = { task_key: keys[i]! };
    if (next() < 0.4) task.description = `${keys[i]!.replace(/_\d+$/, "").replace(/_/g, " ")} for the run's date and region`;
    if (deps.length > 0) task.depends_on = deps;
    if (kinds[i] === "condition") {
      const left = readable.length > 0 ? `{{tasks.${pick(readable)}.values.v}}` : "{{job.parameters.threshold}}";
      task.condition_task = { op: pick(OPS), left, right: "{{job.parameters.threshold}}" };
    } else if (kinds[i] === "run_job") {
      task.run_job_task = { job: pick(options.earlierJobs!), job_parameters: { date: "{{job.parameters.date}}" } };
    } else {
      const module = modules[i]!;
      const exported = pick(module.exports);
      const parameters: { [key: string]: Json } = { date: "{{job.parameters.date}}" };
      parameters[pick(["region", "scope", "segment"])] = `{{job.parameters.${pick(paramNames)}}}`;
      if (readable.length > 0) parameters.input = `{{tasks.${pick(readable)}.values.v}}`;
      if (readable.length > 1) parameters.other = `{{tasks.${readable[readable.length - 1]!}.values.v}}`;
      if (next() < 0.5) parameters.limit = int(10, 100_000);
      if (next() < 0.3) parameters.options = { mode: pick(["fast", "full", "sample"]), columns: [pick(NOUNS), pick(NOUNS)], dry_run: next() < 0.2 };
      const ts: { [key: string]: Json } = { module: `../lib/${module.file}` };
      if (exported !== "default") ts.export = exported;
      ts.parameters = parameters;
      task.ts_task = ts;
    }
    if (next() < 0.25) task.run_if = pick(RUN_IF);
    if (next() < 0.3) {
      task.max_retries = int(1, 3);
      task.min_retry_interval_millis = pick([1000, 5000, 30000]);
    }
    if (next() < 0.3) task.timeout_seconds = pick([300, 600, 3600]);
    if (next() < 0.15) task.compute = { cpus: pick([1, 2, 4]), memory_mb: pick([512, 2048, 8192]) };
    tasks.push(task);
  }

  const schedule = pick(SCHEDULES);
  return {
    $schema: "../../schemas/job.schema.json",
    name,
    description: `Generated benchmark job ${name}: ${n} tasks.`,
    tags: { team: pick(["data", "ml", "platform", "finance"]), tier: pick(["gold", "silver", "bronze"]) },
    parameters: params,
    max_concurrent_runs: int(1, 3),
    timeout_seconds: pick([0, 3600, 7200]),
    schedule: { quartz_cron_expression: schedule.cron, timezone_id: schedule.zone, pause_status: pick(["PAUSED", "UNPAUSED"]) },
    tasks,
  };
}

/** The source of `jobs/lib/<file>`: the named exports plus a default, and an import of util.ts. */
function moduleSource(module: LibModule): string {
  const lines = [
    'import { describe, type Context } from "./util.js";',
    "",
    `/** Benchmark task module ${module.file}; never run, only analysed. */`,
  ];
  for (const name of module.exports) {
    const fn = name === "default" ? `export default async function run(ctx: Context)` : `export async function ${name}(ctx: Context)`;
    lines.push(`${fn}: Promise<void> {`, `  ctx.values.set("v", describe("${name}", ctx.params));`, "}", "");
  }
  return lines.join("\n");
}

const UTIL_SOURCE = `/** The part of the task context the benchmark modules use. */
export interface Context {
  params: Record<string, unknown>;
  values: { set(name: string, value: unknown): void };
}

export function describe(step: string, params: Record<string, unknown>): string {
  return \`\${step}(\${Object.keys(params).sort().join(", ")})\`;
}
`;

/** A generated repository; call {@link GeneratedRepo.remove} when done. */
export interface GeneratedRepo {
  /** The repository root (holds `.git`). */
  root: string;
  /** `<root>/jobs`. */
  jobsDir: string;
  /** Absolute paths of the generated job files, in job order. */
  files: string[];
  /** Total number of tasks over all generated jobs. */
  tasks: number;
  remove(): void;
}

/** Options of {@link generateRepository}. */
export interface RepoOptions {
  jobs: number;
  tasks: number;
  seed?: number;
  /** Where to create it (default: a fresh `fs.mkdtempSync` folder under `os.tmpdir()`). */
  dir?: string;
}

/**
 * Writes a repository of `jobs` valid jobs of `tasks` tasks each (plus `jobs/lib/`).
 *
 * @example
 * ```ts
 * const repo = generateRepository({ jobs: 1000, tasks: 50 });
 * try { ... } finally { repo.remove(); }
 * ```
 */
export function generateRepository(options: RepoOptions): GeneratedRepo {
  const seed = options.seed ?? 1;
  const root = options.dir ?? mkdtempSync(path.join(os.tmpdir(), "dagship-bench-"));
  const repo = emptyRepository(root);
  const names: string[] = [];
  for (let i = 0; i < options.jobs; i++) {
    const name = jobName(i);
    // A run_job_task only targets one of the (up to) 20 previous jobs: no cycles, local edges.
    const job = generateJob(name, { tasks: options.tasks, seed: jobSeed(seed, i), earlierJobs: names.slice(-20) });
    repo.files.push(writeJob(repo.jobsDir, name, job));
    repo.tasks += countTasks(job);
    names.push(name);
  }
  return repo;
}

/** A repository with `.git` and `jobs/lib/` but no jobs yet. */
export function emptyRepository(root: string): GeneratedRepo {
  mkdirSync(path.join(root, ".git"), { recursive: true });
  writeFileSync(path.join(root, ".git", "HEAD"), "ref: refs/heads/main\n");
  const jobsDir = path.join(root, "jobs");
  const lib = path.join(jobsDir, "lib");
  mkdirSync(lib, { recursive: true });
  writeFileSync(path.join(lib, "util.ts"), UTIL_SOURCE);
  for (const module of LIB_MODULES) writeFileSync(path.join(lib, module.file), moduleSource(module));
  return { root, jobsDir, files: [], tasks: 0, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Writes `jobs/<name>/job.json` (pretty-printed like a hand-written file) and returns its path. */
export function writeJob(jobsDir: string, name: string, job: Json): string {
  const dir = path.join(jobsDir, name);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "job.json");
  writeFileSync(file, JSON.stringify(job, null, 2) + "\n");
  return file;
}

function countTasks(job: Json): number {
  const tasks = job && typeof job === "object" && !Array.isArray(job) ? job.tasks : undefined;
  return Array.isArray(tasks) ? tasks.length : 0;
}

function jobSeed(seed: number, i: number): number {
  return (Math.imul(seed, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0;
}

// `npx tsx bench/generate-jobs.ts --jobs 10 --tasks 50 [--out dir]`
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { jobs: { type: "string", default: "10" }, tasks: { type: "string", default: "50" }, seed: { type: "string", default: "1" }, out: { type: "string" } } });
  const out = values.out ? path.resolve(values.out) : undefined;
  if (out) mkdirSync(out, { recursive: true });
  const repo = generateRepository({ jobs: Number(values.jobs), tasks: Number(values.tasks), seed: Number(values.seed), ...(out ? { dir: out } : {}) });
  process.stdout.write(`${repo.root}\n`);
  process.stderr.write(`${repo.files.length} jobs, ${repo.tasks} tasks in ${repo.jobsDir}\n`);
}
