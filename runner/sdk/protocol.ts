/**
 * The messages between the executor (parent) and an attempt's child process, as lines of JSON
 * on one extra pipe of the child, {@link CHANNEL_FD} (no Node IPC channel, and nothing the child
 * must load to use the pipe: the child reads and writes it with plain blocking system calls).
 *
 * - Parent → child: the init message, then the end of the file. The child reads it before its
 *   event loop starts.
 * - Child → parent: log lines, progress, values, tables, the outcome. The child writes each
 *   message whole and synchronously, so none is lost when it exits right after.
 *
 * Stopping an attempt is signals, not messages: the parent writes why (`timeout` or `canceled`)
 * to {@link ABORT_FILE} in the attempt's folder, then sends SIGTERM to the process group; the
 * child's SIGTERM handler reads the file, so `ctx.signal` says why. The child watches its parent
 * process: when the runner is gone, it kills its own process group.
 *
 * Both sides import this module; it holds the types, the descriptor, the file name and the line
 * framing.
 */
import type { TableRecord } from "../workspace/records.js";

/** The child's descriptor of the pipe to the parent. */
export const CHANNEL_FD = 3;
/** The file in the attempt's folder that says why the attempt is being stopped. */
export const ABORT_FILE = "abort";

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
  /** What `ctx.models` needs (absent: the task has no model registry, e.g. in a context built by hand). */
  models?: ModelRuntime;
  /** The environment variables that hold the environment's secrets (names only): tables must not hold their values. */
  secret_env?: string[];
  /** The runner's pid: the child ends its process group once its parent is another process (absent: its first parent). */
  runner?: number;
}

/** The run's model registry and provenance, for `ctx.models`. */
export interface ModelRuntime {
  /** URL of the registry module (`dist/runner/models/index.js`), imported on first use only. */
  module: string;
  /** Absolute path of the environment's workspace (its registry is `<workspace>/models`). */
  workspace: string;
  /** The deployment the run is of (null: a run of the working tree). */
  deployment_id: string | null;
  /** The commit the run's code came from (null: unknown). */
  git_sha: string | null;
  /** How the child imports onnxruntime-node: the URL the task's own bundle uses, or the bare name. */
  ort: string;
}

/** Why an attempt is stopped (the content of {@link ABORT_FILE}). */
export type AbortReason = "timeout" | "canceled";

/** Child → parent. */
export type ChildMessage =
  | { type: "log"; level: "info" | "warn" | "error"; message: string; at: string }
  | { type: "progress"; fraction: number; message?: string; at: string }
  | { type: "value"; name: string; value: unknown }
  | { type: "table"; name: string; record: TableRecord }
  | { type: "error"; reason: "threw" | "spawn"; name: string; message: string; stack?: string }
  | { type: "done" };

/** One message as one line (JSON never holds a raw newline). */
export function encodeMessage(message: InitMessage | ChildMessage): string {
  return `${JSON.stringify(message)}\n`;
}

/**
 * Reassembles lines of JSON from chunks of text (a message may arrive in several chunks, or
 * several in one) and hands every object to `onMessage`. A line that is not a JSON object (not
 * from dagship: a task's code may write to the descriptor too) is skipped.
 *
 * @example
 * ```ts
 * const lines = messageLines<ChildMessage>((m) => console.log(m.type));
 * lines.push('{"type":"do'); lines.push('ne"}\n'); // logs "done"
 * ```
 */
export function messageLines<T extends { type: string }>(onMessage: (message: T) => void): { push(text: string): void } {
  let pending: string[] = [];
  return {
    push(text) {
      let start = 0;
      let nl: number;
      while ((nl = text.indexOf("\n", start)) >= 0) {
        pending.push(text.slice(start, nl));
        start = nl + 1;
        const line = pending.join("");
        pending = [];
        let message: unknown;
        try {
          message = JSON.parse(line);
        } catch {
          continue;
        }
        if (typeof message === "object" && message !== null && typeof (message as T).type === "string") onMessage(message as T);
      }
      if (start < text.length) pending.push(text.slice(start));
    },
  };
}
