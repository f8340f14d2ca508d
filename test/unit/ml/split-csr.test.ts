import { describe, expect, it } from "vitest";
import { checkCsr, csrNnz, csrRowIds, csrSlice, csrTake, type CsrBatch } from "../../../jobs/lib/ml/csr.js";
import { TrainingError } from "../../../jobs/lib/ml/errors.js";
import { DEFAULT_FEATURIZER, featurize } from "../../../jobs/lib/ml/features.js";
import { splitRows } from "../../../jobs/lib/ml/split.js";

const csr: CsrBatch = { rows: 3, cols: 8, indptr: Int32Array.of(0, 2, 2, 5), indices: Int32Array.of(3, 7, 0, 1, 2), values: Float32Array.of(1, 0.5, 2, 3, 4) };

describe("csr helpers", () => {
  it("counts, slices, takes and lists row ids", () => {
    expect(csrNnz(csr)).toBe(5);
    const tail = csrSlice(csr, 1, 3);
    expect(tail.rows).toBe(2);
    expect(Array.from(tail.indptr)).toEqual([0, 0, 3]);
    expect(Array.from(tail.indices)).toEqual([0, 1, 2]);
    expect(tail.indices.buffer).toBe(csr.indices.buffer); // a view
    const taken = csrTake(csr, [2, 0]);
    expect(Array.from(taken.indptr)).toEqual([0, 3, 5]);
    expect(Array.from(taken.indices)).toEqual([0, 1, 2, 3, 7]);
    expect(Array.from(taken.values)).toEqual([2, 3, 4, 1, 0.5]);
    expect(Array.from(csrRowIds(csr))).toEqual([0, 0, 2, 2, 2]);
    expect(Array.from(csrRowIds(tail))).toEqual([1, 1, 1]);
    expect(() => csrSlice(csr, 2, 1)).toThrow(RangeError);
  });

  it("checkCsr names the first structural problem", () => {
    checkCsr(csr);
    expect(() => checkCsr({ ...csr, indices: Int32Array.of(3, 9, 0, 1, 2) })).toThrow(/indices\[1\] = 9 is outside 0..7/);
    expect(() => checkCsr({ ...csr, indptr: Int32Array.of(0, 2, 1, 5) })).toThrow(TrainingError);
    expect(() => checkCsr({ ...csr, rows: 4 })).toThrow(/indptr has 4 entries for 4 rows/);
    expect(() => checkCsr({ ...csr, values: Float32Array.of(1, NaN, 2, 3, 4) })).toThrow(/values\[1\] is NaN/);
  });

  it("featurized batches pass checkCsr", () => {
    checkCsr(featurize(["a b c", "", "x"], DEFAULT_FEATURIZER));
  });
});

describe("splitRows", () => {
  it("partitions the rows, about testFraction in test, deterministically", () => {
    const { train, test } = splitRows(10_000, { testFraction: 0.2, seed: 3 });
    expect(train.length + test.length).toBe(10_000);
    expect(test.length / 10_000).toBeGreaterThan(0.18);
    expect(test.length / 10_000).toBeLessThan(0.22);
    const all = new Set([...train, ...test]);
    expect(all.size).toBe(10_000);
    expect(Array.from(train)).toEqual([...train].sort((a, b) => a - b));
    const again = splitRows(10_000, { testFraction: 0.2, seed: 3 });
    expect(again.test).toEqual(test);
    expect(splitRows(10_000, { testFraction: 0.2, seed: 4 }).test).not.toEqual(test);
  });

  it("a row's side does not depend on how many rows follow", () => {
    const small = splitRows(1000, { testFraction: 0.3, seed: 1 });
    const big = splitRows(5000, { testFraction: 0.3, seed: 1 });
    expect(Array.from(big.test.filter((r) => r < 1000))).toEqual(Array.from(small.test));
  });

  it("handles the edges and rejects bad fractions", () => {
    expect(splitRows(10, { testFraction: 0 }).test.length).toBe(0);
    expect(splitRows(10, { testFraction: 1 }).train.length).toBe(0);
    expect(() => splitRows(10, { testFraction: 1.5 })).toThrow(/testFraction must be in 0..1/);
  });
});
