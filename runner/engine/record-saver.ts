import { outputsFlushed } from "../executors/flushes.js";
import type { RunRecord } from "../workspace/records.js";
import type { RunStore } from "../workspace/store.js";

/** The least time between the starts of two writes of a run's record. */
export const SAVE_SPACING_MS = 100;

/** Saves a run's record in the background; see {@link recordSaver}. */
export interface RecordSaver {
  /** Saves what the record holds now: at once, or as soon as the spacing between writes allows. */
  now(): void;
  /** Saves within {@link SAVE_SPACING_MS} (running states, progress: a final state usually follows). */
  soon(): void;
  /** Throws the error of a failed write, if any. */
  check(): void;
  /** Writes what is pending at once and waits until it is on disk; throws the error of a failed write. */
  flush(): Promise<void>;
}

/**
 * The engine's record saver. Each write is atomic (temporary file, fsync, rename) and runs on the
 * thread pool, so tasks keep being started and supervised while the disk syncs. Writes never
 * overlap and start at least {@link SAVE_SPACING_MS} apart: changes made meanwhile (many task
 * ends of a busy run) go to disk together in the next write, so the record on disk only moves
 * forward and a run of many short tasks does not rewrite its record for every one of them. A
 * final state reaches the disk within about that spacing, after the logs of the attempts that
 * ended and the tables of those that succeeded (see {@link outputsFlushed}). What a crash can lose is the changes
 * not yet written: a task that ended in that window is seen as interrupted and rerun by
 * `dagship repair`, as if the crash had come a moment earlier.
 *
 * @example
 * ```ts
 * const saver = recordSaver(store, record);
 * record.tasks.a!.state = "SUCCESS";
 * saver.now();
 * await saver.flush(); // run.json holds the SUCCESS
 * ```
 */
export function recordSaver(store: RunStore, record: RunRecord): RecordSaver {
  let dirty = false;
  let writing: Promise<void> | undefined;
  let failed: { error: unknown } | undefined;
  let lastWrite = Number.NEGATIVE_INFINITY;
  let soonTimer: NodeJS.Timeout | undefined;
  let flushing = false;
  /** Ends the current wait between two writes early (flush). */
  let hurry: (() => void) | undefined;

  const spacing = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        hurry = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      hurry = done;
    });
  const write = async () => {
    while (dirty) {
      const wait = lastWrite + SAVE_SPACING_MS - performance.now();
      if (wait > 0 && !flushing) await spacing(wait);
      dirty = false;
      lastWrite = performance.now();
      try {
        // The logs of the attempts this record says ended, and their tables, go to disk before it.
        await store.saveAsync(record, outputsFlushed());
      } catch (error) {
        failed ??= { error };
      }
    }
    writing = undefined;
  };
  const now = () => {
    clearTimeout(soonTimer);
    soonTimer = undefined;
    dirty = true;
    writing ??= write();
  };
  const check = () => {
    if (failed) throw failed.error;
  };
  return {
    now,
    soon: () => void (soonTimer ??= setTimeout(now, SAVE_SPACING_MS)),
    check,
    async flush() {
      flushing = true;
      if (soonTimer) now();
      hurry?.();
      await writing;
      flushing = false;
      check();
    },
  };
}
