/**
 * Ingestion checkpoints, Auto Loader trigger-once style: a job reads the files that are not in
 * its checkpoint, and its last task commits them to the checkpoint only when everything before it
 * succeeded. A failed run leaves the checkpoint as it was, so the next run takes the same files
 * again. The file (`<data>/checkpoints/<name>.json`) is replaced atomically.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import path from "node:path";

/** What a checkpoint records. */
export interface Checkpoint {
  /** Every file (batch id) ingested by a successful run, sorted. */
  batches: string[];
  /** The run that committed last, and when (null before the first commit). */
  run_id: string | null;
  committed_at: string | null;
}

/** A checkpoint that cannot be used (bad name, unreadable or malformed file). */
export class CheckpointError extends Error {
  override readonly name = "CheckpointError";
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * The checkpoint file of `name` in a data folder.
 *
 * @example
 * ```ts
 * checkpointFile(".dagship/dev/data", "retrain"); // ".dagship/dev/data/checkpoints/retrain.json"
 * ```
 */
export function checkpointFile(dataDir: string, name: string): string {
  if (!NAME.test(name)) throw new CheckpointError(`checkpoint name ${JSON.stringify(name)} must be 1–128 letters, digits, "_", "." or "-"`);
  return path.join(dataDir, "checkpoints", `${name}.json`);
}

/**
 * Reads a checkpoint; a missing file is an empty one.
 *
 * @example
 * ```ts
 * const seen = new Set(readCheckpoint(file).batches);
 * ```
 */
export function readCheckpoint(file: string): Checkpoint {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { batches: [], run_id: null, committed_at: null };
    throw new CheckpointError(`cannot read checkpoint ${file}: ${(error as Error).message}`);
  }
  let value: Partial<Checkpoint>;
  try {
    value = JSON.parse(text) as Partial<Checkpoint>;
  } catch (error) {
    throw new CheckpointError(`checkpoint ${file} is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(value.batches) || !value.batches.every((b) => typeof b === "string")) throw new CheckpointError(`checkpoint ${file} has no "batches" list of strings`);
  return { batches: value.batches, run_id: value.run_id ?? null, committed_at: value.committed_at ?? null };
}

/**
 * Adds `batches` to the checkpoint and replaces the file atomically (written beside, fsync'ed,
 * renamed, folder fsync'ed). Returns the new checkpoint.
 *
 * @example
 * ```ts
 * commitCheckpoint(file, ["batch-000003"], ctx.job.run_id);
 * ```
 */
export function commitCheckpoint(file: string, batches: readonly string[], runId: string): Checkpoint {
  const current = readCheckpoint(file);
  const next: Checkpoint = { batches: [...new Set([...current.batches, ...batches])].sort(), run_id: runId, committed_at: new Date().toISOString() };
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}`);
  const bytes = Buffer.from(JSON.stringify(next, null, 2) + "\n");
  const fd = openSync(tmp, "w", 0o644);
  try {
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  const dirFd = openSync(dir, "r");
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
  return next;
}
