/**
 * Typed errors thrown by dagship library code. The CLI's single top-level handler maps
 * them to a message and an exit code; nothing below the CLI prints or exits.
 *
 * @example
 * ```ts
 * throw new ConfigError("DS2002", `no job or path "nope"`, { hint: "known jobs: train, score" });
 * ```
 */
export class DagshipError extends Error {
  /** Stable code, e.g. `DS2001`; documented in docs/errors.md. */
  readonly code: string;
  /** A suggestion for fixing the problem, printed after the message. */
  readonly hint: string | undefined;
  /** The process exit code the CLI uses for this error. */
  readonly exitCode: number;

  constructor(code: string, message: string, options: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }
}

/**
 * Bad command-line usage: unknown command or flag, missing argument. Exit code 2.
 *
 * @example
 * ```ts
 * throw new UsageError(`unknown flag "--jsno"`, { hint: `did you mean "--json"?` });
 * ```
 */
export class UsageError extends DagshipError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super("DS2001", message, { ...options, exitCode: 2 });
  }
}

/**
 * Bad configuration or an unreadable input: a path that does not exist, an unknown job,
 * a file that cannot be read. Exit code 2.
 *
 * @example
 * ```ts
 * throw new ConfigError("DS2003", `cannot read "jobs/a/job.json": permission denied`);
 * ```
 */
export class ConfigError extends DagshipError {
  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, { ...options, exitCode: 2 });
  }
}
