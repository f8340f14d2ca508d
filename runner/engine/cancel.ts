import { isAlive } from "../workspace/processes.js";
import { hostname } from "node:os";
import { DagshipError } from "../errors.js";
import type { RunRecord } from "../workspace/records.js";
import type { RunStore } from "../workspace/store.js";
import { openRun, reapRun } from "./reap.js";

const ACTIVE: ReadonlySet<string> = new Set(["PENDING", "RUNNING"]);

/**
 * Cancels a running run: its runner is sent SIGTERM, which makes it stop starting tasks, end the
 * running ones (their whole process groups, SIGKILL after a grace period) and record the run
 * CANCELED. Waits up to `timeoutMs` for that; a runner that does not comply is killed and the run
 * reaped. A run that already ended is returned unchanged.
 *
 * @example
 * ```ts
 * const run = await cancelRun(store, "r20261120T234800-7f3a9c"); // run.state === "CANCELED"
 * ```
 */
export async function cancelRun(store: RunStore, runId: string, timeoutMs = 15_000): Promise<RunRecord> {
  let record = openRun(store, runId);
  if (!ACTIVE.has(record.state)) return record;
  if (record.runner.host !== hostname()) {
    throw new DagshipError("DS2007", `run ${runId} is running on host ${record.runner.host}, not here`, { hint: "cancel it from that host", exitCode: 2 });
  }
  const { pid, start } = record.runner;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return reapRun(store, runId);
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    record = store.read(runId);
    if (!ACTIVE.has(record.state)) return record;
    if (!isAlive(pid, start)) return reapRun(store, runId);
  }
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
  while (isAlive(pid, start)) await new Promise((r) => setTimeout(r, 20));
  return reapRun(store, runId);
}
