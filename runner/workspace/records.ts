/**
 * The durable records of a run, as stored in `<workspace>/runs/<run_id>/run.json` and printed by
 * `run`, `status` and `repair --json` (the contract's shape, with more fields).
 */
export const RUN_STATES = ["PENDING", "RUNNING", "SUCCESS", "FAILED", "CANCELED", "TIMEDOUT"] as const;
export const TASK_STATES = ["PENDING", "RUNNING", "SUCCESS", "FAILED", "TIMEDOUT", "CANCELED", "SKIPPED", "UPSTREAM_FAILED", "EXCLUDED"] as const;

export type RunState = (typeof RUN_STATES)[number];
export type TaskState = (typeof TASK_STATES)[number];

/**
 * Why a task attempt failed: a typed error, never a bare string. `reason` says what happened;
 * `exit_code` / `signal` are the process's; `stderr_tail` the last lines it printed.
 */
export interface TaskError {
  reason: "threw" | "exited" | "timeout" | "canceled" | "spawn" | "interrupted";
  message: string;
  /** The error's class name when the task threw (e.g. "TypeError"). */
  name?: string;
  stack?: string;
  exit_code: number | null;
  signal: string | null;
  stderr_tail: string;
}

/** A table a task wrote: an Arrow IPC file, relative to the run folder (or absolute for another run's). */
export interface TableRecord {
  path: string;
  rows: number;
  bytes: number;
  schema: Array<{ name: string; type: string }>;
}

export interface AttemptRecord {
  n: number;
  state: TaskState;
  started_at: string;
  ended_at?: string;
  duration_ms?: number;
  error?: TaskError;
  /** The attempt's process (its process group id is the same): kept to reap it after a crash. */
  pid?: number;
  /** The process's start time (/proc), so a reused pid is never mistaken for it. */
  pid_start?: string;
  /** The attempt's log file, relative to the run folder. */
  log?: string;
}

export interface TaskRecord {
  state: TaskState;
  attempts: AttemptRecord[];
  duration_ms: number;
  values: Record<string, unknown>;
  tables: Record<string, TableRecord>;
  /** The outcome of a condition_task: "true" or "false". */
  outcome?: "true" | "false";
  /** The child run of a run_job_task. */
  child_run_id?: string;
  /** For EXCLUDED tasks: the run their values and tables come from, and the state they had there. */
  source_run_id?: string;
  source_state?: TaskState;
  progress?: { fraction: number; message?: string };
}

export interface RunRecord {
  run_id: string;
  job: string;
  env: string;
  state: RunState;
  started_at: string;
  ended_at?: string;
  duration_ms?: number;
  parameters: Record<string, string>;
  tasks: Record<string, TaskRecord>;
  /** The process that drives the run; a RUNNING run whose runner is gone was interrupted. */
  runner: { pid: number; host: string; started_at: string; /** /proc start time, to detect pid reuse. */ start?: string };
  /** Set when the runner died mid-run (found by the next command that opened it). */
  interrupted?: boolean;
  parent_run_id?: string;
  /** When `repair` resumed this run, in order. */
  repairs?: string[];
  selection?: { tasks: string[]; from?: string };
  /** Where the job came from: the working tree or a deployment (its bundle, and which deployment). */
  source: { kind: "working_tree" | "deployment"; file: string; deployment_id?: string; seq?: number; /** The commit the job's code came from (the deployment's, or the checkout's HEAD). */ git_sha?: string };
  /** The namespace of a run of a deployed job (a branch's, in an environment with isolation: branch). */
  namespace?: string;
  error?: string;
}
