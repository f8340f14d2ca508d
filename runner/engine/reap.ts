import { rmSync } from "node:fs";
import path from "node:path";
import { killTaskGroup, runnerAlive } from "../workspace/processes.js";
import { adoptFinishedAttempts } from "./adopt.js";
import type { RunRecord } from "../workspace/records.js";
import type { RunStore } from "../workspace/store.js";

/** Runs of a job in a branch namespace are admitted apart from the environment's other runs of it. */
export function admissionKey(job: string, record: Pick<RunRecord, "namespace">): string {
  return record.namespace === undefined || record.namespace === "default" ? job : `${job}@${record.namespace}`;
}

const ACTIVE: ReadonlySet<string> = new Set(["PENDING", "RUNNING"]);

/**
 * Opens a run, first reaping it when its runner died mid-run (see {@link reapRun}).
 *
 * @example
 * ```ts
 * const run = openRun(store, "r20261120T234800-7f3a9c"); // run.interrupted === true after a kill -9
 * ```
 */
export function openRun(store: RunStore, runId: string): RunRecord {
  const record = store.read(runId);
  if (ACTIVE.has(record.state) && !runnerAlive(record.runner)) return reapRun(store, runId);
  return record;
}

/**
 * Finishes the record of a run whose runner is gone: every task process still alive is killed
 * (its whole process group), a task whose attempt had finished with success before the runner
 * could record it is adopted (see {@link adoptFinishedAttempts}), the other running tasks end
 * FAILED with an "interrupted" error, and the run ends FAILED with `interrupted: true`, ready for
 * `dagship repair`.
 */
export function reapRun(store: RunStore, runId: string): RunRecord {
  const record = store.read(runId);
  if (!ACTIVE.has(record.state) || runnerAlive(record.runner)) return record;
  const at = new Date().toISOString();
  for (const task of Object.values(record.tasks)) {
    for (const attempt of task.attempts) if (attempt.state === "RUNNING" && attempt.pid !== undefined) killTaskGroup(attempt.pid, attempt.pid_start);
  }
  // Attempts that finished (their result file says so) before the runner could record it; what
  // their processes started may outlive them when the runner died before ending their group.
  for (const key of adoptFinishedAttempts(record, store.runDir(runId))) {
    const attempt = record.tasks[key]!.attempts.at(-1)!;
    if (attempt.pid !== undefined) killTaskGroup(attempt.pid, attempt.pid_start);
  }
  for (const task of Object.values(record.tasks)) {
    for (const attempt of task.attempts) {
      if (attempt.state !== "RUNNING") continue;
      attempt.state = "FAILED";
      attempt.ended_at = at;
      attempt.error = { reason: "interrupted", message: `the runner (pid ${record.runner.pid}) ended while this attempt ran`, exit_code: null, signal: null, stderr_tail: "" };
    }
    if (task.state === "RUNNING") task.state = "FAILED";
  }
  record.state = "FAILED";
  record.interrupted = true;
  record.ended_at = at;
  record.error = `interrupted: the runner (pid ${record.runner.pid}) ended before the run finished; run "dagship repair ${runId}" to finish it`;
  store.save(record);
  rmSync(path.join(store.workspace, "active", admissionKey(record.job, record), runId), { force: true });
  return record;
}
