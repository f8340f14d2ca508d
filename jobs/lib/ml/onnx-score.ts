/**
 * Scoring with onnxruntime-node: sessions for models from {@link exportOnnx}, the sparse input
 * tensors for a CSR batch, and batch scoring of CSR rows or raw texts. onnxruntime-node is
 * imported on first use (`await import`), so code that only trains never loads it.
 */
import type { InferenceSession, Tensor } from "onnxruntime-node";
import { csrNnz, csrRowIds, csrSlice, type CsrBatch } from "./csr.js";
import { OnnxModelError } from "./errors.js";
import { defaultWorkers, sharedFeaturizerPool } from "./featurize-pool.js";
import { featurizeRows, type CoreOptions, type CoreScratch } from "./featurize-core.js";
import { runKernel, withKernel } from "./featurize-kernel.js";
import { csrFromCore, Featurizer, parseFeaturizerConfig, type FeaturizerConfig } from "./features.js";
import { ONNX_NAMES } from "./onnx.js";
import { utf8FromStrings, utf8Slice, type Utf8Column } from "./utf8.js";

type Ort = typeof import("onnxruntime-node");
let ortModule: Promise<Ort> | undefined;

/**
 * onnxruntime-node, loaded once on first call.
 *
 * @example
 * ```ts
 * const ort = await loadOrt();
 * new ort.Tensor("float32", Float32Array.of(1, 2));
 * ```
 */
export function loadOrt(): Promise<Ort> {
  ortModule ??= import("onnxruntime-node").then((m) => ((m as { default?: Ort }).default?.InferenceSession ? (m as { default: Ort }).default : m));
  return ortModule;
}

/**
 * Options of {@link loadOnnxSession}.
 *
 * @example
 * ```ts
 * const opts: OnnxSessionOptions = { threads: 1 };
 * ```
 */
export interface OnnxSessionOptions {
  /** onnxruntime's intra-op threads (default: onnxruntime's own choice, one per core). */
  threads?: number;
  /**
   * Whether onnxruntime's idle threads spin-wait for the next run (default false). Spinning
   * shaves microseconds off back-to-back runs but burns the cores the featurizer needs between
   * them, so batch scoring is faster without it.
   */
  spinning?: boolean;
}

/**
 * An inference session for ONNX bytes, checked to have this library's inputs and output.
 * Throws {@link OnnxModelError} when onnxruntime cannot load the bytes or the graph is another.
 *
 * @example
 * ```ts
 * const session = await loadOnnxSession(exportOnnx(model, { featurizer }));
 * ```
 */
export async function loadOnnxSession(bytes: Uint8Array, options: OnnxSessionOptions = {}): Promise<InferenceSession> {
  const ort = await loadOrt();
  let session: InferenceSession;
  try {
    const spin = options.spinning === true ? "1" : "0";
    session = await ort.InferenceSession.create(bytes, {
      ...(options.threads === undefined ? {} : { intraOpNumThreads: options.threads }),
      extra: { session: { intra_op: { allow_spinning: spin }, inter_op: { allow_spinning: spin } } },
    });
  } catch (error) {
    throw new OnnxModelError(`onnxruntime cannot load the model: ${(error as Error).message}`, { cause: error });
  }
  checkSession(session);
  return session;
}

function checkSession(session: InferenceSession): void {
  const N = ONNX_NAMES;
  const missing = [N.indices, N.values, N.rowIds, N.rowCount].filter((n) => !session.inputNames.includes(n));
  if (missing.length > 0 || !session.outputNames.includes(N.probability)) {
    throw new OnnxModelError(
      `the session is not a dagship sparse model: inputs [${session.inputNames.join(", ")}], outputs [${session.outputNames.join(", ")}]; expected inputs ${Object.values(N).slice(0, 4).join(", ")} and output ${N.probability}`,
    );
  }
}

