/**
 * Review batches on disk: one Arrow IPC file per batch in a data folder
 * (`<dir>/<batchId>.arrow`), written atomically and never overwritten, so a reader (the
 * `ingest` task) sees a batch whole or not at all.
 *
 * Columns: `review_id` Int32, `product_id` Int32, `user_id` Int32, `timestamp`
 * Timestamp(ms, UTC), `rating` Uint8, `label` Bool, `text` Utf8.
 */
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writevSync } from "node:fs";
import path from "node:path";
import { Bool, Int32, makeData, makeVector, RecordBatchFileWriter, Table, tableFromIPC, TimestampMillisecond, Uint8, Utf8, type Vector } from "apache-arrow";
import { ReviewDataError } from "./errors.js";
import type { Reviews } from "./reviews.js";
import type { Utf8Column } from "./utf8.js";

/** A batch id: letters, digits, `.`, `_`, `-`; not starting with `.` (hidden files are temporaries). */
const BATCH_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
const EXT = ".arrow";
let counter = 0;

/**
 * Reviews as an Arrow table (the columns above). Numeric columns are views of the typed arrays;
 * the text column shares the UTF-8 buffer.
 *
 * @example
 * ```ts
 * await ctx.tables.write("reviews", reviewsToTable(generateReviews({ count: 1000, seed: 1 })));
 * ```
 */
export function reviewsToTable(reviews: Reviews): Table {
  const n = reviews.length;
  const ts = new BigInt64Array(n);
  const words = new Int32Array(ts.buffer);
  for (let i = 0; i < n; i++) {
    const ms = reviews.timestamp[i]!;
    const hi = Math.floor(ms / 4294967296);
    words[2 * i] = ms - hi * 4294967296;
    words[2 * i + 1] = hi;
  }
  const bits = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (reviews.label[i]) bits[i >> 3]! |= 1 << (i & 7);
  const text = reviews.text;
  const base = text.offsets[0]!;
  const offsets = base === 0 ? text.offsets : text.offsets.map((o) => o - base);
  return new Table({
    review_id: makeVector(reviews.reviewId),
    product_id: makeVector(reviews.productId),
    user_id: makeVector(reviews.userId),
    timestamp: makeVector(makeData({ type: new TimestampMillisecond(), length: n, nullCount: 0, data: ts })),
    rating: makeVector(reviews.rating),
    label: makeVector(makeData({ type: new Bool(), length: n, nullCount: 0, data: bits })),
    text: makeVector(makeData({ type: new Utf8(), length: n, nullCount: 0, valueOffsets: offsets, data: text.bytes.subarray(base, text.offsets[n]!) })),
  });
}

function column(table: Table, name: string, typeName: string, check: (v: Vector) => boolean): Vector {
  const v = table.getChild(name);
  if (!v) throw new ReviewDataError(`the reviews table has no column "${name}" (columns: ${table.schema.fields.map((f) => f.name).join(", ")})`);
  if (!check(v)) throw new ReviewDataError(`column "${name}" is ${String(v.type)}, expected ${typeName}`);
  if (v.nullCount > 0) throw new ReviewDataError(`column "${name}" has ${v.nullCount} nulls`);
  return v;
}

/**
 * Reads the columns of a reviews table (e.g. from `ctx.tables.read` or
 * {@link readReviewBatch}) into {@link Reviews}; throws {@link ReviewDataError} naming a
 * missing, mistyped or null-holding column. A one-chunk table is read without copies.
 *
 * @example
 * ```ts
 * const reviews = reviewsFromTable(await ctx.tables.read("ingest", "reviews"));
 * ```
 */
export function reviewsFromTable(table: Table): Reviews {
  const int32 = (v: Vector) => Int32.isInt(v.type) && v.type.bitWidth === 32 && v.type.isSigned;
  const reviewId = column(table, "review_id", "Int32", int32).toArray() as Int32Array;
  const productId = column(table, "product_id", "Int32", int32).toArray() as Int32Array;
  const userId = column(table, "user_id", "Int32", int32).toArray() as Int32Array;
  const rating = column(table, "rating", "Uint8", (v) => Uint8.isInt(v.type) && v.type.bitWidth === 8 && !v.type.isSigned).toArray() as Uint8Array;
  const tsVector = column(table, "timestamp", "Timestamp<MILLISECOND>", (v) => TimestampMillisecond.isTimestamp(v.type) && v.type.unit === 1);
  const labelVector = column(table, "label", "Bool", (v) => Bool.isBool(v.type));
  const textVector = column(table, "text", "Utf8", (v) => Utf8.isUtf8(v.type));
  const n = table.numRows;

  const ts = tsVector.toArray() as BigInt64Array;
  const words = new Int32Array(ts.buffer, ts.byteOffset, 2 * n);
  const timestamp = new Float64Array(n);
  for (let i = 0; i < n; i++) timestamp[i] = (words[2 * i]! >>> 0) + words[2 * i + 1]! * 4294967296;

  const label = new Uint8Array(n);
  let row = 0;
  for (const d of labelVector.data) {
    const bits = d.values as Uint8Array;
    for (let i = 0; i < d.length; i++) {
      const b = d.offset + i;
      label[row++] = (bits[b >> 3]! >> (b & 7)) & 1;
    }
  }
  for (let i = 0; i < n; i++) {
    if (rating[i]! < 1 || rating[i]! > 5) throw new ReviewDataError(`row ${i}: rating ${rating[i]} is outside 1..5`);
  }
  return { length: n, reviewId, productId, userId, timestamp, rating, label, text: utf8Column(textVector) };
}

