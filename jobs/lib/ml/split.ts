/**
 * Seeded train / held-out splits. A row's side depends only on its position and the seed (a
 * hash, not a shuffle), so the split of the first n rows is the same however many rows follow.
 */
import { TrainingError } from "./errors.js";
import { fmix32 } from "./hashing.js";

/**
 * Splits row numbers `0..rows-1` into train and test (each in increasing order); about
 * `testFraction` of the rows land in test.
 *
 * @example
 * ```ts
 * const { train, test } = splitRows(reviews.length, { testFraction: 0.2, seed: 7 });
 * const trainCsr = csrTake(csr, train);
 * ```
 */
export function splitRows(rows: number, options: { testFraction: number; seed?: number }): { train: Int32Array; test: Int32Array } {
  const { testFraction, seed = 0 } = options;
  if (!Number.isInteger(rows) || rows < 0) throw new TrainingError(`rows must be a non-negative integer, got ${rows}`);
  if (!(testFraction >= 0 && testFraction <= 1)) throw new TrainingError(`testFraction must be in 0..1, got ${testFraction}`);
  const mix = fmix32;
  const cut = Math.floor(testFraction * 4294967296);
  const salt = fmix32((seed ^ 0x5bd1e995) >>> 0);
  const inTest = new Uint8Array(rows);
  let tests = 0;
  for (let r = 0; r < rows; r++) {
    if (mix((r ^ salt) >>> 0) < cut || testFraction === 1) {
      inTest[r] = 1;
      tests++;
    }
  }
  const train = new Int32Array(rows - tests);
  const test = new Int32Array(tests);
  for (let r = 0, a = 0, b = 0; r < rows; r++) {
    if (inTest[r]) test[b++] = r;
    else train[a++] = r;
  }
  return { train, test };
}