/**
 * The input tensors (feeds) of a CSR batch: views of its indices and values, plus the row of
 * every entry (the batch's own `rowIds` when it has them, else computed into `rowIds`, a buffer
 * to reuse, or a new array) and the row count.
 *
 * @example
 * ```ts
 * const feeds = await onnxFeeds(csr);
 * const { probability } = await session.run(feeds);
 * ```
 */
export async function onnxFeeds(csr: CsrBatch, rowIds?: Int32Array): Promise<Record<string, Tensor>> {
  const ort = await loadOrt();
  const nnz = csrNnz(csr);
  const base = csr.indptr[0]!;
  const N = ONNX_NAMES;
  return {
    [N.indices]: new ort.Tensor("int32", csr.indices.subarray(base, base + nnz), [nnz]),
    [N.values]: new ort.Tensor("float32", csr.values.subarray(base, base + nnz), [nnz]),
    [N.rowIds]: new ort.Tensor("int32", (csr.rowIds && base === 0 ? csr.rowIds : csrRowIds(csr, rowIds)).subarray(0, nnz), [nnz]),
    [N.rowCount]: new ort.Tensor("int64", BigInt64Array.of(BigInt(csr.rows)), [1]),
  };
}

async function runFeeds(session: InferenceSession, feeds: Record<string, Tensor>, rows: number): Promise<Float32Array> {
  let out: InferenceSession.OnnxValueMapType;
  try {
    out = await session.run(feeds, [ONNX_NAMES.probability]);
  } catch (error) {
    throw new OnnxModelError(`onnxruntime failed to score ${rows} rows: ${(error as Error).message}`, { cause: error });
  }
  const p = out[ONNX_NAMES.probability]!;
  if (p.type !== "float32" || p.data.length !== rows) throw new OnnxModelError(`the model returned ${p.data.length} ${p.type} probabilities for ${rows} rows`);
  return p.data as Float32Array;
}

/**
 * Options of {@link scoreWithOnnx} and {@link scoreTextsWithOnnx}.
 *
 * @example
 * ```ts
 * const opts: OnnxScoreOptions = { batchRows: 16_384, workers: 2 };
 * ```
 */
export interface OnnxScoreOptions {
  /** Rows per `session.run` (default 65,536). */
  batchRows?: number;
  /**
   * {@link scoreTextsWithOnnx} only: featurizer threads working ahead of onnxruntime (default
   * {@link defaultWorkers}: one per core but one, at most 4; 0 featurizes on the calling
   * thread). Inputs of one batch or less are always featurized on the calling thread.
   */
  workers?: number;
  /** Checked between batches: stops with the signal's reason. */
  signal?: AbortSignal;
}

function batchRowsOf(options: OnnxScoreOptions): number {
  const b = options.batchRows ?? 65_536;
  if (!Number.isInteger(b) || b < 1) throw new OnnxModelError(`batchRows must be a positive integer, got ${b}`);
  return b;
}

/**
 * P(label = 1) of every row of a CSR batch, scored by the session `batchRows` rows at a time.
 *
 * @example
 * ```ts
 * const session = await loadOnnxSession(bytes);
 * const p = await scoreWithOnnx(session, featurize(texts, featurizer)); // Float32Array(texts.length)
 * ```
 */
export async function scoreWithOnnx(session: InferenceSession, csr: CsrBatch, options: OnnxScoreOptions = {}): Promise<Float32Array> {
  checkSession(session);
  const batchRows = batchRowsOf(options);
  const out = new Float32Array(csr.rows);
  let rowIds = new Int32Array(0);
  for (let start = 0; start < csr.rows; start += batchRows) {
    if (options.signal?.aborted) throw options.signal.reason;
    const part = csrSlice(csr, start, Math.min(csr.rows, start + batchRows));
    const nnz = csrNnz(part);
    if (rowIds.length < nnz) rowIds = new Int32Array(nnz);
    out.set(await runFeeds(session, await onnxFeeds(part, rowIds), part.rows), start);
  }
  return out;
}

