/**
 * The featurizer's WebAssembly kernel (kernel/featurize.c) behind the same contract as
 * {@link featurizeRows}: same arguments, same output, bit for bit (a test checks it on ASCII,
 * Unicode, long rows, repeated terms and every config). The kernel does the rows it can do
 * exactly; the rest (non-ASCII text, a term repeated 64+ times under log1p) go through
 * featurizeRows itself, so there is one definition of the features and two speeds of it.
 *
 * {@link createKernel} and {@link runKernel} are self-contained (no imports, no module constants,
 * no inner functions), like featurizeRows, so the worker pool can run them from their source text.
 */
import { featurizeRows as featurizeRowsRef, type CoreOptions, type CoreOutput, type CoreScratch, type featurizeRows } from "./featurize-core.js";
import { FEATURIZE_WASM_BASE64 } from "./kernel/featurize-wasm.js";

/** The parts of the WebAssembly API used here (the project's TypeScript lib has no DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
/** A compiled WebAssembly module (structured-cloneable to workers). */
export type WasmModule = WebAssembly.Module;
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
  Module: new (bytes: Uint8Array) => WasmModule;
}

/** featurizeRows' signature: what a kernel is. */
export type FeaturizeRowsFn = typeof featurizeRows;

/**
 * One instance of the kernel: its memory (grown as batches need), its exports and the layout of
 * its buffers. Not shared between threads: make one per thread.
 *
 * @example
 * ```ts
 * const kernel = createKernel(featurizeWasmModule());
 * ```
 */
export interface Kernel {
  memory: WasmMemory;
  featurize: (...args: number[]) => number;
  base: number;
  /** Rows per chunk in featurize.c (its scratch is sized by it). */
  chunk: number;
  /** Room in the current layout: input bytes (of a batch, of a chunk), rows, entries, merge-table entries. */
  room: { bytes: number; chunkBytes: number; rows: number; cap: number; entries: number };
  /** Where each buffer starts in linear memory. */
  at: Record<string, number>;
}

/**
 * Instantiates the kernel with a memory of its own.
 *
 * @example
 * ```ts
 * const out = runKernel(createKernel(featurizeWasmModule()), col.bytes, col.offsets, col.length, options, scratch, featurizeRows);
 * ```
 */
export function createKernel(module: WasmModule): Kernel {
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const memory = new wasm.Memory({ initial: 16 });
  const exports = new wasm.Instance(module, { env: { memory } }).exports as { featurize: (...args: number[]) => number; chunkRows: () => number; __heap_base: { value: number } };
  return { memory, featurize: exports.featurize, base: Number(exports.__heap_base.value), chunk: exports.chunkRows(), room: { bytes: 0, chunkBytes: 0, rows: 0, cap: 0, entries: 0 }, at: {} };
}

/**
 * featurizeRows through the kernel: same arguments and output, plus the function that does the
 * rows the kernel leaves out (featurizeRows itself) and, optionally, arrays to write the output
 * into (`into`: those long enough are filled and returned as subarrays, the others are replaced
 * by new ones). With `inPlace`, a batch without such rows comes back as views of the kernel's
 * memory, valid until the kernel's next call (nothing is copied). Self-contained: no inner
 * functions, no references outside its body (the worker pool runs it from its source text).
 *
 * @example
 * ```ts
 * const out = runKernel(kernel, col.bytes, col.offsets, col.length, { ...DEFAULT_FEATURIZER, rowIds: true }, scratch, featurizeRows);
 * ```
 */
