import type { CompiledTask } from "../spec/compiled.js";
import type { TaskState } from "../workspace/records.js";

/** How an upstream task ended, as seen by one dependant's edge. */
export interface UpstreamView {
  state: TaskState;
  outcome?: "true" | "false";
}

const FAILED: ReadonlySet<TaskState> = new Set(["FAILED", "TIMEDOUT", "UPSTREAM_FAILED"]);
const DONE: ReadonlySet<TaskState> = new Set(["SUCCESS", "FAILED", "TIMEDOUT", "CANCELED", "SKIPPED", "UPSTREAM_FAILED", "EXCLUDED"]);

/** Whether a task state is final. */
export function isDone(state: TaskState): boolean {
  return DONE.has(state);
}

/**
 * Decides, once every upstream task is done, whether a task runs, with the contract's semantics:
 * FAILED, TIMEDOUT and UPSTREAM_FAILED count as failed; SUCCESS as success — but an edge that
 * names an `outcome` succeeds only on that outcome; SKIPPED, CANCELED and a non-matching
 * outcome count as neither. A task that does not run ends UPSTREAM_FAILED when its run_if is
 * ALL_SUCCESS or NONE_FAILED and an upstream task failed, and SKIPPED otherwise.
 *
 * @example
 * ```ts
 * decide(task, [{ state: "SUCCESS" }, { state: "FAILED" }]); // "UPSTREAM_FAILED" for ALL_SUCCESS
 * ```
 */
export function decide(task: Pick<CompiledTask, "run_if" | "depends_on">, upstream: readonly UpstreamView[]): "RUN" | "SKIPPED" | "UPSTREAM_FAILED" {
  if (task.depends_on.length === 0) return "RUN";
  let succeeded = 0;
  let failed = 0;
  task.depends_on.forEach((dep, i) => {
    const up = upstream[i]!;
    if (FAILED.has(up.state)) failed++;
    else if (up.state === "SUCCESS" && (dep.outcome === undefined || dep.outcome === up.outcome)) succeeded++;
  });
  const total = task.depends_on.length;
  switch (task.run_if) {
    case "ALL_SUCCESS":
      return failed > 0 ? "UPSTREAM_FAILED" : succeeded === total ? "RUN" : "SKIPPED";
    case "NONE_FAILED":
      return failed > 0 ? "UPSTREAM_FAILED" : succeeded > 0 ? "RUN" : "SKIPPED";
    case "AT_LEAST_ONE_SUCCESS":
      return succeeded > 0 ? "RUN" : "SKIPPED";
    case "ALL_DONE":
      return "RUN";
    case "AT_LEAST_ONE_FAILED":
      return failed > 0 ? "RUN" : "SKIPPED";
    case "ALL_FAILED":
      return failed === total ? "RUN" : "SKIPPED";
  }
}

/**
 * The state of a finished run: SUCCESS when no task ended FAILED, TIMEDOUT, UPSTREAM_FAILED or
 * CANCELED; otherwise CANCELED or TIMEDOUT when the run was canceled or hit its timeout, else FAILED.
 */
export function runOutcome(states: Iterable<TaskState>, ended: "normal" | "canceled" | "timedout"): "SUCCESS" | "FAILED" | "CANCELED" | "TIMEDOUT" {
  if (ended === "canceled") return "CANCELED";
  if (ended === "timedout") return "TIMEDOUT";
  for (const s of states) if (s === "FAILED" || s === "TIMEDOUT" || s === "UPSTREAM_FAILED" || s === "CANCELED") return "FAILED";
  return "SUCCESS";
}
