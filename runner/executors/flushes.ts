/**
 * Attempt outputs on their way to disk. An attempt's log and its tables are written while it
 * runs but made durable (fsync) afterwards, in the background, on libuv's thread pool: neither
 * the attempt nor the tasks that depend on it wait for the disk. The run record waits instead
 * (see ../engine/record-saver.ts): a record never says an attempt ended, or succeeded, before its
 * log and its tables are on disk. A crash before that leaves a record in which the attempt has
 * not ended, and `dagship repair` runs it again.
 */
import { close, fdatasync, fsync, open } from "node:fs";
import path from "node:path";

/** Flushes started and not yet finished. */
const pending = new Set<Promise<void>>();

/** What an fsync answers on a file system that cannot sync (the data is as safe as it gets there). */
const UNSYNCABLE = new Set(["EINVAL", "ENOTSUP", "EOPNOTSUPP", "EROFS"]);

/**
 * A table file that could not be made durable (an I/O error on fsync): the run record must not
 * say its task succeeded, so the record's next write fails with this error.
 *
 * @example
 * ```ts
 * try { await outputsFlushed(); } catch (e) { if (e instanceof FlushError) console.error(e.file); }
 * ```
 */
export class FlushError extends Error {
  override name = "FlushError";
  constructor(
    readonly file: string,
    cause: NodeJS.ErrnoException,
  ) {
    super(`could not make ${file} durable: ${cause.code ?? cause.message}`, { cause });
  }
}

/**
 * Tracks a flush until it settles; {@link outputsFlushed} waits for it.
 *
 * @example
 * ```ts
 * track(new Promise<void>((resolve) => fsync(fd, () => resolve())));
 * ```
 */
export function track(flush: Promise<void>): void {
  pending.add(flush);
  const forget = () => void pending.delete(flush);
  flush.then(forget, forget);
}

/**
 * Resolves once every flush started so far has finished; rejects with the error of a table flush
 * that failed.
 *
 * @example
 * ```ts
 * await store.saveAsync(record, outputsFlushed()); // the record goes to disk after the outputs it names
 * ```
 */
export function outputsFlushed(): Promise<void> {
  return pending.size === 0 ? Promise.resolve() : Promise.all(pending).then(() => undefined);
}

/**
 * Makes files written (and renamed into place) by a task durable: fdatasync of each file, then
 * fsync of each folder holding them, so their names survive a crash too. Tracked (see
 * {@link track}); the returned promise is the same flush.
 *
 * @example
 * ```ts
 * flushFiles(["/ws/runs/r1/a/1/tables/rows.arrow"]);
 * ```
 */
export function flushFiles(files: readonly string[]): Promise<void> {
  const flush = (async () => {
    await Promise.all(files.map((file) => syncPath(file, true)));
    await Promise.all([...new Set(files.map((file) => path.dirname(file)))].map((dir) => syncPath(dir, false)));
  })();
  track(flush);
  return flush;
}

/** fdatasync (a file) or fsync (a folder) of one path; a file system that cannot sync is not an error. */
function syncPath(file: string, data: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => (UNSYNCABLE.has(error.code ?? "") ? resolve() : reject(new FlushError(file, error)));
    open(file, "r", (error, fd) => {
      if (error) return fail(error);
      (data ? fdatasync : fsync)(fd, (syncError) => close(fd, () => (syncError ? fail(syncError) : resolve())));
    });
  });
}
