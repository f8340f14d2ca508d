import { DagshipError } from "../errors.js";
import { acquireLock } from "../workspace/lock.js";

/** How long registering or importing waits for a model's version lock. */
export const VERSION_LOCK_TIMEOUT_MS = 120_000;
/** How long an alias move or a promotion waits for a model's alias lock (a gate's evaluation holds it). */
export const ALIAS_LOCK_TIMEOUT_MS = 15 * 60_000;

/**
 * Runs `fn` holding the lock file `file` (a dead holder's lock is taken over). Waiting longer than
 * `timeoutMs` is a {@link DagshipError} `DS2022` (exit 1).
 *
 * @example
 * ```ts
 * await withLock(paths.versionsLock, VERSION_LOCK_TIMEOUT_MS, async () => { ... });
 * ```
 */
export async function withLock<T>(file: string, timeoutMs: number, fn: () => Promise<T> | T): Promise<T> {
  let release: () => void;
  try {
    release = await acquireLock(file, timeoutMs);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("timed out waiting for the lock")) {
      throw new DagshipError("DS2022", `the model registry is busy: ${error.message}`, { hint: "another registration or promotion of this model is running; retry when it has ended", cause: error });
    }
    throw error;
  }
  try {
    return await fn();
  } finally {
    release();
  }
}
