import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { featurizeRows, type CoreOptions, type CoreOutput } from "../../../jobs/lib/ml/featurize-core.js";
import { createKernel, featurizeFast, featurizeWasmModule, runKernel } from "../../../jobs/lib/ml/featurize-kernel.js";
import { generateReviews } from "../../../jobs/lib/ml/reviews.js";
import { utf8FromStrings, type Utf8Column } from "../../../jobs/lib/ml/utf8.js";
import { seededRandom } from "../../../jobs/lib/random.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");

function reference(col: Utf8Column, o: CoreOptions): CoreOutput {
  return featurizeRows(col.bytes, col.offsets, col.length, o, { seen: new Int32Array(2048), hashes: new Int32Array(64), stamp: 0 });
}

/** Byte-for-byte equality of two outputs (floats compared by their bits). */
function expectSame(a: CoreOutput, b: CoreOutput): void {
  expect(Buffer.from(a.indptr.buffer, a.indptr.byteOffset, a.indptr.byteLength).equals(Buffer.from(b.indptr.buffer, b.indptr.byteOffset, b.indptr.byteLength))).toBe(true);
  expect(a.indices.length).toBe(b.indices.length);
  expect(Buffer.from(a.indices.buffer, a.indices.byteOffset, a.indices.byteLength).equals(Buffer.from(b.indices.buffer, b.indices.byteOffset, b.indices.byteLength))).toBe(true);
  expect(Buffer.from(a.values.buffer, a.values.byteOffset, a.values.byteLength).equals(Buffer.from(b.values.buffer, b.values.byteOffset, b.values.byteLength))).toBe(true);
  if (a.rowIds || b.rowIds) expect(Array.from(a.rowIds ?? [])).toEqual(Array.from(b.rowIds ?? []));
}

function randomTexts(seed: number, count: number): string[] {
  const rand = seededRandom(seed);
  const ascii = ["great", "GREAT", "Love", "not", "refund", "it's", "a_b", "x2", "!!", ", ", " ", "\n", "--", "42", "\t", "~", "Z", "_"];
  const unicode = ["Café", "naïve", "ÉCOLE", "東京", "İstanbul", "straße", "😀", "e\u0301", "Ω", "\u00a0"];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let s = "";
    const kind = rand();
    const n = kind < 0.01 ? 3000 + Math.floor(rand() * 3000) : Math.floor(rand() * 40);
    for (let w = 0; w < n; w++) s += (rand() < 0.05 ? unicode : ascii)[Math.floor(rand() * (rand() < 0.05 ? unicode.length : ascii.length))] ?? "x";
    if (kind > 0.99) s = "spam ".repeat(70 + Math.floor(rand() * 70)); // a term 64+ times: log1p beyond the table
    out.push(s);
  }
  return out;
}

const CONFIGS: CoreOptions[] = [];
for (const ngrams of [1, 2] as const)
  for (const signed of [false, true])
    for (const tf of ["count", "binary", "log1p"] as const)
      for (const norm of ["l2", "none"] as const) CONFIGS.push({ hashBits: signed ? 4 : 18, ngrams, seed: tf === "count" ? 7 : 0, signed, tf, norm, rowIds: ngrams === 2 });

describe("featurizer WebAssembly kernel", () => {
  it("computes exactly what featurizeRows computes, for every config, on ASCII, Unicode, long and repetitive rows", () => {
    const col = utf8FromStrings(randomTexts(11, 3000));
    const kernel = createKernel(featurizeWasmModule());
    const scratch = { seen: new Int32Array(2048), hashes: new Int32Array(64), stamp: 0 };
    for (const o of CONFIGS) expectSame(runKernel(kernel, col.bytes, col.offsets, col.length, o, scratch, featurizeRows), reference(col, o));
  }, 30_000); // ~2.5 s in CI: 24 configs of 3,000 rows, through the plain-TypeScript reference too

  it("hands non-ASCII rows and 64+ repeats to featurizeRows and splices them in place", () => {
    const texts = ["plain words", "Café crème", "", "word ".repeat(100), "ÉCOLE école", "last one"];
    const col = utf8FromStrings(texts);
    const o: CoreOptions = { hashBits: 18, ngrams: 2, seed: 0, signed: false, tf: "log1p", norm: "l2", rowIds: true };
    const out = runKernel(createKernel(featurizeWasmModule()), col.bytes, col.offsets, col.length, o, { seen: new Int32Array(2048), hashes: new Int32Array(64), stamp: 0 }, featurizeRows);
    expectSame(out, reference(col, o));
    expect(out.indptr[3]! - out.indptr[2]!).toBe(0);
  });

  it("reads rows at any offset into the byte buffer (a slice of a column) and grows its memory for long rows", () => {
    const col = utf8FromStrings(["skip me", ...randomTexts(5, 200), "x ".repeat(50_000)]);
    const o: CoreOptions = { hashBits: 18, ngrams: 2, seed: 3, signed: true, tf: "log1p", norm: "l2", rowIds: true };
    const offsets = col.offsets.subarray(1);
    const rows = col.length - 1;
    const out = runKernel(createKernel(featurizeWasmModule()), col.bytes, offsets, rows, o, { seen: new Int32Array(2048), hashes: new Int32Array(64), stamp: 0 }, featurizeRows);
    expectSame(out, featurizeRows(col.bytes, offsets, rows, o, { seen: new Int32Array(2048), hashes: new Int32Array(64), stamp: 0 }));
  });

  it("featurizeFast equals featurizeRows across its 65,536-row slices, row ids included", () => {
    const reviews = generateReviews({ count: 140_000, seed: 4 });
    const o: CoreOptions = { hashBits: 18, ngrams: 2, seed: 0, signed: false, tf: "log1p", norm: "l2", rowIds: true };
    expectSame(featurizeFast(reviews.text.bytes, reviews.text.offsets, reviews.text.length, o, { seen: new Int32Array(2048), hashes: new Int32Array(64), stamp: 0 }), reference(reviews.text, o));
  }, 30_000); // ~2.5 s in CI: 140,000 generated reviews, featurized twice

  it("is what kernel/featurize.c compiles to (featurize-wasm.ts is current)", () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, "scripts", "build-wasm.mjs"), "--check"], { cwd: ROOT, encoding: "utf8" });
    expect(r.stderr.split("\n").filter((l) => l && !l.startsWith("yowasp-llvm:")).join("\n")).toBe("");
    expect(r.status).toBe(0);
  }, 60_000);
});
