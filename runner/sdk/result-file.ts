/**
 * The attempt's own record of its success, `<attempt folder>/result.json`, written by the task
 * process as its last act when the task succeeded: its values and tables, with the environment's
 * secrets masked as the runner masks them. The runner keeps the same outcome in the run record;
 * this file matters only when the runner dies between the task's end and its next record write:
 * reaping the run then adopts the finished attempt instead of running the task again (see
 * ../engine/adopt.ts). Renamed into place (never half-written); not synced: it has to outlive the
 * runner's process, not the machine, and the runner syncs it before adopting it.
 */
import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { TableRecord } from "../workspace/records.js";
import { processStartTime } from "../workspace/process-start.js";
import { createMasker } from "../workspace/secrets.js";

/** The file's name in the attempt's folder. */
export const RESULT_FILE = "result.json";

/** What result.json holds. */
export interface AttemptResultFile {
  ok: true;
  /** The task process's pid (its process group's id) and start time, to reap what it left. */
  pid: number;
  pid_start?: string;
  started_at: string;
  ended_at: string;
  values: Record<string, unknown>;
  tables: Record<string, TableRecord>;
}

/**
 * Writes result.json into `attemptDir` (temporary file, then rename), secrets masked.
 *
 * @example
 * ```ts
 * writeResultFile("/ws/runs/r1/tasks/a/attempt-1", { ok: true, started_at, ended_at, values: { rows: 3 }, tables: {} }, ["s3cret"]);
 * ```
 */
export function writeResultFile(attemptDir: string, result: Omit<AttemptResultFile, "pid" | "pid_start">, secrets: readonly string[]): void {
  const file = path.join(attemptDir, RESULT_FILE);
  const start = processStartTime(process.pid);
  const full: AttemptResultFile = { ...result, pid: process.pid, ...(start === undefined ? {} : { pid_start: start }) };
  const tmp = `${file}.tmp-${process.pid}-1`;
  writeFileSync(tmp, JSON.stringify(createMasker(secrets).json(full)));
  renameSync(tmp, file);
}
