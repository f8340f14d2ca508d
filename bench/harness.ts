/**
 * The benchmark harness: what a benchmark is, the shared context (generated repositories,
 * floors measured once per run, temp folders cleaned up at the end) and timing helpers.
 *
 * Rules (see bench/README.md): every figure is a median of N repetitions after a warm-up, and
 * is reported as a ratio against a floor measured in the same run, never as an absolute
 * threshold baked into a test. A measurement whose command under test fails (non-zero exit,
 * validation errors, a crash) throws {@link FigureError}: the harness never times an error path
 * by accident.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { generateRepository, type GeneratedRepo } from "./generate-jobs.js";

/** How a goal is checked: against the figure's value or its ratio. */
export interface Goal {
  of: "value" | "ratio";
  op: "<" | "≤" | ">" | "≥";
  limit: number;
  /** As printed and put in the JSON output, e.g. "< 2 s" or "ratio ≤ 1.2". */
  text: string;
}

/** One measured figure. `floor` is in the same unit as `value`; `ratio` is value / floor. */
export interface Figure {
  value: number;
  unit: string;
  floor?: number;
  ratio?: number;
  goal?: Goal;
  /** How it was measured (repetitions, samples, parts of the floor); printed for people only. */
  notes?: string[];
}

/**
 * A benchmark: measures one or more named figures. Names are stable identifiers (snake_case)
 * that CI and later issues rely on; add a benchmark by adding a file under bench/figures/ and
 * one line to the registry in bench/figures/index.ts.
 */
export interface Benchmark {
  /** The figure names `run` returns, in display order. */
  figures: readonly string[];
  run(ctx: Context): Promise<Record<string, Figure>>;
}

/** A measurement that could not be made because the command under test failed. */
export class FigureError extends Error {
  override name = "FigureError";
}

/** Warm-up runs (discarded) and measured runs (the median is reported). */
export interface Sampling {
  warmup: number;
  runs: number;
}

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const PACKAGE_ROOT = path.dirname(BENCH_DIR);
export const CLI = path.join(PACKAGE_ROOT, "bin", "dagship.js");
export const DIST = path.join(PACKAGE_ROOT, "dist", "runner");

/** Everything benchmarks share during one `npm run bench`. */
export class Context {
  readonly #repos = new Map<string, GeneratedRepo>();
  readonly #temp: string[] = [];
  readonly #memo = new Map<string, Promise<unknown>>();

  constructor(readonly quick: boolean) {}

  /**
   * Repetitions by cost class: `fast` (< 0.5 s a run), `slow` (seconds a run), `huge`
   * (tens of seconds a run). `--quick` trades precision for time.
   */
  sampling(cost: "fast" | "slow" | "huge"): Sampling {
    if (cost === "fast") return this.quick ? { warmup: 1, runs: 5 } : { warmup: 2, runs: 11 };
    if (cost === "slow") return this.quick ? { warmup: 1, runs: 3 } : { warmup: 1, runs: 5 };
    return this.quick ? { warmup: 0, runs: 1 } : { warmup: 1, runs: 3 };
  }

  /** A generated repository of `jobs` × `tasks`-task jobs, made once per run and shared. */
  jobsRepo(jobs: number, tasks: number): GeneratedRepo {
    const key = `${jobs}x${tasks}`;
    let repo = this.#repos.get(key);
    if (!repo) {
      const start = performance.now();
      progress(`generating ${jobs.toLocaleString("en-US")} jobs of ${tasks} tasks...`);
      repo = generateRepository({ jobs, tasks, seed: 1, dir: this.tempDir() });
      progress(`generated ${repo.files.length.toLocaleString("en-US")} jobs (${repo.tasks.toLocaleString("en-US")} tasks) in ${seconds((performance.now() - start) / 1000)} at ${repo.root}`);
      this.#repos.set(key, repo);
    }
    return repo;
  }

  /** A fresh temporary folder, removed by {@link cleanup}. */
  tempDir(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), "dagship-bench-"));
    this.#temp.push(dir);
    return dir;
  }

  /** Runs `measure` once per run of the harness and shares its result (e.g. a floor). */
  once<T>(key: string, measure: () => Promise<T>): Promise<T> {
    let p = this.#memo.get(key) as Promise<T> | undefined;
    if (!p) this.#memo.set(key, (p = measure()));
    return p;
  }

  /** The time of a bare `node -e 0` spawn: the floor of every CLI figure. */
  nodeSpawn(): Promise<Sample> {
    return this.once("node -e 0", async () => sample("floor: node -e 0", this.sampling("fast"), () => timeSpawn(["-e", "0"]).seconds));
  }

  cleanup(): void {
    for (const dir of this.#temp.splice(0)) rmSync(dir, { recursive: true, force: true });
    this.#repos.clear();
  }
}

