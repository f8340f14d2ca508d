import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ConfigError, DagshipError } from "../errors.js";
import type { Executor } from "../executors/types.js";
import { environmentExpander, targetOf } from "../render/expand.js";
import { gitInfo } from "../render/git.js";
import { compileJobFile } from "../spec/compile.js";
import type { CompiledJob } from "../spec/compiled.js";
import { jobFolders } from "../spec/repository.js";
import { formatList } from "../spec/suggest.js";
import { writeJsonAtomic } from "../workspace/atomic.js";
import type { EnvironmentContext } from "../workspace/environment.js";
import type { RunRecord, TaskRecord } from "../workspace/records.js";
import { RunStore } from "../workspace/store.js";
import { admit, thisRunner } from "./admission.js";
import type { EngineEvent } from "./context.js";
import { executeRun } from "./engine.js";
import { runParameters, selectTasks } from "./selection.js";

/** How to run: shared by `run`, `repair` and child runs. */
export interface RunContext {
  env: EnvironmentContext;
  executor: Executor;
  concurrency: number;
  signal: AbortSignal;
  onEvent?(event: EngineEvent & { run_id: string }): void;
  /** Called once the run's record exists (e.g. to print its id). */
  onStart?(record: RunRecord): void;
}

/** What to run. */
export interface RunRequest {
  job: string;
  parameters: Record<string, string>;
  tasks: readonly string[];
  from?: string;
  parentRunId?: string;
  /** Run the environment's current deployment of the job (`run --deployed`), in this namespace or the branch's. */
  deployed?: { branch?: string; namespace?: string };
}

const MAX_DEPTH = 10;

/**
 * Starts and runs a job of the working tree in an environment, to the end. Throws typed errors
 * for what prevents the run from starting (unknown job or parameter: exit 2; invalid job: exit 1;
 * refused by max_concurrent_runs: exit 2); a run that starts always returns its final record.
 *
 * @example
 * ```ts
 * const run = await startRun({ job: "hello", parameters: { rows: "10" }, tasks: [] }, ctx);
 * ```
 */
export async function startRun(request: RunRequest, ctx: RunContext, depth = 0): Promise<RunRecord> {
  if (depth > MAX_DEPTH) throw new DagshipError("DS2007", `run_job_task nesting is deeper than ${MAX_DEPTH} runs`);
  const { job, source, namespace } = await loadJob(request, ctx);
  const parameters = runParameters(job, request.parameters);
  const selected = selectTasks(job, request.tasks, request.from);
  const store = new RunStore(ctx.env.workspace);
  const record: RunRecord = {
    run_id: store.newRunId(),
    job: job.name,
    env: ctx.env.name,
    state: "RUNNING",
    started_at: new Date().toISOString(),
    parameters,
    tasks: Object.fromEntries(job.tasks.map((t) => [t.task_key, emptyTask(selected.has(t.task_key) ? "PENDING" : "EXCLUDED")])),
    runner: thisRunner(),
    source,
    ...(namespace === undefined ? {} : { namespace }),
    ...(request.parentRunId ? { parent_run_id: request.parentRunId } : {}),
    ...(selected.size < job.tasks.length ? { selection: { tasks: [...request.tasks], ...(request.from ? { from: request.from } : {}) } } : {}),
  };
  if (selected.size < job.tasks.length) takeExcluded(job, record, selected, store);
  const runDir = store.runDir(record.run_id);
  const end = await admit(store, job, record, () => {
    // The job snapshot first: a run record never exists without the job repair needs, even when
    // the runner is killed between the two writes.
    mkdirSync(runDir, { recursive: true });
    writeJsonAtomic(path.join(runDir, "job.json"), job);
    store.create(record);
  });
  return drive(job, record, store, ctx, end, depth);
}

