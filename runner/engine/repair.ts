import { DagshipError } from "../errors.js";
import type { RunRecord } from "../workspace/records.js";
import { RunStore } from "../workspace/store.js";
import { admit, thisRunner } from "./admission.js";
import { openRun } from "./reap.js";
import { drive, runSnapshot, type RunContext } from "./start.js";

const KEEP: ReadonlySet<string> = new Set(["SUCCESS", "EXCLUDED"]);

/**
 * Repairs a run in place: every task that did not succeed is reset and runs again, with the
 * tasks downstream of it, while the tasks that succeeded keep their values and tables and are
 * not run again. A run interrupted by a crash is reaped first. Uses the job as the run started
 * it (the snapshot in the run's folder), not the working tree's current version.
 *
 * @example
 * ```ts
 * const repaired = await repairRun("r20261120T234800-7f3a9c", ctx);
 * ```
 */
export async function repairRun(runId: string, ctx: RunContext): Promise<RunRecord> {
  const store = new RunStore(ctx.env.workspace);
  const record = openRun(store, runId);
  if (record.state === "RUNNING" || record.state === "PENDING") {
    throw new DagshipError("DS2007", `run ${runId} is still running (runner pid ${record.runner.pid})`, { hint: `wait for it, or: dagship cancel ${runId}`, exitCode: 2 });
  }
  if (record.state === "SUCCESS") return record;
  const job = runSnapshot(store, runId);
  for (const task of Object.values(record.tasks)) {
    if (KEEP.has(task.state)) continue;
    task.state = "PENDING";
    task.values = {};
    task.tables = {};
    delete task.outcome;
    delete task.child_run_id;
    delete task.progress;
  }
  record.state = "RUNNING";
  record.runner = thisRunner();
  record.repairs = [...(record.repairs ?? []), new Date().toISOString()];
  delete record.interrupted;
  delete record.ended_at;
  delete record.error;
  const end = await admit(store, job, record, () => store.save(record));
  return drive(job, record, store, ctx, end, 0);
}