/** The median of the measured runs and every sample (seconds, or whatever `run` returns). */
export interface Sample {
  median: number;
  samples: number[];
  sampling: Sampling;
}

/**
 * Runs `run` `warmup` times (discarded), then `runs` times; returns the median. Runs of a
 * second or more are reported as they finish, the rest in one summary line.
 */
export async function sample(label: string, sampling: Sampling, run: () => number | Promise<number>): Promise<Sample> {
  for (let i = 0; i < sampling.warmup; i++) {
    const s = await run();
    if (s >= 1) progress(`  ${label}: warm-up ${i + 1}/${sampling.warmup} ${seconds(s)}`);
  }
  const samples: number[] = [];
  for (let i = 0; i < sampling.runs; i++) {
    samples.push(await run());
    if (samples[i]! >= 1) progress(`  ${label}: run ${i + 1}/${sampling.runs} ${seconds(samples[i]!)}`);
  }
  const result = { median: median(samples), samples, sampling };
  progress(`  ${label}: ${seconds(result.median)}, ${describeSample(result)}`);
  return result;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** "median of 5 after 1 warm-up (0.98–1.07 s)" */
export function describeSample(s: Sample, unit = "s"): string {
  const lo = Math.min(...s.samples);
  const hi = Math.max(...s.samples);
  return `median of ${s.sampling.runs} after ${s.sampling.warmup} warm-up${s.sampling.warmup === 1 ? "" : "s"} (range ${format(lo)}–${format(hi)} ${unit})`;
}

export interface SpawnResult {
  seconds: number;
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment for commands under test: no GitHub Actions annotations, no colour. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.GITHUB_ACTIONS;
  return env;
}

/** Spawns `node <args>` synchronously and times it from spawn to exit (wall clock). */
export function timeSpawn(args: readonly string[], cwd: string = PACKAGE_ROOT, timeoutMs = 600_000): SpawnResult {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, env: childEnv(), encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs });
  const seconds = (performance.now() - start) / 1000;
  if (r.error) throw new FigureError(`node ${args.join(" ")} did not run: ${r.error.message}`);
  return { seconds, status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** The shape of `dagship validate --json`. */
export interface ValidateOutput {
  ok: boolean;
  errors: Array<{ file: string; line: number; column: number; code: string; message: string }>;
  checked: { jobs: string[]; environments: string[] };
}

/**
 * Runs `dagship validate <args> --json` in `cwd` and times it. Throws a {@link FigureError}
 * unless the exit code is `expectExit` and the output parses; the caller checks the content.
 */
export function timeValidate(cwd: string, args: readonly string[], expectExit: 0 | 1): { seconds: number; output: ValidateOutput } {
  const r = timeSpawn([CLI, "validate", ...args, "--json"], cwd);
  const what = `dagship validate ${args.join(" ")} (in ${cwd})`;
  let output: ValidateOutput | undefined;
  try {
    output = JSON.parse(r.stdout) as ValidateOutput;
  } catch {
    output = undefined;
  }
  if (r.status !== expectExit) {
    const detail = output?.errors?.length ? `${output.errors.length} errors:\n${showErrors(output.errors)}\n` : `${tail(r.stderr)}${tail(r.stdout)}`;
    throw new FigureError(`${what} exited ${r.status ?? r.signal} (expected ${expectExit}); ${detail}`);
  }
  if (!output || !Array.isArray(output.errors)) throw new FigureError(`${what} printed no validate JSON on stdout:\n${tail(r.stdout)}${tail(r.stderr)}`);
  if (expectExit === 0 && (!output.ok || output.errors.length > 0)) throw new FigureError(`${what} reported errors:\n${showErrors(output.errors)}`);
  return { seconds: r.seconds, output };
}

export function showErrors(errors: ValidateOutput["errors"], max = 5): string {
  const lines = errors.slice(0, max).map((e) => `  ${e.file}:${e.line}:${e.column} ${e.code} ${e.message}`);
  if (errors.length > max) lines.push(`  ... and ${errors.length - max} more`);
  return lines.join("\n");
}

/** What a compile worker (bench/workers/compile.ts) reports. */
export interface CompileReport {
  seconds: number;
  files: number;
  compiled: number;
  diagnostics: number;
  first: ValidateOutput["errors"];
  heapUsedMB: number;
}

/**
 * Runs bench/workers/compile.ts in a fresh Node process: it calls `compileJobs` from dist/ on
 * every job.json under `jobsDir` and reports the time of that call alone (start-up, module
 * loading and one small priming compile excluded). Fails if the worker crashes (e.g. runs out
 * of heap), exceeds `deadlineMs`, or the jobs do not all compile without diagnostics.
 */
export async function timeCompile(root: string, jobsDir: string, expectFiles: number, deadlineMs: number): Promise<CompileReport> {
  const worker = path.join(BENCH_DIR, "workers", "compile.ts");
  // The same loader flags as this process (tsx), so the worker's TypeScript runs; nothing else
  // (a --max-old-space-size given to the harness must not change what is measured).
  const loader: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (["--require", "-r", "--import", "--loader", "--experimental-loader"].includes(a) && argv[i + 1] !== undefined) loader.push(a, argv[++i]!);
    else if (/^--(require|import|loader|experimental-loader)=/.test(a)) loader.push(a);
  }
  const started = performance.now();
  const child = spawn(process.execPath, [...loader, worker, root, jobsDir], { cwd: root, env: childEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-20_000)));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, deadlineMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (c, s) => resolve([c, s]));
  }).finally(() => clearTimeout(timer));
  const elapsed = seconds((performance.now() - started) / 1000);
  const what = `compileJobs on ${expectFiles.toLocaleString("en-US")} jobs`;
  if (timedOut) throw new FigureError(`${what} did not finish within ${seconds(deadlineMs / 1000)} (killed)`);
  if (code !== 0) {
    const oom = /heap out of memory|Reached heap limit/i.test(stderr);
    throw new FigureError(
      oom
        ? `${what} crashed: JavaScript heap out of memory after ${elapsed} (Node's default heap limit; dagship keeps every parsed job in memory until the end)`
        : `${what} failed (exit ${code ?? signal}) after ${elapsed}:\n${tail(stderr)}`,
    );
  }
  let report: CompileReport;
  try {
    report = JSON.parse(stdout) as CompileReport;
  } catch {
    throw new FigureError(`${what}: the worker printed no report:\n${tail(stdout)}${tail(stderr)}`);
  }
  if (report.diagnostics > 0) throw new FigureError(`${what} reported ${report.diagnostics} diagnostics:\n${showErrors(report.first)}`);
  if (report.files !== expectFiles || report.compiled !== expectFiles) {
    throw new FigureError(`${what}: expected ${expectFiles} compiled jobs, got ${report.compiled} of ${report.files} files`);
  }
  return report;
}

