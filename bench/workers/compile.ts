/**
 * Compile worker, run in a fresh Node process by `timeCompile` (bench/harness.ts):
 *
 *   node --import tsx bench/workers/compile.ts <root> <jobs-dir>
 *
 * Lists every job.json under <jobs-dir>, primes the compiler with one small compile (so the
 * one-off costs — loading esbuild and starting its service, compiling the JSON Schema
 * validator — are not part of the figure), then times one `compileJobs` call over all files and
 * prints a JSON report on stdout. A fresh process per measurement keeps one run's heap from
 * affecting the next, and a crash (out of memory) from taking the harness down with it.
 */
import { performance } from "node:perf_hooks";
import type { CompileReport } from "../harness.js";

type CompileModule = typeof import("../../runner/spec/compile.js");
type RepositoryModule = typeof import("../../runner/spec/repository.js");

const [root, jobsDir] = process.argv.slice(2);
if (!root || !jobsDir) {
  process.stderr.write("usage: compile.ts <root> <jobs-dir>\n");
  process.exit(2);
}
// The built code (dist/), the same the CLI runs; types come from the sources.
const dist = new URL("../../dist/runner/spec/", import.meta.url);
const { compileJobs } = (await import(new URL("compile.js", dist).href)) as CompileModule;
const { findJobFiles } = (await import(new URL("repository.js", dist).href)) as RepositoryModule;

const files = findJobFiles(jobsDir);
if (files[0]) await compileJobs([files[0]], { root, cwd: root });

const start = performance.now();
const { jobs, diagnostics } = await compileJobs(files, { root, cwd: root });
const seconds = (performance.now() - start) / 1000;

const report: CompileReport = {
  seconds,
  files: files.length,
  compiled: jobs.filter((j) => j.job !== undefined).length,
  diagnostics: diagnostics.length,
  first: diagnostics.slice(0, 5),
  heapUsedMB: Math.round(process.memoryUsage().heapUsed / 1e6),
};
process.stdout.write(JSON.stringify(report) + "\n");
