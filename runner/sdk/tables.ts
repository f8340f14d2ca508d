/**
 * Arrow tables on disk, for `ctx.tables` in an attempt's child process: writing a table as an
 * Arrow IPC *file* without building the file in memory, and reading one back without copying it
 * (mapped into memory; or, without the native helper, one read into one buffer), apache-arrow's
 * vectors being views over it.
 *
 * apache-arrow is passed in, not imported: the child loads the very copy the task's bundle uses
 * (so `instanceof Table` holds in the task) and only when a task touches `ctx.tables`.
 */
import { closeSync, fdatasync, fsyncSync, openSync, renameSync, rmSync, writevSync } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import type { RecordBatch, Table } from "apache-arrow";
import { fsyncDir } from "../workspace/atomic.js";
import { mapFileAddon } from "./map-file.js";
import { refuseSecrets, type SecretPattern } from "./table-secrets.js";

export { TableSecretError, type SecretPattern } from "./table-secrets.js";

type Arrow = typeof import("apache-arrow");

/** "ARROW1": the first and last six bytes of an Arrow IPC file. */
const MAGIC = Buffer.from("ARROW1");
/** Chunks are handed to the kernel in groups this large (or {@link GROUP_CHUNKS} long), one writev each. */
const GROUP_BYTES = 8 * 1024 * 1024;
const GROUP_CHUNKS = 256;
/** A large table's file is flushed to disk every this many bytes while it is written. */
const FLUSH_BYTES = 64 * 1024 * 1024;
/** The most one read(2) call is asked for (Linux caps a call at a little under 2 GiB). */
const READ_STEP = 1024 * 1024 * 1024;
/** A file is read in this many slices at once (libuv's thread pool has 4 threads)... */
const READ_PARTS = 4;
/** ...each at least this large: a small file is read in one go. */
const READ_PART_MIN = 16 * 1024 * 1024;

let counter = 0;

/**
 * A table file that cannot be found: no such table recorded for the task, or its file is gone.
 *
 * @example
 * ```ts
 * try { await ctx.tables.read("prep", "rows"); }
 * catch (error) { if ((error as Error).name === "TableNotFoundError") ctx.log.warn("no rows yet"); else throw error; }
 * ```
 */
export class TableNotFoundError extends Error {
  override name = "TableNotFoundError";
}

/**
 * A table that cannot be written as an Arrow IPC file, or a file that is not one (truncated,
 * corrupted, another format). `cause` holds apache-arrow's own error when there is one.
 *
 * @example
 * ```ts
 * // The Arrow IPC file format keeps one dictionary per column: batches whose dictionaries differ
 * // (two `tableFromArrays` results concatenated) throw TableFormatError from tables.write.
 * await ctx.tables.write("labels", a.concat(b));
 * ```
 */
export class TableFormatError extends Error {
  override name = "TableFormatError";
}

/**
 * Writes `table` to `file` as an Arrow IPC file, atomically: the record batches stream from
 * apache-arrow's RecordBatchFileWriter straight to a temporary file beside `file` (its chunks
 * are views of the table's own buffers: nothing is copied in memory), which is fsync'ed and
 * renamed over `file`. While a large file is written its first parts are already flushed to disk
 * (every `options.flushBytes`, 64 MiB by default; see {@link earlyFlush}), so the final fsync has
 * little left to wait for. With `durable: false` the file is renamed into place unsynced, for a
 * caller that syncs it later (a task's tables are synced by the runner once the attempt ends,
 * before the run record says it succeeded). Returns the file's size in bytes.
 *
 * @example
 * ```ts
 * const arrow = await import("apache-arrow");
 * const bytes = await writeTableFile(arrow, "/runs/r1/write/1/tables/orders.arrow", table);
 * ```
 */
