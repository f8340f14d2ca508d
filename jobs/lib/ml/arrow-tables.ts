/**
 * The ML objects the retrain and score jobs hand from task to task as Arrow tables
 * (`ctx.tables`), without copies where Arrow's layout allows:
 *
 * - sparse features with labels: one row per example, `label` Uint8, `indices` List<Int32>,
 *   `values` List<Float32> (the list offsets are the CSR's `indptr`);
 * - an ONNX model: one row, `onnx` Binary (the exact bytes that are evaluated and registered);
 *
 * and {@link writeArrowFile}, an atomic Arrow IPC file writer for outputs published to a data
 * folder (predictions, the labeling queue).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { Binary, Field, Float32, Int32, List, makeData, makeVector, RecordBatchFileWriter, Table, type Data, type Vector } from "apache-arrow";
import type { CsrBatch } from "./csr.js";
import { ReviewDataError } from "./errors.js";

/**
 * Sparse rows and their 0/1 labels as an Arrow table (columns share the CSR's buffers).
 *
 * @example
 * ```ts
 * await ctx.tables.write("train", csrToTable(csrTake(csr, train), labelsOfTrain));
 * ```
 */
export function csrToTable(csr: CsrBatch, labels: Uint8Array): Table {
  if (labels.length !== csr.rows) throw new ReviewDataError(`${labels.length} labels for ${csr.rows} rows`);
  const base = csr.indptr[0]!;
  const offsets = base === 0 ? csr.indptr : csr.indptr.map((o) => o - base);
  const nnz = offsets[csr.rows]!;
  const listOf = <T extends Int32 | Float32>(type: T, child: Data<T>) =>
    makeVector(makeData({ type: new List<T>(new Field("item", type, false)), length: csr.rows, nullCount: 0, valueOffsets: offsets, child }));
  return new Table({
    label: makeVector(labels),
    indices: listOf(new Int32(), makeData({ type: new Int32(), length: nnz, nullCount: 0, data: csr.indices.subarray(base, base + nnz) })),
    values: listOf(new Float32(), makeData({ type: new Float32(), length: nnz, nullCount: 0, data: csr.values.subarray(base, base + nnz) })),
  });
}

/**
 * Reads a table written by {@link csrToTable} back into a CSR batch of width `cols` and its
 * labels (one chunk: views, no copies; several chunks: concatenated).
 *
 * @example
 * ```ts
 * const { csr, labels } = csrFromTable(await ctx.tables.read("featurize", "train"), 2 ** 18);
 * ```
 */
export function csrFromTable(table: Table, cols: number): { csr: CsrBatch; labels: Uint8Array } {
  const label = child(table, "label");
  const indices = child(table, "indices");
  const values = child(table, "values");
  const rows = table.numRows;
  const labels = label.toArray() as Uint8Array;
  const idx = flattenList(indices.data, "indices");
  const val = flattenList(values.data, "values");
  if (idx.offsets.some((o, i) => o !== val.offsets[i])) throw new ReviewDataError("the features table's indices and values lists differ in length");
  return { csr: { rows, cols, indptr: idx.offsets, indices: idx.items as Int32Array, values: val.items as Float32Array }, labels };
}

/**
 * ONNX bytes as a one-row Arrow table (column `onnx`, Binary).
 *
 * @example
 * ```ts
 * await ctx.tables.write("model", onnxToTable(exportOnnx(model, { featurizer })));
 * ```
 */
export function onnxToTable(bytes: Uint8Array): Table {
  return new Table({ onnx: makeVector(makeData({ type: new Binary(), length: 1, nullCount: 0, valueOffsets: Int32Array.of(0, bytes.length), data: bytes })) });
}

/**
 * The ONNX bytes of a table written by {@link onnxToTable}.
 *
 * @example
 * ```ts
 * const onnx = onnxFromTable(await ctx.tables.read("train", "model"));
 * ```
 */
export function onnxFromTable(table: Table): Uint8Array {
  const v = child(table, "onnx");
  if (table.numRows !== 1 || !Binary.isBinary(v.type)) throw new ReviewDataError(`a model table has one Binary row "onnx", got ${table.numRows} rows of ${String(v.type)}`);
  return v.get(0) as Uint8Array;
}

/**
 * Writes `table` as an Arrow IPC file, atomically (written beside, fsync'ed, renamed over):
 * a reader sees the old file or the new one, whole.
 *
 * @example
 * ```ts
 * await writeArrowFile(path.join(dataDir, "predictions", "batch-000002.arrow"), predictions);
 * ```
 */
export async function writeArrowFile(file: string, table: Table): Promise<number> {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${Date.now()}`);
  const fd = openSync(tmp, "wx", 0o644);
  let bytes = 0;
  try {
    for await (const chunk of RecordBatchFileWriter.writeAll(table)) {
      for (let off = 0; off < chunk.byteLength; ) off += writeSync(fd, chunk, off, chunk.byteLength - off);
      bytes += chunk.byteLength;
    }
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw error;
  }
  return bytes;
}

function child(table: Table, name: string): Vector {
  const v = table.getChild(name);
  if (!v) throw new ReviewDataError(`the table has no column "${name}" (columns: ${table.schema.fields.map((f) => f.name).join(", ")})`);
  if (v.nullCount > 0) throw new ReviewDataError(`column "${name}" has ${v.nullCount} nulls`);
  return v;
}

/** The items and row offsets (from 0) of a List column's chunks. */
function flattenList(chunks: readonly Data[], name: string): { offsets: Int32Array; items: Int32Array | Float32Array } {
  if (chunks.length === 0 || !List.isList(chunks[0]!.type)) throw new ReviewDataError(`column "${name}" is not a list column`);
  const parts = chunks.map((d) => {
    const offs = (d.valueOffsets as Int32Array).subarray(d.offset, d.offset + d.length + 1);
    const items = d.children[0]!;
    const all = items.values as Int32Array | Float32Array;
    return { offs, items: all.subarray(items.offset + offs[0]!, items.offset + offs[d.length]!), length: d.length };
  });
  if (parts.length === 1 && parts[0]!.offs[0] === 0) return { offsets: parts[0]!.offs, items: parts[0]!.items };
  const rows = parts.reduce((s, p) => s + p.length, 0);
  const total = parts.reduce((s, p) => s + p.items.length, 0);
  const offsets = new Int32Array(rows + 1);
  const items = new (parts[0]!.items.constructor as Int32ArrayConstructor | Float32ArrayConstructor)(total);
  let row = 0;
  let at = 0;
  for (const p of parts) {
    for (let i = 1; i <= p.length; i++) offsets[row + i] = at + p.offs[i]! - p.offs[0]!;
    items.set(p.items, at);
    at += p.items.length;
    row += p.length;
  }
  return { offsets, items };
}
