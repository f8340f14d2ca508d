/**
 * Sparse rows in compressed sparse row (CSR) form: what the featurizer produces, the trainer
 * consumes and the ONNX graph is fed from.
 */
import { TrainingError } from "./errors.js";

/**
 * `rows` sparse rows of width `cols`: row `r` holds `indices[k]` / `values[k]` for
 * `k` in `indptr[r] .. indptr[r + 1]`. `indptr` has `rows + 1` entries and starts at 0.
 * The featurizer emits each column at most once per row, in first-occurrence order.
 *
 * @example
 * ```ts
 * // two rows: {3: 1, 7: 0.5} and {}
 * const csr: CsrBatch = { rows: 2, cols: 8, indptr: Int32Array.of(0, 2, 2), indices: Int32Array.of(3, 7), values: Float32Array.of(1, 0.5) };
 * ```
 */
export interface CsrBatch {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
  /** When present, the row of every entry (what {@link csrRowIds} computes); the featurizer adds it on request. */
  readonly rowIds?: Int32Array;
}

/**
 * The number of stored entries.
 *
 * @example
 * ```ts
 * csrNnz(featurize(["great product"], DEFAULT_FEATURIZER)); // 3 (two words and one bigram)
 * ```
 */
export function csrNnz(csr: CsrBatch): number {
  return csr.indptr[csr.rows]! - csr.indptr[0]!;
}

/**
 * Checks the structure of a batch (lengths, monotone `indptr`, indices inside `cols`, finite
 * values); throws {@link TrainingError} naming the first problem. O(nnz).
 *
 * @example
 * ```ts
 * checkCsr({ rows: 1, cols: 4, indptr: Int32Array.of(0, 1), indices: Int32Array.of(9), values: Float32Array.of(1) });
 * // throws TrainingError: indices[0] = 9 is outside 0..3
 * ```
 */
export function checkCsr(csr: CsrBatch): void {
  const { rows, cols, indptr, indices, values } = csr;
  if (!Number.isInteger(rows) || rows < 0) throw new TrainingError(`rows must be a non-negative integer, got ${rows}`);
  if (indptr.length !== rows + 1) throw new TrainingError(`indptr has ${indptr.length} entries for ${rows} rows (expected ${rows + 1})`);
  if (indptr[0] !== 0) throw new TrainingError(`indptr[0] must be 0, got ${indptr[0]}`);
  for (let r = 0; r < rows; r++) if (indptr[r + 1]! < indptr[r]!) throw new TrainingError(`indptr decreases at row ${r} (${indptr[r]} then ${indptr[r + 1]})`);
  const nnz = indptr[rows]!;
  if (indices.length < nnz || values.length < nnz) throw new TrainingError(`indptr ends at ${nnz} but there are ${indices.length} indices and ${values.length} values`);
  for (let k = 0; k < nnz; k++) {
    const j = indices[k]!;
    if (j < 0 || j >= cols) throw new TrainingError(`indices[${k}] = ${j} is outside 0..${cols - 1}`);
    if (!Number.isFinite(values[k]!)) throw new TrainingError(`values[${k}] is ${values[k]}`);
  }
}

/**
 * Rows `start .. end` as their own batch. Indices and values are views (not copied); `indptr` is
 * rebased to start at 0 (a copy of `end - start + 1` integers).
 *
 * @example
 * ```ts
 * const head = csrSlice(csr, 0, 1000); // the first 1,000 rows
 * ```
 */
export function csrSlice(csr: CsrBatch, start: number, end: number): CsrBatch {
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= csr.rows)) {
    throw new RangeError(`cannot slice rows ${start}..${end} of a batch of ${csr.rows} rows`);
  }
  const base = csr.indptr[start]!;
  const indptr = new Int32Array(end - start + 1);
  for (let r = start; r <= end; r++) indptr[r - start] = csr.indptr[r]! - base;
  const stop = csr.indptr[end]!;
  return { rows: end - start, cols: csr.cols, indptr, indices: csr.indices.subarray(base, stop), values: csr.values.subarray(base, stop) };
}

/**
 * The given rows, in that order, copied into a new batch (e.g. a train/test split).
 *
 * @example
 * ```ts
 * const { train, test } = splitRows(csr.rows, { testFraction: 0.2, seed: 1 });
 * const trainCsr = csrTake(csr, train);
 * ```
 */
export function csrTake(csr: CsrBatch, rows: ArrayLike<number>): CsrBatch {
  const indptr = new Int32Array(rows.length + 1);
  let nnz = 0;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    if (!(r >= 0 && r < csr.rows)) throw new RangeError(`row ${r} is outside the batch (0..${csr.rows - 1})`);
    nnz += csr.indptr[r + 1]! - csr.indptr[r]!;
    indptr[k + 1] = nnz;
  }
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    const a = csr.indptr[r]!;
    const b = csr.indptr[r + 1]!;
    indices.set(csr.indices.subarray(a, b), indptr[k]!);
    values.set(csr.values.subarray(a, b), indptr[k]!);
  }
  return { rows: rows.length, cols: csr.cols, indptr, indices, values };
}

/**
 * The row of every stored entry (`row_ids[k] = r` for `k` in row `r`): the COO row coordinate
 * the ONNX graph scatters on.
 *
 * @example
 * ```ts
 * csrRowIds({ rows: 2, cols: 8, indptr: Int32Array.of(0, 2, 3), indices, values }); // Int32Array [0, 0, 1]
 * ```
 */
export function csrRowIds(csr: CsrBatch, out?: Int32Array): Int32Array {
  const base = csr.indptr[0]!;
  const nnz = csr.indptr[csr.rows]! - base;
  if (csr.rowIds && !out && base === 0 && csr.rowIds.length === nnz) return csr.rowIds;
  const ids = out ?? new Int32Array(nnz);
  if (ids.length < nnz) throw new RangeError(`the output holds ${ids.length} entries, ${nnz} needed`);
  for (let r = 0; r < csr.rows; r++) ids.fill(r, csr.indptr[r]! - base, csr.indptr[r + 1]! - base);
  return ids;
}
