/**
 * Adopting attempts that finished while their runner was dying. A task process writes its
 * result file (../sdk/result-file.ts) as its last act when the task succeeded; if the runner was
 * killed before its record said so, the run's reaping takes the success from that file instead
 * of leaving the task to be run again: the task's work is done once. Only a complete, well-formed
 * success is adopted, once its process group is gone and its files are synced; anything else is
 * left to `dagship repair` as before.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import { isValidName } from "../sdk/checks.js";
import { RESULT_FILE, type AttemptResultFile } from "../sdk/result-file.js";
import type { AttemptRecord, RunRecord, TableRecord, TaskRecord } from "../workspace/records.js";

/**
 * Marks SUCCESS every task of `record` whose running (or not yet recorded) attempt left a valid
 * result file in `runDir`; returns the keys of the tasks adopted. Call it after the attempts'
 * process groups are killed and before the rest is marked interrupted.
 *
 * @example
 * ```ts
 * const adopted = adoptFinishedAttempts(record, store.runDir(record.run_id)); // ["extract"]
 * ```
 */
export function adoptFinishedAttempts(record: RunRecord, runDir: string): string[] {
  const adopted: string[] = [];
  for (const [key, task] of Object.entries(record.tasks)) {
    if (task.state !== "RUNNING" && task.state !== "PENDING") continue;
    const last = task.attempts.at(-1);
    const recorded = last?.state === "RUNNING" ? last : undefined;
    const n = recorded ? recorded.n : (last?.n ?? 0) + 1;
    const rel = path.join("tasks", key, `attempt-${n}`);
    const result = readResult(path.join(runDir, rel));
    if (!result) continue;
    adopt(task, recorded, n, rel, result);
    adopted.push(key);
  }
  return adopted;
}

function adopt(task: TaskRecord, recorded: AttemptRecord | undefined, n: number, rel: string, result: AttemptResultFile): void {
  const duration_ms = Math.max(0, Date.parse(result.ended_at) - Date.parse(recorded?.started_at ?? result.started_at));
  const attempt: AttemptRecord = recorded ?? { n, state: "RUNNING", started_at: result.started_at, pid: result.pid, ...(result.pid_start === undefined ? {} : { pid_start: result.pid_start }) };
  attempt.state = "SUCCESS";
  attempt.ended_at = result.ended_at;
  attempt.duration_ms = duration_ms;
  attempt.log = path.join(rel, "log");
  if (!recorded) task.attempts.push(attempt);
  task.state = "SUCCESS";
  task.duration_ms = duration_ms;
  task.values = result.values;
  task.tables = Object.fromEntries(Object.entries(result.tables).map(([name, t]) => [name, { ...t, path: path.join(rel, t.path) }]));
  delete task.progress;
}

/** The attempt's result file if it is a complete success whose tables exist (synced), else undefined. */
function readResult(dir: string): AttemptResultFile | undefined {
  const file = path.join(dir, RESULT_FILE);
  let result: AttemptResultFile;
  try {
    result = JSON.parse(readFileSync(file, "utf8")) as AttemptResultFile;
  } catch {
    return undefined; // none (the task did not finish) or unreadable: the task runs again
  }
  if (!wellFormed(result)) return undefined;
  const files = Object.values(result.tables).map((t) => path.join(dir, t.path));
  if (!files.every((f) => existsSync(f))) return undefined;
  try {
    // The run record is about to say these exist: make them durable first, as the runner does.
    for (const f of [...files, file]) syncPath(f);
    syncPath(dir);
    if (files.length > 0) syncPath(path.join(dir, "tables"));
  } catch {
    return undefined;
  }
  return result;
}

function wellFormed(r: AttemptResultFile): boolean {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(r) || r.ok !== true || !isObject(r.values) || !isObject(r.tables)) return false;
  if (Number.isNaN(Date.parse(r.started_at)) || Number.isNaN(Date.parse(r.ended_at)) || !Number.isInteger(r.pid)) return false;
  // The names and paths the runner accepts from a live task process, and no others.
  if (!Object.keys(r.values).every(isValidName)) return false;
  return Object.entries(r.tables).every(([name, t]) => isValidName(name) && isObject(t) && (t as TableRecord).path === `tables/${name}.arrow`);
}

function syncPath(p: string): void {
  const fd = openSync(p, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
