/**
 * What a run report shows: everything the page needs, gathered from the run store by
 * ./gather.ts and embedded in the page as JSON. Types only, so the page's own code (./page/)
 * shares them without pulling in Node.
 */
import type { ModelReport } from "../models/model-report.js";

/** One attempt of a task, as the timeline draws it. */
export interface ReportAttempt {
  n: number;
  state: string;
  started_at: string;
  ended_at?: string;
  duration_ms?: number;
  /** The typed error of a failed attempt: what happened, the process's exit code or signal, the stderr tail. */
  error?: { reason: string; name?: string; message: string; exit_code: number | null; signal: string | null; stderr_tail: string };
  /** The last lines of the attempt's log (absent when there is no log or the size budget was spent). */
  log_tail?: string;
  /** Why `log_tail` is missing although the attempt has a log. */
  log_note?: string;
  /** The log file, relative to the run folder. */
  log?: string;
}

/** A table a task wrote: its schema and row count, read from the Arrow IPC file's footer. */
export interface ReportTable {
  name: string;
  path: string;
  rows: number;
  bytes: number;
  batches?: number;
  schema: Array<{ name: string; type: string; nullable?: boolean }>;
  /** Where the figures come from: the file's footer, or only the run record (file missing or unreadable). */
  source: "footer" | "record";
  note?: string;
}

/** One task of the run. */
export interface ReportTask {
  key: string;
  state: string;
  /** `ts_task module#export`, `condition left op right`, `run_job_task job`. */
  kind?: string;
  depends_on: Array<{ task_key: string; outcome?: string }>;
  run_if?: string;
  attempts: ReportAttempt[];
  duration_ms: number;
  /** The task's values, as JSON text (pretty-printed; cut to the size budget, see `values_note`). */
  values: string;
  values_note?: string;
  tables: ReportTable[];
  outcome?: string;
  child_run_id?: string;
  source_run_id?: string;
}

/** A model version the run registered, with its metrics against the champion's and the gate decision. */
export type ReportModel = ModelReport;

/** The whole report. */
export interface ReportData {
  /** Format version of this object. */
  format: 1;
  run_id: string;
  job: string;
  env: string;
  namespace?: string;
  state: string;
  interrupted?: boolean;
  started_at: string;
  ended_at?: string;
  duration_ms?: number;
  parameters: Record<string, string>;
  source: { kind: string; file: string; deployment_id?: string; seq?: number; git_sha?: string };
  parent_run_id?: string;
  repairs?: string[];
  error?: string;
  /** Tasks in the job's order. */
  tasks: ReportTask[];
  models: ReportModel[];
  generated_at: string;
  dagship_version: string;
}
