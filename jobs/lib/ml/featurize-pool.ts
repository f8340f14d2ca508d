/**
 * Featurizing in worker threads, so a scoring job uses every core: the workers run the very
 * code of the WebAssembly kernel's wrapper and of {@link featurizeRows} (from their source text:
 * they are self-contained; the compiled kernel module is sent along) while the main thread feeds
 * onnxruntime. Results are identical to {@link Featurizer}'s (a test checks).
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { CsrBatch } from "./csr.js";
import { MlError } from "./errors.js";
import { featurizeRows, type CoreOptions, type CoreOutput } from "./featurize-core.js";
import { createKernel, featurizeWasmModule, runKernel } from "./featurize-kernel.js";
import { copyLaneOutput, writeLaneInput, type Lane } from "./featurize-lanes.js";
import { csrFromCore, DEFAULT_FEATURIZER, parseFeaturizerConfig, type FeaturizerConfig } from "./features.js";
import type { Utf8Column } from "./utf8.js";

/**
 * How much lower than the calling thread featurizer threads run (Linux thread niceness): the
 * calling thread feeds onnxruntime, the critical path, and onnxruntime's own threads wait for one
 * another; featurizing ahead only needs the cycles they leave.
 */
const WORKER_NICE = 10;

const WORKER_SOURCE = `"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const featurizeRows = ${featurizeRows.toString()};
const createKernel = ${createKernel.toString()};
const runKernel = ${runKernel.toString()};
const kernel = createKernel(workerData.module);
if (workerData.nice) {
  // Below the thread feeding onnxruntime: featurizing takes the cycles onnxruntime leaves (Linux).
  try {
    const tid = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").pop());
    const os = require("node:os");
    os.setPriority(tid, Math.min(19, os.getPriority(tid) + workerData.nice));
  } catch {}
}
const scratch = { seen: new Int32Array(2048), hashes: new Int32Array(1024), stamp: 0 };
const lanes = new Map();
function shared(Type, length) {
  return new Type(new SharedArrayBuffer(Type.BYTES_PER_ELEMENT * (length + (length >> 3))));
}
parentPort.on("message", (m) => {
  let lane = lanes.get(m.lane);
  if (!lane) lanes.set(m.lane, (lane = { bytes: null, offsets: null, out: null }));
  if (m.input) Object.assign(lane, m.input);
  let out;
  let grown = null;
  try {
    out = runKernel(kernel, lane.bytes, lane.offsets, m.rows, m.options, scratch, featurizeRows, lane.out);
    const o = lane.out;
    const fits = o && out.indptr.buffer === o.indptr.buffer && out.indices.buffer === o.indices.buffer && out.values.buffer === o.values.buffer && (!out.rowIds || (o.rowIds && out.rowIds.buffer === o.rowIds.buffer));
    if (!fits) {
      // The lane's output arrays were too small: larger shared ones, for this call and the next.
      const nnz = out.indices.length;
      grown = { indptr: shared(Int32Array, Math.max(m.rows + 1, o ? o.indptr.length : 0)), indices: shared(Int32Array, nnz), values: shared(Float32Array, nnz), rowIds: out.rowIds ? shared(Int32Array, nnz) : null };
      grown.indptr.set(out.indptr);
      grown.indices.set(out.indices);
      grown.values.set(out.values);
      if (out.rowIds) grown.rowIds.set(out.rowIds);
      lane.out = grown;
    }
  } catch (error) {
    parentPort.postMessage({ id: m.id, error: String((error && error.stack) || error) });
    return;
  }
  parentPort.postMessage({ id: m.id, nnz: out.indices.length, grown });
});
`;

interface Pending {
  lane: Lane;
  rows: number;
  rowIds: boolean;
  resolve(out: CoreOutput): void;
  reject(error: Error): void;
}

interface Reply {
  id: number;
  nnz?: number;
  grown?: CoreOutput | null;
  error?: string;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  lanes: Lane[];
}

/**
 * The default number of featurizer threads next to a thread feeding onnxruntime: one per core
 * but one, at most 4 (0 on a single core: featurize on the calling thread).
 *
 * @example
 * ```ts
 * const workers = defaultWorkers(); // 1 on a 2-core machine
 * ```
 */
export function defaultWorkers(): number {
  return Math.min(4, Math.max(0, availableParallelism() - 1));
}

/**
 * A pool of featurizer threads for one config. Call {@link FeaturizerPool.close} when done
 * (the workers do not keep the process alive, but they hold memory until closed).
 *
 * @example
 * ```ts
 * const pool = new FeaturizerPool(featurizer, { workers: 2 });
 * try {
 *   const [a, b] = await Promise.all([pool.featurize(utf8Slice(col, 0, 65536)), pool.featurize(utf8Slice(col, 65536, 131072))]);
 * } finally {
 *   await pool.close();
 * }
 * ```
 */
export class FeaturizerPool {
  readonly config: FeaturizerConfig;
  readonly size: number;
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private turn = 0;
  private failure: Error | undefined;
  /** The arrays of released batches, to copy later batches' features into. */
  private readonly outputs: CoreOutput[] = [];
  /** The batches this pool made and nobody released yet (only those may be released). */
  private readonly issued = new WeakSet<CsrBatch>();

