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
parentPort.on("message", (m) => {
  const transfer = new Set([m.bytes.buffer, m.offsets.buffer]);
  let out;
  try {
    out = runKernel(kernel, m.bytes, m.offsets, m.rows, m.options, scratch, featurizeRows, m.into);
  } catch (error) {
    parentPort.postMessage({ id: m.id, error: String((error && error.stack) || error), bytes: m.bytes, offsets: m.offsets }, [...transfer]);
    return;
  }
  for (const a of [out.indptr, out.indices, out.values, out.rowIds]) if (a) transfer.add(a.buffer);
  parentPort.postMessage({ id: m.id, out, bytes: m.bytes, offsets: m.offsets }, [...transfer]);
});
`;

interface Pending {
  resolve(out: CoreOutput): void;
  reject(error: Error): void;
}

/** A worker's input buffers, passed back and forth with each call. */
interface Input {
  bytes: Uint8Array;
  offsets: Int32Array;
}

interface Reply {
  id: number;
  out?: CoreOutput;
  error?: string;
  bytes: Uint8Array;
  offsets: Int32Array;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
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
  /** Input buffers back from the workers, and output arrays of released batches, to reuse. */
  private readonly inputs: Input[] = [];
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
      const slot: Slot = { worker, pending: new Map() };
      worker.on("message", (m: Reply) => {
        if (this.inputs.length < 2 * this.size) this.inputs.push({ bytes: m.bytes, offsets: m.offsets });
        const p = slot.pending.get(m.id);
        if (!p) return;
        slot.pending.delete(m.id);
        // An idle thread never keeps the process alive (unref'd once is not enough: Node refs
        // the port again at times), a busy one does until its calls settle.
        if (slot.pending.size === 0) worker.unref();
        if (m.out) p.resolve(m.out);
        else p.reject(new MlError("ML_POOL", `a featurizer thread failed: ${m.error}`));
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
   * given; with `rowIds`, the batch carries each entry's row. The column's bytes are copied to
   * the worker (into buffers that go back and forth); the result is moved back, written into the
   * arrays of a {@link FeaturizerPool.release}d batch when there is one.
   */
  featurize(column: Utf8Column, options: { rowIds?: boolean; config?: FeaturizerConfig } = {}): Promise<CsrBatch> {
    if (this.failure) return Promise.reject(this.failure);
    const config = options.config ? parseFeaturizerConfig(options.config) : this.config;
    const slot = this.slots[this.turn++ % this.slots.length]!;
    const id = this.nextId++;
    const base = column.offsets[0]!;
    const span = column.offsets[column.length]! - base;
    const input = this.inputs.pop() ?? { bytes: new Uint8Array(0), offsets: new Int32Array(0) };
    // Reused buffers keep their pages: a new one gets an eighth more than asked, to last.
    if (input.bytes.length < span) input.bytes = new Uint8Array(span + (span >> 3));
    if (input.offsets.length <= column.length) input.offsets = new Int32Array(column.length + 1 + (column.length >> 3));
    input.bytes.set(column.bytes.subarray(base, base + span));
    for (let i = 0; i <= column.length; i++) input.offsets[i] = column.offsets[i]! - base;
    const into = this.outputs.pop() ?? null;
    const transfer = new Set<ArrayBuffer>([input.bytes.buffer as ArrayBuffer, input.offsets.buffer as ArrayBuffer]);
    if (into) for (const a of [into.indptr, into.indices, into.values, into.rowIds]) if (a) transfer.add(a.buffer as ArrayBuffer);
    const coreOptions: CoreOptions = { ...config, rowIds: options.rowIds === true };
    return new Promise<CoreOutput>((resolve, reject) => {
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, bytes: input.bytes, offsets: input.offsets, rows: column.length, options: coreOptions, into }, [...transfer]);
    }).then((out) => {
      const csr = csrFromCore(out, column.length, 2 ** config.hashBits);
      this.issued.add(csr);
      return csr;
    });
  }

  /**
   * Hands a batch this pool made back to it, for its arrays to take a later batch's output
   * (fresh memory is slow to fault in; reused memory is not). The batch is unusable afterwards:
   * its arrays move to a worker with the next call. Batches the pool did not make are ignored.
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
 * start threads, compile the kernel and fault in fresh memory every time. Pass the config with
 * each call. A pool that failed is replaced on the next call; do not close it.
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
