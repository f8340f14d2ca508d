/**
 * The shared memory a featurizer thread works in: per call in flight, a lane of
 * SharedArrayBuffers that the calling thread writes the input into and the thread writes the
 * features into. Lanes are kept and reused, so batch after batch allocates nothing (fresh
 * buffers handed between threads make V8 collect garbage again and again, and onnxruntime-node
 * reads only unshared memory, hence {@link copyLaneOutput}).
 */
import type { CoreOutput } from "./featurize-core.js";
import type { Utf8Column } from "./utf8.js";

/**
 * One lane: input bytes and offsets (rebased to 0), and the thread's output arrays once it has
 * written some. `sent` tells whether the thread holds the current input buffers.
 *
 * @example
 * ```ts
 * const lane: Lane = { id: 0, busy: false, bytes: new Uint8Array(0), offsets: new Int32Array(0), out: null, sent: false };
 * ```
 */
export interface Lane {
  id: number;
  busy: boolean;
  bytes: Uint8Array;
  offsets: Int32Array;
  out: CoreOutput | null;
  sent: boolean;
}

/**
 * Writes a column into a lane's input buffers, first replacing them by larger shared ones (an
 * eighth more than needed) when they are too small.
 *
 * @example
 * ```ts
 * writeLaneInput(lane, utf8Slice(column, 0, 65536));
 * ```
 */
export function writeLaneInput(lane: Lane, column: Utf8Column): void {
  const base = column.offsets[0]!;
  const span = column.offsets[column.length]! - base;
  if (lane.bytes.length < span) {
    lane.bytes = new Uint8Array(new SharedArrayBuffer(span + (span >> 3)));
    lane.sent = false;
  }
  if (lane.offsets.length <= column.length) {
    lane.offsets = new Int32Array(new SharedArrayBuffer(4 * (column.length + 1 + (column.length >> 3))));
    lane.sent = false;
  }
  lane.bytes.set(column.bytes.subarray(base, base + span));
  for (let i = 0; i <= column.length; i++) lane.offsets[i] = column.offsets[i]! - base;
}

/**
 * Copies a lane's output (`rows` rows, `nnz` entries, and their rows when `rowIds`) into
 * unshared arrays: those of `into` where long enough (the arrays of a batch handed back), else
 * new ones.
 *
 * @example
 * ```ts
 * const out = copyLaneOutput(lane.out!, rows, nnz, true, released ?? null);
 * ```
 */
export function copyLaneOutput(from: CoreOutput, rows: number, nnz: number, rowIds: boolean, into: CoreOutput | null): CoreOutput {
  const indptr = into && into.indptr.length > rows ? into.indptr.subarray(0, rows + 1) : new Int32Array(rows + 1);
  const indices = into && into.indices.length >= nnz ? into.indices.subarray(0, nnz) : new Int32Array(nnz);
  const values = into && into.values.length >= nnz ? into.values.subarray(0, nnz) : new Float32Array(nnz);
  indptr.set(from.indptr.subarray(0, rows + 1));
  indices.set(from.indices.subarray(0, nnz));
  values.set(from.values.subarray(0, nnz));
  if (!rowIds || !from.rowIds) return { indptr, indices, values, rowIds: null };
  const ids = into?.rowIds && into.rowIds.length >= nnz ? into.rowIds.subarray(0, nnz) : new Int32Array(nnz);
  ids.set(from.rowIds.subarray(0, nnz));
  return { indptr, indices, values, rowIds: ids };
}