export function runKernel(k: Kernel, bytes: Uint8Array, offsets: Int32Array, rows: number, o: CoreOptions, scratch: CoreScratch, fallback: FeaturizeRowsFn, into?: CoreOutput | null, inPlace?: boolean): CoreOutput {
  const CHUNK = k.chunk;
  const from = offsets[0]!;
  const span = offsets[rows]! - from;
  const bigrams = o.ngrams === 2;
  // The words of a chunk need at most its bytes + rows + 2 slots.
  let chunkBytes = 0;
  for (let c = 0; c < rows; c += CHUNK) chunkBytes = Math.max(chunkBytes, offsets[Math.min(rows, c + CHUNK)]! - offsets[c]!);
  let want = {
    bytes: Math.max(k.room.bytes, span),
    chunkBytes: Math.max(k.room.chunkBytes, chunkBytes),
    rows: Math.max(k.room.rows, rows),
    cap: Math.max(k.room.cap, Math.ceil(span / (bigrams ? 2.5 : 5)) + 1024),
    entries: Math.max(k.room.entries, 2048),
  };
  for (;;) {
    if (want.bytes > k.room.bytes || want.chunkBytes > k.room.chunkBytes || want.rows > k.room.rows || want.cap > k.room.cap || want.entries > k.room.entries) {
      // Lay the buffers out again, 16-byte aligned from the heap base.
      const sizes: Array<[string, number]> = [
        ["params", 24], ["log1p", 512], ["stamp", 4], ["bytes", want.bytes], ["offsets", 4 * (want.rows + 1)], ["indptr", 4 * (want.rows + 1)],
        ["fallback", 4 * want.rows], ["indices", 4 * want.cap], ["values", 4 * want.cap], ["ids", 4 * want.cap], ["info", 12 * CHUNK],
        ["seen", 8 * want.entries], ["words", 4 * (want.chunkBytes + CHUNK + 2)],
      ];
      let p = (k.base + 15) & ~15;
      for (const [name, size] of sizes) {
        k.at[name] = p;
        p += (size + 15) & ~15;
      }
      if (p > k.memory.buffer.byteLength) k.memory.grow(Math.ceil((p - k.memory.buffer.byteLength) / 65536));
      const lg = new Float64Array(k.memory.buffer, k.at.log1p!, 64);
      for (let c = 0; c < 64; c++) lg[c] = Math.log1p(c);
      new Uint8Array(k.memory.buffer, k.at.seen!, 8 * want.entries).fill(0);
      new Uint32Array(k.memory.buffer, k.at.stamp!, 1)[0] = 0;
      k.room = want;
    }
    const at = k.at;
    const buf = k.memory.buffer;
    new Uint8Array(buf, at.bytes!, span).set(bytes.subarray(from, from + span));
    const off = new Int32Array(buf, at.offsets!, rows + 1);
    for (let r = 0; r <= rows; r++) off[r] = offsets[r]! - from;
    const p = new Int32Array(buf, at.params!, 6);
    p[0] = 0x811c9dc5 ^ Math.imul(o.seed | 0, 0x9e3779b1 | 0);
    p[1] = bigrams ? 1 : 0;
    p[2] = 2 ** o.hashBits - 1;
    p[3] = o.signed ? 1 : 0;
    p[4] = o.tf === "binary" ? 1 : o.tf === "log1p" ? 2 : 0;
    p[5] = o.norm === "l2" ? 1 : 0;
    const n = k.featurize(at.bytes!, at.offsets!, rows, at.params!, at.log1p!, at.indptr!, at.indices!, at.values!, o.rowIds ? at.ids! : 0, k.room.cap, at.fallback!, at.words!, at.info!, at.seen!, k.room.entries, at.stamp!);
    if (n < 0) {
      // Row -1 - n needs more room: grow what it lacks (geometrically) and do the batch again.
      const r = -1 - n;
      const terms = offsets[r + 1]! - offsets[r]! + 2;
      want = { ...k.room, cap: Math.max(2 * k.room.cap, k.room.cap + terms), entries: Math.max(k.room.entries, 2 ** Math.ceil(Math.log2(4 * terms))) };
      continue;
    }
    const indptr = new Int32Array(buf, at.indptr!, rows + 1);
    const nnz = indptr[rows]!;
    const indices = new Int32Array(buf, at.indices!, nnz);
    const values = new Float32Array(buf, at.values!, nnz);
    const ids = o.rowIds ? new Int32Array(buf, at.ids!, nnz) : null;
    if (inPlace && n === 0) return { indptr, indices, values, rowIds: ids };
    // Rows the kernel left empty: featurize them by the reference code, to splice them in below.
    const missing = new Int32Array(buf, at.fallback!, n).slice();
    const parts: CoreOutput[] = [];
    let extra = 0;
    for (let i = 0; i < n; i++) {
      const r = missing[i]!;
      const part = fallback(bytes, offsets.subarray(r, r + 2), 1, o, scratch);
      parts.push(part);
      extra += part.indices.length;
    }
    // The output goes into `into`'s arrays where they are long enough (no fresh pages to fault in).
    const total = nnz + extra;
    const outPtr = into && into.indptr.length > rows ? into.indptr.subarray(0, rows + 1) : new Int32Array(rows + 1);
    const outIdx = into && into.indices.length >= total ? into.indices.subarray(0, total) : new Int32Array(total);
    const outVal = into && into.values.length >= total ? into.values.subarray(0, total) : new Float32Array(total);
    const outIds = !ids ? null : into && into.rowIds && into.rowIds.length >= total ? into.rowIds.subarray(0, total) : new Int32Array(total);
    if (n === 0) {
      outPtr.set(indptr);
      outIdx.set(indices);
      outVal.set(values);
      if (outIds) outIds.set(ids!);
      return { indptr: outPtr, indices: outIdx, values: outVal, rowIds: outIds };
    }
    let w = 0;
    let next = 0;
    outPtr[0] = 0;
    for (let r = 0; r < rows; r++) {
      if (next < n && missing[next] === r) {
        const part = parts[next++]!;
        outIdx.set(part.indices, w);
        outVal.set(part.values, w);
        if (outIds) outIds.fill(r, w, w + part.indices.length);
        w += part.indices.length;
      } else {
        const a = indptr[r]!;
        const b = indptr[r + 1]!;
        outIdx.set(indices.subarray(a, b), w);
        outVal.set(values.subarray(a, b), w);
        if (outIds) outIds.set(ids!.subarray(a, b), w);
        w += b - a;
      }
      outPtr[r + 1] = w;
    }
    return { indptr: outPtr, indices: outIdx, values: outVal, rowIds: outIds };
  }
}