/** A Utf8 vector as a {@link Utf8Column}: a view of one chunk, or the chunks copied into one. */
function utf8Column(v: Vector): Utf8Column {
  const chunks = v.data.map((d) => ({ length: d.length, offsets: (d.valueOffsets as Int32Array).subarray(0, d.length + 1), bytes: d.values as Uint8Array }));
  if (chunks.length === 1) return chunks[0]!;
  const n = chunks.reduce((s, c) => s + c.length, 0);
  const size = chunks.reduce((s, c) => s + c.offsets[c.length]! - c.offsets[0]!, 0);
  const offsets = new Int32Array(n + 1);
  const bytes = new Uint8Array(size);
  let row = 0;
  let o = 0;
  for (const c of chunks) {
    const base = c.offsets[0]!;
    for (let i = 1; i <= c.length; i++) offsets[row + i] = o + c.offsets[i]! - base;
    bytes.set(c.bytes.subarray(base, c.offsets[c.length]!), o);
    o += c.offsets[c.length]! - base;
    row += c.length;
  }
  return { length: n, offsets, bytes };
}

/**
 * Writes reviews as batch `batchId` of a data folder: `<dir>/<batchId>.arrow`, created with its
 * folder if need be. Atomic and never clobbering: the file is written beside its final name,
 * fsync'ed, then hard-linked into place (failing if the batch exists) and the folder fsync'ed.
 * Throws {@link ReviewDataError} for a bad id or an existing batch.
 *
 * @example
 * ```ts
 * const { file, rows } = await writeReviewBatch(".dagship/dev/data/reviews", "2024-01-02-0001", generateReviews({ count: 10_000, seed: 2 }));
 * ```
 */
export async function writeReviewBatch(dir: string, batchId: string, reviews: Reviews): Promise<{ file: string; rows: number; bytes: number }> {
  if (!BATCH_ID.test(batchId)) throw new ReviewDataError(`batch id ${JSON.stringify(batchId)} must be 1–128 letters, digits, ".", "_" or "-" and not start with "."`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, batchId + EXT);
  if (existsSync(file)) throw new ReviewDataError(`batch "${batchId}" already exists in ${dir}: batches are immutable, pick a new id`);
  const tmp = path.join(dir, `.${batchId}${EXT}.tmp-${process.pid}-${++counter}`);
  const fd = openSync(tmp, "wx", 0o644);
  let bytes = 0;
  let closed = false;
  try {
    const chunks: Uint8Array[] = [];
    for await (const chunk of RecordBatchFileWriter.writeAll(reviewsToTable(reviews))) {
      if (chunk.byteLength > 0) chunks.push(chunk);
      if (chunks.length >= 256) bytes += writeAll(fd, chunks.splice(0));
    }
    bytes += writeAll(fd, chunks);
    fsyncSync(fd);
    closeSync(fd);
    closed = true;
    try {
      linkSync(tmp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new ReviewDataError(`batch "${batchId}" already exists in ${dir}: batches are immutable, pick a new id`);
      throw error;
    }
  } catch (error) {
    if (!closed) closeSync(fd);
    throw error;
  } finally {
    rmSync(tmp, { force: true });
  }
  const dirFd = openSync(dir, "r");
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
  return { file, rows: reviews.length, bytes };
}

function writeAll(fd: number, chunks: Uint8Array[]): number {
  let total = 0;
  let i = 0;
  while (i < chunks.length) {
    let n = writevSync(fd, chunks.slice(i));
    total += n;
    while (i < chunks.length && n >= chunks[i]!.byteLength) n -= chunks[i++]!.byteLength;
    if (n > 0) chunks[i] = chunks[i]!.subarray(n);
  }
  return total;
}

/**
 * Reads one batch file back. Throws {@link ReviewDataError} when it is missing, not an Arrow IPC
 * file, or lacks a column.
 *
 * @example
 * ```ts
 * const reviews = readReviewBatch(".dagship/dev/data/reviews/2024-01-02-0001.arrow");
 * ```
 */
export function readReviewBatch(file: string): Reviews {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new ReviewDataError(`cannot read review batch ${file}: ${(error as Error).message}`, { cause: error });
  }
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (error) {
    throw new ReviewDataError(`${file} is not an Arrow IPC file: ${(error as Error).message}`, { cause: error });
  }
  try {
    return reviewsFromTable(table);
  } catch (error) {
    if (error instanceof ReviewDataError) throw new ReviewDataError(`${file}: ${error.message}`, { cause: error });
    throw error;
  }
}

/**
 * The batches of a data folder, sorted by id (temporaries and other files ignored; a missing
 * folder has none).
 *
 * @example
 * ```ts
 * for (const { id, file } of listReviewBatches(dataDir)) if (!seen.has(id)) fresh.push(readReviewBatch(file));
 * ```
 */
export function listReviewBatches(dir: string): Array<{ id: string; file: string }> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(EXT) && BATCH_ID.test(name.slice(0, -EXT.length)))
    .sort()
    .map((name) => ({ id: name.slice(0, -EXT.length), file: path.join(dir, name) }));
}