  constructor(config: FeaturizerConfig, options: { workers?: number } = {}) {
    this.config = parseFeaturizerConfig(config);
    this.size = options.workers ?? Math.max(1, defaultWorkers());
    if (!Number.isInteger(this.size) || this.size < 1 || this.size > 64) throw new MlError("ML_POOL", `workers must be an integer in 1..64, got ${this.size}`);
    for (let i = 0; i < this.size; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: featurizeWasmModule(), nice: WORKER_NICE } });
      worker.unref();
      const slot: Slot = { worker, pending: new Map(), lanes: [] };
      worker.on("message", (m: Reply) => {
        const p = slot.pending.get(m.id);
        if (!p) return;
        slot.pending.delete(m.id);
        // An idle thread never keeps the process alive (unref'd once is not enough: Node refs
        // the port again at times), a busy one does until its calls settle.
        if (slot.pending.size === 0) worker.unref();
        p.lane.busy = false;
        if (m.error !== undefined) return p.reject(new MlError("ML_POOL", `a featurizer thread failed: ${m.error}`));
        if (m.grown) p.lane.out = m.grown;
        p.resolve(copyLaneOutput(p.lane.out!, p.rows, m.nnz!, p.rowIds, this.outputs.pop() ?? null));
      });
      const fail = (error: Error) => {
        this.failure ??= error;
        for (const p of slot.pending.values()) p.reject(error);
        slot.pending.clear();
      };
      worker.on("error", (error) => fail(new MlError("ML_POOL", `a featurizer thread crashed: ${error.message}`, { cause: error })));
      worker.on("exit", (code) => fail(new MlError("ML_POOL", `a featurizer thread exited (code ${code})`)));
      this.slots.push(slot);
    }
  }

  /**
   * Featurizes a column in the next worker (round robin), with the pool's config or the one
   * given; with `rowIds`, the batch carries each entry's row. The column's bytes are copied into
   * a lane of shared memory (featurize-lanes.ts) and the features out of it, into the arrays of
   * a {@link FeaturizerPool.release}d batch when there is one.
   */
  featurize(column: Utf8Column, options: { rowIds?: boolean; config?: FeaturizerConfig } = {}): Promise<CsrBatch> {
    if (this.failure) return Promise.reject(this.failure);
    const config = options.config ? parseFeaturizerConfig(options.config) : this.config;
    const slot = this.slots[this.turn++ % this.slots.length]!;
    const id = this.nextId++;
    let lane = slot.lanes.find((l) => !l.busy);
    if (!lane) slot.lanes.push((lane = { id: slot.lanes.length, busy: false, bytes: new Uint8Array(0), offsets: new Int32Array(0), out: null, sent: false }));
    writeLaneInput(lane, column);
    const input = lane.sent ? undefined : { bytes: lane.bytes, offsets: lane.offsets };
    lane.sent = true;
    lane.busy = true;
    const rowIds = options.rowIds === true;
    const coreOptions: CoreOptions = { ...config, rowIds };
    return new Promise<CoreOutput>((resolve, reject) => {
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { lane: lane!, rows: column.length, rowIds, resolve, reject });
      slot.worker.postMessage({ id, lane: lane!.id, rows: column.length, options: coreOptions, input });
    }).then((out) => {
      const csr = csrFromCore(out, column.length, 2 ** config.hashBits);
      this.issued.add(csr);
      return csr;
    });
  }

  /**
   * Hands a batch this pool made back to it, for its arrays to take a later batch's output
   * (fresh memory is slow to fault in; reused memory is not). Do not use the batch afterwards:
   * a later call overwrites its arrays. Batches the pool did not make are ignored.
   *
   * @example
   * ```ts
   * const csr = await pool.featurize(batch, { rowIds: true });
   * out.set(await scoreWithOnnx(session, csr));
   * pool.release(csr);
   * ```
   */
  release(csr: CsrBatch): void {
    if (!this.issued.delete(csr) || this.outputs.length >= 2 * this.size + 2) return;
    const whole = <T extends Int32Array | Float32Array>(a: T): T => new (a.constructor as new (b: ArrayBufferLike) => T)(a.buffer);
    this.outputs.push({ indptr: whole(csr.indptr), indices: whole(csr.indices), values: whole(csr.values), rowIds: csr.rowIds ? whole(csr.rowIds) : null });
  }

  /** Whether a thread failed or the pool was closed (calls fail from then on). */
  get closed(): boolean {
    return this.failure !== undefined;
  }

  /** Stops the workers; pending calls fail. */
  async close(): Promise<void> {
    this.failure ??= new MlError("ML_POOL", "the featurizer pool is closed");
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

const shared = new Map<number, FeaturizerPool>();

/**
 * This process's pool of `workers` featurizer threads, started on first use and kept for later
 * calls (its threads do not keep the process alive), so that scoring batch after batch does not
 * start threads, compile the kernel and fault in fresh memory every time. It keeps one lane of
 * shared memory per call it ever had in flight at once (about 30 MB each for batches of 65,536
 * reviews). Pass the config with each call. A pool that failed is replaced on the next call; do
 * not close it.
 *
 * @example
 * ```ts
 * const csr = await sharedFeaturizerPool(1).featurize(batch, { config: featurizer, rowIds: true });
 * ```
 */
export function sharedFeaturizerPool(workers: number): FeaturizerPool {
  let pool = shared.get(workers);
  if (!pool || pool.closed) {
    pool = new FeaturizerPool(DEFAULT_FEATURIZER, { workers });
    shared.set(workers, pool);
  }
  return pool;
}
