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
import { csrFromCore, parseFeaturizerConfig, type FeaturizerConfig } from "./features.js";
import type { Utf8Column } from "./utf8.js";

const WORKER_SOURCE = `"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const featurizeRows = ${featurizeRows.toString()};
const createKernel = ${createKernel.toString()};
const runKernel = ${runKernel.toString()};
const kernel = createKernel(workerData.module);
const scratch = { seen: new Int32Array(2048), hashes: new Int32Array(1024), stamp: 0 };
parentPort.on("message", (m) => {
  let out;
  try {
    out = runKernel(kernel, m.bytes, m.offsets, m.rows, m.options, scratch, featurizeRows);
  } catch (error) {
    parentPort.postMessage({ id: m.id, error: String((error && error.stack) || error) });
    return;
  }
  const transfer = [out.indptr.buffer, out.indices.buffer, out.values.buffer];
  if (out.rowIds) transfer.push(out.rowIds.buffer);
  parentPort.postMessage({ id: m.id, out }, transfer);
});
`;

interface Pending {
  resolve(out: CoreOutput): void;
  reject(error: Error): void;
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

  constructor(config: FeaturizerConfig, options: { workers?: number } = {}) {
    this.config = parseFeaturizerConfig(config);
    this.size = options.workers ?? Math.max(1, defaultWorkers());
    if (!Number.isInteger(this.size) || this.size < 1 || this.size > 64) throw new MlError("ML_POOL", `workers must be an integer in 1..64, got ${this.size}`);
    for (let i = 0; i < this.size; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: featurizeWasmModule() } });
      worker.unref();
      const slot: Slot = { worker, pending: new Map() };
      worker.on("message", (m: { id: number; out?: CoreOutput; error?: string }) => {
        const p = slot.pending.get(m.id);
        if (!p) return;
        slot.pending.delete(m.id);
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
   * Featurizes a column in the next worker (round robin); with `rowIds`, the batch carries each
   * entry's row. The column's bytes are copied to the worker; the result is moved back.
   */
  featurize(column: Utf8Column, options: { rowIds?: boolean } = {}): Promise<CsrBatch> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots[this.turn++ % this.slots.length]!;
    const id = this.nextId++;
    const base = column.offsets[0]!;
    const bytes = column.bytes.slice(base, column.offsets[column.length]!);
    const offsets = new Int32Array(column.length + 1);
    for (let i = 0; i <= column.length; i++) offsets[i] = column.offsets[i]! - base;
    const coreOptions: CoreOptions = { ...this.config, rowIds: options.rowIds === true };
    return new Promise<CoreOutput>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, bytes, offsets, rows: column.length, options: coreOptions }, [bytes.buffer, offsets.buffer]);
    }).then((out) => csrFromCore(out, column.length, 2 ** this.config.hashBits));
  }

  /** Stops the workers; pending calls fail. */
  async close(): Promise<void> {
    this.failure ??= new MlError("ML_POOL", "the featurizer pool is closed");
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