let compiled: WasmModule | undefined;

/**
 * The kernel's compiled module (compiled once per thread; a Module can be sent to workers).
 *
 * @example
 * ```ts
 * new Worker(source, { eval: true, workerData: { module: featurizeWasmModule() } });
 * ```
 */
export function featurizeWasmModule(): WasmModule {
  compiled ??= new (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly.Module(Buffer.from(FEATURIZE_WASM_BASE64, "base64"));
  return compiled;
}

let threadKernel: Kernel | undefined;

/**
 * featurizeRows through this thread's kernel instance, in slices of at most 65,536 rows (so the
 * kernel's memory stays a batch's size however many rows come in).
 *
 * @example
 * ```ts
 * const out = featurizeFast(col.bytes, col.offsets, col.length, { ...DEFAULT_FEATURIZER, rowIds: false }, scratch);
 * ```
 */
export function featurizeFast(bytes: Uint8Array, offsets: Int32Array, rows: number, o: CoreOptions, scratch: CoreScratch): CoreOutput {
  threadKernel ??= createKernel(featurizeWasmModule());
  const SLICE = 65_536;
  if (rows <= SLICE) return runKernel(threadKernel, bytes, offsets, rows, o, scratch, featurizeRowsRef);
  const parts: CoreOutput[] = [];
  let nnz = 0;
  for (let start = 0; start < rows; start += SLICE) {
    const end = Math.min(rows, start + SLICE);
    const part = runKernel(threadKernel, bytes, offsets.subarray(start, end + 1), end - start, o, scratch, featurizeRowsRef);
    parts.push(part);
    nnz += part.indices.length;
  }
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  const rowIds = o.rowIds ? new Int32Array(nnz) : null;
  let at = 0;
  for (let start = 0; parts.length > 0; start += SLICE) {
    const part = parts.shift()!; // each slice can go once copied
    for (let r = 1; r < part.indptr.length; r++) indptr[start + r] = at + part.indptr[r]!;
    indices.set(part.indices, at);
    values.set(part.values, at);
    if (rowIds) for (let k = 0; k < part.indices.length; k++) rowIds[at + k] = start + part.rowIds![k]!;
    at += part.indices.length;
  }
  return { indptr, indices, values, rowIds };
}

const idle: Kernel[] = [];

/**
 * Runs `use` with a kernel instance of its own (from a small free list, or new), for output kept
 * in the kernel's memory ({@link runKernel} `inPlace`) while other code on this thread may
 * featurize meanwhile.
 *
 * @example
 * ```ts
 * const p = await withKernel(async (k) => score(runKernel(k, bytes, offsets, rows, options, scratch, featurizeRows, null, true)));
 * ```
 */
export async function withKernel<T>(use: (kernel: Kernel) => Promise<T>): Promise<T> {
  const kernel = idle.pop() ?? createKernel(featurizeWasmModule());
  try {
    return await use(kernel);
  } finally {
    if (idle.length < 2) idle.push(kernel);
  }
}
