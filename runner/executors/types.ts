import type { TableRecord, TaskError } from "../workspace/records.js";

/**
 * Everything one attempt of a ts_task needs. The executor runs it in its own child process (its
 * own process group), and never throws for a task's failure: it returns a typed result.
 */
export interface AttemptRequest {
  /** Absolute path of the TypeScript/JavaScript module and the export to run. */
  module: string;
  export: string;
  /** Set when `module` is already a bundle (a deployed job's task): it runs as is. */
  bundled?: { externals: Record<string, string> };
  /** Parameters with run-time references already resolved. */
  params: Record<string, unknown>;
  job: { name: string; run_id: string; env: string; attempt: number };
  task_key: string;
  /** Absolute folder for this attempt's files (log, tables); created by the executor. */
  attemptDir: string;
  /** Absolute path of the repository root (bundling resolves imports inside it). */
  root: string;
  /** Absolute folder where bundled task code is cached by content hash. */
  cacheDir: string;
  /** Values of every task that finished before this attempt started, by task key. */
  values: Record<string, Record<string, unknown>>;
  /** Tables of those tasks: absolute paths of Arrow IPC files, by task key then table name. */
  tables: Record<string, Record<string, string>>;
  /** 0 means no timeout. */
  timeoutMs: number;
  /** Aborted when the run is canceled. */
  signal: AbortSignal;
  /** Absolute path of the environment's workspace: enables `ctx.models` (its registry). */
  workspace?: string;
  /** The deployment the run is of (null or absent: a run of the working tree), for model lineage. */
  deployment_id?: string | null;
  /** The commit the run's code came from, for model lineage. */
  git_sha?: string | null;
  /** Extra environment variables for the task (the environment's secrets). */
  env: Record<string, string>;
  /** Strings to mask (secret values) in everything the executor writes or reports. */
  secrets: string[];
  /** Live feedback; optional. */
  onLog?(line: { level: "info" | "warn" | "error"; message: string; at: string }): void;
  onProgress?(fraction: number, message?: string): void;
  /** Called once the process is spawned, with its pid (= its process group id). */
  onSpawn?(pid: number): void;
}

/** What an attempt produced. Values are JSON (≤ 48 KiB each); tables are relative to `attemptDir`. */
export type AttemptResult =
  | { ok: true; values: Record<string, unknown>; tables: Record<string, TableRecord>; duration_ms: number; log: string }
  | { ok: false; error: TaskError; values: Record<string, unknown>; tables: Record<string, TableRecord>; duration_ms: number; log: string };

/** Runs one attempt of a ts_task. */
export type Executor = (request: AttemptRequest) => Promise<AttemptResult>;
