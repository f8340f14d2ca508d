/** The run list `dagship ui` shows and serves as JSON: a summary of each run of the environment. */
import { openRun } from "../engine/reap.js";
import type { RunRecord } from "../workspace/records.js";
import type { RunStore } from "../workspace/store.js";
import type { RunList, RunListItem } from "./list-data.js";

const ENDED = new Set(["SUCCESS", "FAILED", "TIMEDOUT", "CANCELED", "SKIPPED", "UPSTREAM_FAILED", "EXCLUDED"]);

/**
 * The newest `limit` runs of `store`. Runs that say they are running are opened with
 * {@link openRun}, which finds out (and records) when their runner died.
 *
 * @example
 * ```ts
 * listRuns(new RunStore(".dagship/dev"), "dev").runs[0]?.state; // "SUCCESS"
 * ```
 */
export function listRuns(store: RunStore, env: string, limit = 200): RunList {
  const runs = store.list({ limit }).map((r) => (r.state === "RUNNING" || r.state === "PENDING" ? safeOpen(store, r) : r));
  return { env, generated_at: new Date().toISOString(), runs: runs.map(item) };
}

function safeOpen(store: RunStore, r: RunRecord): RunRecord {
  try {
    return openRun(store, r.run_id);
  } catch {
    return r;
  }
}

function item(r: RunRecord): RunListItem {
  const tasks = Object.values(r.tasks);
  return {
    run_id: r.run_id,
    job: r.job,
    state: r.state,
    ...(r.interrupted ? { interrupted: true } : {}),
    ...(r.namespace && r.namespace !== "default" ? { namespace: r.namespace } : {}),
    source: r.source.kind === "deployment" ? `deployment ${r.source.seq ?? ""}` : "working tree",
    started_at: r.started_at,
    ...(r.ended_at ? { ended_at: r.ended_at } : {}),
    ...(r.duration_ms !== undefined ? { duration_ms: r.duration_ms } : {}),
    done: tasks.filter((t) => ENDED.has(t.state)).length,
    tasks: tasks.length,
    failed: tasks.filter((t) => t.state === "FAILED" || t.state === "TIMEDOUT").length,
  };
}
