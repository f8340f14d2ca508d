import { close, closeSync, fsync, fsyncSync, open, openSync, rename, renameSync, rm, rmSync, write, writeSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

// The callback API, not node:fs/promises: this module is bundled into every task's process too,
// which then need not load fs/promises (and what it pulls in) to start.
const openAsync = promisify(open);
const writeAsync = promisify(write);
const fsyncAsync = promisify(fsync);
const closeAsync = promisify(close);
const renameAsync = promisify(rename);
const rmAsync = promisify(rm);

let counter = 0;

/**
 * Writes a file atomically: the bytes go to a temporary file beside it, are fsync'ed, and the
 * temporary file is renamed over the target (then the folder is fsync'ed so the rename is
 * durable). A crash at any point leaves either the old or the new content, never a mix.
 *
 * @example
 * ```ts
 * writeFileAtomic(".dagship/dev/runs/r1/run.json", JSON.stringify(record));
 * ```
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}-${++counter}`;
  let fd = openSync(tmp, "w", 0o644);
  try {
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

/**
 * {@link writeFileAtomic} off the event loop: the same temporary file, fsync, rename and folder
 * fsync, run on libuv's thread pool, so a process that writes often (the runner saving its run
 * record) keeps serving its event loop while the disk syncs. Same guarantee: a crash at any point
 * leaves either the old or the new content.
 *
 * @example
 * ```ts
 * await writeFileAtomicAsync(".dagship/dev/runs/r1/run.json", JSON.stringify(record));
 * ```
 */
export async function writeFileAtomicAsync(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${++counter}`;
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  const fd = await openAsync(tmp, "w", 0o644);
  try {
    for (let off = 0; off < bytes.length; ) off += (await writeAsync(fd, bytes, off, bytes.length - off)).bytesWritten;
    await fsyncAsync(fd);
  } catch (error) {
    await closeAsync(fd).catch(() => undefined);
    await rmAsync(tmp, { force: true });
    throw error;
  }
  await closeAsync(fd);
  await renameAsync(tmp, file);
  await fsyncDirAsync(path.dirname(file));
}

/** {@link fsyncDir} on the thread pool. */
async function fsyncDirAsync(dir: string): Promise<void> {
  let fd: number | undefined;
  try {
    fd = await openAsync(dir, "r");
    await fsyncAsync(fd);
  } catch {
    // Some file systems refuse fsync on folders; the rename itself is still atomic there.
  } finally {
    if (fd !== undefined) await closeAsync(fd).catch(() => undefined);
  }
}

/** fsyncs a folder so that a rename or a new entry in it survives a crash. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on folders; the rename itself is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes JSON atomically (pretty-printed, newline-terminated). */
export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + "\n");
}
