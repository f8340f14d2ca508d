import type { Executor } from "../executors/types.js";
import type { CompiledJob } from "../spec/compiled.js";
import type { EnvironmentContext } from "../workspace/environment.js";
import type { RunRecord, TaskState } from "../workspace/records.js";
import type { RunStore } from "../workspace/store.js";

/** What the engine reports while a run goes on (for live output). */
export type EngineEvent =
  | { type: "task"; key: string; state: TaskState; attempt?: number; error?: string }
  | { type: "progress"; key: string; fraction: number; message?: string }
  | { type: "log"; key: string; level: "info" | "warn" | "error"; message: string; at: string };

/** Starts a child run of another job (run_job_task) and returns its finished record. */
export type ChildRunStarter = (request: { job: string; parameters: Record<string, string>; parentRunId: string; signal: AbortSignal }) => Promise<RunRecord>;

/** Everything {@link executeRun} needs. */
export interface EngineOptions {
  job: CompiledJob;
  /** The run's record: tasks already PENDING, EXCLUDED (with values) or, on repair, kept SUCCESS. */
  record: RunRecord;
  runDir: string;
  env: EnvironmentContext;
  store: RunStore;
  executor: Executor;
  concurrency: number;
  /** Aborted to cancel the run. */
  signal: AbortSignal;
  startChildRun: ChildRunStarter;
  onEvent?(event: EngineEvent): void;
}