/**
 * Featurizes and scores texts batch by batch, what a scoring job does with a model version's
 * ONNX bytes and featurizer config. The process's featurizer threads
 * ({@link sharedFeaturizerPool}, started on first use) work up to `workers + 1` batches ahead
 * while onnxruntime scores the current one, and the calling thread featurizes one batch in
 * `2 * workers + 1` itself, into memory onnxruntime reads as is; only those batches' features
 * are in memory at a time. The probabilities are the same whoever featurizes (a test checks).
 *
 * @example
 * ```ts
 * const p = await scoreTextsWithOnnx(session, reviews.text, featurizer); // Float32Array(reviews.length)
 * ```
 */
export async function scoreTextsWithOnnx(session: InferenceSession, texts: Utf8Column | readonly string[], featurizer: FeaturizerConfig | Featurizer, options: OnnxScoreOptions = {}): Promise<Float32Array> {
  checkSession(session);
  const batchRows = batchRowsOf(options);
  const column = Array.isArray(texts) ? utf8FromStrings(texts as readonly string[]) : (texts as Utf8Column);
  const config = featurizer instanceof Featurizer ? featurizer.config : parseFeaturizerConfig(featurizer);
  const workers = options.workers ?? defaultWorkers();
  if (!Number.isInteger(workers) || workers < 0) throw new OnnxModelError(`workers must be a non-negative integer, got ${workers}`);
  const out = new Float32Array(column.length);
  const batches = Math.ceil(column.length / batchRows);
  const slice = (k: number) => utf8Slice(column, k * batchRows, Math.min(column.length, (k + 1) * batchRows));

  if (workers === 0 || batches <= 1) {
    const f = featurizer instanceof Featurizer ? featurizer : new Featurizer(config);
    for (let k = 0; k < batches; k++) {
      if (options.signal?.aborted) throw options.signal.reason;
      const csr = f.featurize(slice(k), { rowIds: true });
      out.set(await runFeeds(session, await onnxFeeds(csr), csr.rows), k * batchRows);
    }
    return out;
  }

  // Featurizer threads do most batches and work ahead; the calling thread, which also feeds
  // onnxruntime, does one batch in 2 * workers + 1, featurizing it straight into a kernel's
  // memory that onnxruntime then reads (nothing copied, nothing to hand back).
  const pool = sharedFeaturizerPool(workers);
  const every = 2 * workers + 1;
  const mine = (k: number) => k % every === 0;
  const o: CoreOptions = { ...config, rowIds: true };
  const scratch: CoreScratch = { seen: new Int32Array(2048), hashes: new Int32Array(1024), stamp: 0 };
  const ahead = new Map<number, Promise<CsrBatch>>();
  let next = 0;
  const launch = () => {
    while (ahead.size <= workers && next < batches) {
      const k = next++;
      if (mine(k)) continue;
      const p = pool.featurize(slice(k), { config, rowIds: true });
      p.catch(() => undefined); // awaited in order below; never an unhandled rejection meanwhile
      ahead.set(k, p);
    }
  };
  try {
    await withKernel(async (kernel) => {
      launch();
      for (let k = 0; k < batches; k++) {
        if (options.signal?.aborted) throw options.signal.reason;
        const start = k * batchRows;
        const rows = Math.min(column.length, start + batchRows) - start;
        let csr: CsrBatch;
        if (mine(k)) {
          csr = csrFromCore(runKernel(kernel, column.bytes, column.offsets.subarray(start, start + rows + 1), rows, o, scratch, featurizeRows, null, true), rows, 2 ** config.hashBits);
        } else {
          csr = await ahead.get(k)!;
          ahead.delete(k);
        }
        launch();
        out.set(await runFeeds(session, await onnxFeeds(csr), rows), start);
        if (!mine(k)) pool.release(csr); // its arrays take a later batch's features
      }
    });
  } finally {
    // After an error or abort, batches still in flight hand their arrays back when they land.
    for (const p of ahead.values()) p.then((csr) => pool.release(csr), () => undefined);
  }
  return out;
}