export async function writeTableFile(
  arrow: Arrow,
  file: string,
  table: Table,
  options: { flushBytes?: number; durable?: boolean; secrets?: readonly SecretPattern[] } = {},
): Promise<number> {
  const durable = options.durable ?? true;
  const secrets = options.secrets ?? [];
  let writer: InstanceType<Arrow["RecordBatchFileWriter"]>;
  try {
    // Assembles every batch's message: metadata plus views of the column buffers, queued in order.
    writer = arrow.RecordBatchFileWriter.writeAll(table);
  } catch (error) {
    throw new TableFormatError(`cannot write the table as an Arrow IPC file: ${(error as Error).message}`, { cause: error });
  }
  const tmp = `${file}.tmp-${process.pid}-${++counter}`;
  const fd = openSync(tmp, "w", 0o644);
  const flush = earlyFlush(fd, durable ? (options.flushBytes ?? FLUSH_BYTES) : Number.POSITIVE_INFINITY);
  let bytes = 0;
  try {
    let group: Uint8Array[] = [];
    let groupBytes = 0;
    for await (const chunk of writer) {
      // Each chunk is one message header (schema, names, metadata) or one whole column buffer, so
      // a value lies within one chunk. Checked before any byte of it reaches the file.
      if (secrets.length > 0) refuseSecrets(chunk, secrets);
      // A column buffer can be hundreds of MB: in slices, so that flushing starts early.
      for (let off = 0; off < chunk.byteLength; off += GROUP_BYTES) {
        const slice = chunk.subarray(off, off + GROUP_BYTES);
        group.push(slice);
        groupBytes += slice.byteLength;
        if (groupBytes >= GROUP_BYTES || group.length >= GROUP_CHUNKS) {
          bytes += writeChunks(fd, group);
          group = [];
          groupBytes = 0;
          await flush.written(bytes);
        }
      }
    }
    bytes += writeChunks(fd, group);
    await flush.done();
    if (durable) fsyncSync(fd);
  } catch (error) {
    await flush.done().catch(() => undefined); // never close the fd under a running fdatasync
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(tmp, file);
  if (durable) fsyncDir(path.dirname(file));
  return bytes;
}

/**
 * Flushes a file being written to disk as it grows: every `every` bytes written, an
 * fdatasync on libuv's thread pool (one at a time) while the next bytes are copied into the page
 * cache. Writing a large file then overlaps with the disk absorbing it, instead of copying
 * everything first and waiting for one big fsync at the end. `done()` waits for the flush in
 * flight and throws its error, if any (a write-back error is reported once: it must not be lost).
 */
function earlyFlush(fd: number, every: number): { written(total: number): Promise<void>; done(): Promise<void> } {
  let flushedAt = 0;
  let running: Promise<void> | undefined;
  let failure: { error: unknown } | undefined;
  return {
    async written(total) {
      if (total - flushedAt < every) return;
      // Lets the callback of a finished flush run (the write loop itself never yields to I/O).
      await new Promise((resolve) => setImmediate(resolve));
      if (running) return;
      flushedAt = total;
      running = new Promise<void>((resolve) =>
        fdatasync(fd, (error) => {
          if (error) failure ??= { error };
          running = undefined;
          resolve();
        }),
      );
    },
    async done() {
      await running;
      if (failure) throw failure.error;
    },
  };
}

/** Writes every byte of `chunks` at the file's position (one writev per call; partial writes resumed). */
function writeChunks(fd: number, chunks: Uint8Array[]): number {
  let total = 0;
  let i = 0;
  while (i < chunks.length) {
    let n = writevSync(fd, chunks.slice(i, i + GROUP_CHUNKS));
    if (n === 0) throw new Error(`writev wrote nothing (${chunks.length - i} chunks left)`);
    total += n;
    while (i < chunks.length && n >= chunks[i]!.byteLength) n -= chunks[i++]!.byteLength;
    if (n > 0) chunks[i] = chunks[i]!.subarray(n);
  }
  return total;
}

/**
 * Reads an Arrow IPC file into a Table. Where dagship's native helper is built (see map-file.ts)
 * the file is mapped into memory, copy-on-write: apache-arrow's vectors are views of the page
 * cache's own pages, nothing is copied, and a task that writes into a column changes only its own
 * copy. Otherwise (or with `options.map` false) the file goes into one buffer (a large file in up
 * to {@link READ_PARTS} slices read at once on libuv's thread pool) and the vectors are views
 * over it. Either way fixed-width columns, string offsets and bytes are not copied again. Throws
 * {@link TableNotFoundError} when the file does not exist, {@link TableFormatError} when it is not
 * an Arrow IPC file. A mapped file must not be truncated while its table is in use (run folders
 * are never rewritten: each attempt writes its own files).
 *
 * @example
 * ```ts
 * const table = await readTableFile(await import("apache-arrow"), "/runs/r1/write/1/tables/orders.arrow");
 * table.getChild("price")?.toArray(); // a Float64Array over the file's bytes
 * ```
 */
export async function readTableFile(arrow: Arrow, file: string, where = file, options: { map?: boolean } = {}): Promise<Table> {
  const native = options.map === false ? null : mapFileAddon();
  let bytes: Uint8Array;
  if (native) {
    try {
      bytes = new Uint8Array(native.mapFile(file));
    } catch (error) {
      throw notFound(error, file, where);
    }
  } else {
    bytes = await readWhole(file, where);
  }
  checkMagic(bytes, file, where);
  try {
    return arrow.tableFromIPC(bytes);
  } catch (error) {
    throw new TableFormatError(`${where}: ${file} is not a readable Arrow IPC file: ${(error as Error).message}`, { cause: error });
  }
}

/** Reads a whole file into one new buffer, in parallel slices when it is large. */
async function readWhole(file: string, where: string): Promise<Buffer> {
  const handle = await open(file, "r").catch((error: unknown) => {
    throw notFound(error, file, where);
  });
  try {
    const { size } = await handle.stat();
    // Its own ArrayBuffer at offset 0, so every 8-byte-aligned buffer of the file is aligned in memory.
    const bytes = Buffer.allocUnsafeSlow(size);
    const parts = Math.max(1, Math.min(READ_PARTS, Math.floor(size / READ_PART_MIN)));
    const step = Math.ceil(size / parts / 4096) * 4096;
    const slices = Array.from({ length: parts }, (_, i) => [i * step, Math.min(size, (i + 1) * step)] as const);
    await Promise.all(
      slices.map(async ([from, to]) => {
        for (let off = from; off < to; ) {
          const { bytesRead } = await handle.read(bytes, off, Math.min(to - off, READ_STEP), off);
          if (bytesRead === 0) throw new TableFormatError(`${where}: ${file} shrank while it was read (to ${off} of ${size} bytes)`);
          off += bytesRead;
        }
      }),
    );
    return bytes;
  } finally {
    await handle.close();
  }
}

/**
 * Reads an Arrow IPC file one record batch at a time: each batch is read from the file when the
 * loop asks for it, so a table larger than memory can be processed. The file is closed when the
 * loop ends, breaks or throws.
 *
 * @example
 * ```ts
 * for await (const batch of readTableBatches(arrow, file)) total += batch.numRows;
 * ```
 */
export async function* readTableBatches(arrow: Arrow, file: string, where = file): AsyncGenerator<RecordBatch, void, undefined> {
  const handle = await open(file, "r").catch((error: unknown) => {
    throw notFound(error, file, where);
  });
  try {
    const head = Buffer.alloc(MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead < head.length || !head.equals(MAGIC)) {
      throw new TableFormatError(`${where}: ${file} is not an Arrow IPC file (it does not start with "ARROW1")`);
    }
    let reader: Awaited<ReturnType<typeof arrow.RecordBatchReader.from>>;
    try {
      reader = await arrow.RecordBatchReader.from(handle);
    } catch (error) {
      throw new TableFormatError(`${where}: ${file} is not a readable Arrow IPC file: ${(error as Error).message}`, { cause: error });
    }
    for await (const batch of reader) yield batch;
  } finally {
    await handle.close();
  }
}

/** A TableNotFoundError for a missing file; any other error as it is. */
function notFound(error: unknown, file: string, where: string): unknown {
  if ((error as NodeJS.ErrnoException).code !== "ENOENT") return error;
  return new TableNotFoundError(`${where}: the table's file ${file} does not exist (was the run's folder cleaned up?)`, { cause: error });
}

function checkMagic(bytes: Uint8Array, file: string, where: string): void {
  const ok = bytes.length >= 2 * MAGIC.length && MAGIC.equals(bytes.subarray(0, MAGIC.length)) && MAGIC.equals(bytes.subarray(-MAGIC.length));
  if (!ok) {
    throw new TableFormatError(
      `${where}: ${file} is not an Arrow IPC file (${bytes.length} bytes, without "ARROW1" at both ends): it is truncated, corrupted or in another format`,
    );
  }
}