/** Runs an admitted record to its end with the engine, then ends its admission. */
export async function drive(job: CompiledJob, record: RunRecord, store: RunStore, ctx: RunContext, end: () => void, depth: number): Promise<RunRecord> {
  try {
    ctx.onStart?.(record);
    return await executeRun({
      job,
      record,
      runDir: store.runDir(record.run_id),
      env: ctx.env,
      store,
      executor: ctx.executor,
      concurrency: ctx.concurrency,
      signal: ctx.signal,
      onEvent: (e) => ctx.onEvent?.({ ...e, run_id: record.run_id }),
      startChildRun: (c) => startRun({ job: c.job, parameters: c.parameters, tasks: [], parentRunId: c.parentRunId, ...(record.namespace === undefined ? {} : { deployed: { namespace: record.namespace } }) }, { ...ctx, signal: c.signal, onStart: undefined }, depth + 1),
    });
  } finally {
    end();
  }
}

/** The job to run: from the current deployment (`deployed`), else the working tree rendered for the environment. */
async function loadJob(request: RunRequest, ctx: RunContext): Promise<{ job: CompiledJob; source: RunRecord["source"]; namespace?: string }> {
  if (request.deployed) {
    const { loadDeployedJob } = await import("../deploy/load.js");
    const d = loadDeployedJob(ctx.env, request.job, request.deployed.branch, request.deployed.namespace);
    return { job: d.job, source: { kind: "deployment", file: d.file, deployment_id: d.deployment_id, seq: d.seq, ...(d.git_sha ? { git_sha: d.git_sha } : {}) }, namespace: d.namespace };
  }
  const root = ctx.env.root;
  const file = path.join(root, "jobs", request.job, "job.json");
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(request.job) || !existsSync(file)) {
    throw new ConfigError("DS2002", `no job "${request.job}"`, { hint: `jobs: ${formatList(jobFolders(path.join(root, "jobs")))}` });
  }
  // The job as this environment gets it: overrides merged, deploy-time templates rendered.
  const git = gitInfo(root);
  const target = ctx.env.spec ? targetOf(ctx.env, git) : undefined;
  const job = await compileJobFile(file, { root, cwd: root, cacheDir: path.join(ctx.env.workspace, "cache", "exports"), ...(target ? { expand: environmentExpander([target], { pauseSchedules: true }) } : {}) });
  return { job, source: { kind: "working_tree", file: path.relative(root, file), ...(git.sha ? { git_sha: git.sha } : {}) } };
}

/** A task's record before it runs. */
export function emptyTask(state: TaskRecord["state"]): TaskRecord {
  return { state, attempts: [], duration_ms: 0, values: {}, tables: {} };
}

/**
 * Fills EXCLUDED tasks with the values, tables and outcome they had in the job's latest
 * successful run. Needed only when a selected task depends on an excluded one; without such a
 * run that is an error (exit 2).
 */
function takeExcluded(job: CompiledJob, record: RunRecord, selected: Set<string>, store: RunStore): void {
  const needed = job.tasks.some((t) => selected.has(t.task_key) && t.depends_on.some((d) => !selected.has(d.task_key)));
  const source = store.list({ job: job.name }).find((r) => r.state === "SUCCESS" && r.namespace === record.namespace);
  if (!source) {
    if (needed) throw new DagshipError("DS2007", `no successful run of job "${job.name}" in environment "${record.env}" to take the values of the excluded tasks from`, { hint: "run the whole job once, or select the upstream tasks too", exitCode: 2 });
    return;
  }
  const sourceDir = store.runDir(source.run_id);
  for (const [key, task] of Object.entries(record.tasks)) {
    const from = source.tasks[key];
    if (task.state !== "EXCLUDED" || !from) continue;
    task.values = from.values;
    task.tables = Object.fromEntries(Object.entries(from.tables).map(([name, t]) => [name, { ...t, path: path.resolve(sourceDir, t.path) }]));
    if (from.outcome) task.outcome = from.outcome;
    task.source_run_id = source.run_id;
    task.source_state = from.state === "EXCLUDED" ? (from.source_state ?? "SUCCESS") : from.state;
  }
}

/** The compiled job a run was started with (kept in its folder for repair). */
export function runSnapshot(store: RunStore, runId: string): CompiledJob {
  return JSON.parse(readFileSync(path.join(store.runDir(runId), "job.json"), "utf8")) as CompiledJob;
}
