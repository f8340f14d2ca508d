/**
 * What `dagship doctor` works with: the problems its checks find (each with a stable code, the
 * path, what is wrong and a hint) and, for the ones that are safe to repair, how to repair them.
 */

/** The codes of the problems doctor reports (documented in docs/errors.md). */
export const DOCTOR_CODES = {
  /** A record does not parse, or is not the shape dagship writes. */
  unreadable: "DS2050",
  /** A file does not match the sha256 its manifest or meta records, or is missing. */
  checksum: "DS2051",
  /** An alias names a version the registry does not hold. */
  danglingAlias: "DS2052",
  /** A namespace's current deployment names a bundle or history record that does not exist. */
  danglingDeployment: "DS2053",
  /** A temporary file or folder left by a write that was interrupted. */
  strayTemp: "DS2054",
  /** A lock file whose holder is dead. */
  deadLock: "DS2055",
  /** A run recorded as running whose runner is dead. */
  deadRunner: "DS2056",
  /** A file or folder of the workspace that cannot be read at all. */
  unreadableDir: "DS2057",
} as const;

/** A safe, automatic repair of one problem (applied by `doctor --fix`). */
export interface Fix {
  /** What the fix does, e.g. "removed the temporary file". */
  action: string;
  apply(): void;
}

/** One problem found in a workspace. */
export interface Problem {
  code: (typeof DOCTOR_CODES)[keyof typeof DOCTOR_CODES];
  /** The check that found it, e.g. "runs". */
  check: string;
  /** Absolute path of the file or folder. */
  path: string;
  message: string;
  hint: string;
  /** Present when `--fix` may repair it; absent when it is left for a human. */
  fix?: Fix;
}

/** What every check sees. */
export interface DoctorContext {
  /** Absolute path of the environment's workspace. */
  workspace: string;
  /** The environment's name (for messages and the model registry). */
  env: string | null;
  /** Now, in ms (tests pin it). */
  now: number;
  /** How old a stray temporary file or unreadable lock must be before `--fix` removes it. */
  staleMs: number;
}

/**
 * One check of a workspace: returns every problem it finds, never throws for a damaged workspace.
 *
 * @example
 * ```ts
 * const check: DoctorCheck = { name: "locks", run: (ctx) => findDeadLocks(ctx) };
 * ```
 */
export interface DoctorCheck {
  name: string;
  run(ctx: DoctorContext): Problem[];
}