function tail(text: string, lines = 15): string {
  const t = text.trimEnd();
  return t === "" ? "" : t.split("\n").slice(-lines).join("\n") + "\n";
}

/** Progress and diagnostics go to stderr, so `--json` keeps stdout clean. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Seconds for people: "1.23 s", "45.6 ms". */
export function seconds(s: number): string {
  return s < 1 ? `${(s * 1000).toPrecision(3)} ms` : `${s.toPrecision(3)} s`;
}

/** A number for the table: 3 significant digits, thousands grouped. */
export function format(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString("en-US");
  return Number(n.toPrecision(3)).toString();
}

/** Whether a figure meets its goal (undefined when it has none). */
export function meetsGoal(f: Figure): boolean | undefined {
  if (!f.goal) return undefined;
  const x = f.goal.of === "ratio" ? f.ratio : f.value;
  if (x === undefined) return false;
  switch (f.goal.op) {
    case "<":
      return x < f.goal.limit;
    case "≤":
      return x <= f.goal.limit;
    case ">":
      return x > f.goal.limit;
    case "≥":
      return x >= f.goal.limit;
  }
}

/**
 * Warns (on stderr) when dist/ is older than runner/: the figures would measure stale code.
 * A missing build is a harness error.
 */
export function checkBuild(): void {
  if (!existsSync(path.join(DIST, "cli", "main.js"))) throw new Error("dist/ is missing: run `npm run build` first (the benchmarks measure the built CLI)");
  const stale: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const src = path.join(dir, e.name);
      if (e.isDirectory()) walk(src);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) {
        // The browser pages' code is bundled into dist/pages/<page>.js (runner/report/bundle-pages.ts).
        const page = /runner\/(report|ui)\/page\//.exec(src.split(path.sep).join("/"));
        const out = page ? path.join(PACKAGE_ROOT, "dist", "pages", page[1] === "ui" ? "runs.js" : "report.js") : path.join(DIST, path.relative(path.join(PACKAGE_ROOT, "runner"), src)).replace(/\.ts$/, ".js");
        if (!existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs) stale.push(path.relative(PACKAGE_ROOT, src));
      }
    }
  };
  walk(path.join(PACKAGE_ROOT, "runner"));
  if (stale.length > 0) progress(`warning: dist/ is older than ${stale.slice(0, 3).join(", ")}${stale.length > 3 ? ` and ${stale.length - 3} more` : ""}; run \`npm run build\` to measure the current code`);
}

/** Reads and JSON.parses every file: the in-process floor of validation. */
export function readAndParse(files: readonly string[]): number {
  const start = performance.now();
  let n = 0;
  for (const f of files) {
    const v = JSON.parse(readFileSync(f, "utf8")) as { tasks?: unknown[] };
    n += v.tasks?.length ?? 0;
  }
  const s = (performance.now() - start) / 1000;
  if (n === 0) throw new FigureError("read+parse floor: the files hold no tasks");
  return s;
}
