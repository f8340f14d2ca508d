/**
 * The messages between the executor (parent) and an attempt's child process, over Node's IPC
 * channel (JSON serialization). Type-only: both sides import it without run-time cost.
 */
import type { TableRecord } from "../workspace/records.js";

/** Parent → child, once, right after spawning: everything the attempt needs. */
export interface InitMessage {
  type: "init";
  /** Absolute path of the bundled task module (ESM). */
  bundle: string;
  /** The task's module as the user named it (for messages), and the export to run. */
  module: string;
  export: string;
  params: Record<string, unknown>;
  job: { name: string; run_id: string; env: string; attempt: number };
  task_key: string;
  values: Record<string, Record<string, unknown>>;
  tables: Record<string, Record<string, string>>;
  attemptDir: string;
  /** How the child imports apache-arrow: the URL the task's own bundle uses, or the bare name. */
  arrow: string;
}

/** Parent → child: the attempt is being stopped; SIGTERM follows at once. */
export interface AbortMessage {
  type: "abort";
  reason: "timeout" | "canceled";
}

/** Parent → child. */
export type ParentMessage = InitMessage | AbortMessage;

/** Child → parent. */
export type ChildMessage =
  | { type: "log"; level: "info" | "warn" | "error"; message: string; at: string }
  | { type: "progress"; fraction: number; message?: string; at: string }
  | { type: "value"; name: string; value: unknown }
  | { type: "table"; name: string; record: TableRecord }
  | { type: "error"; reason: "threw" | "spawn"; name: string; message: string; stack?: string }
  | { type: "done" };
